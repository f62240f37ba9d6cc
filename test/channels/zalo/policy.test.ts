import { createZaloPolicy, REFUSE_OUTSIDE_WINDOW, REFUSE_UNFOLLOWED } from '../../../src/channels/zalo';
import type { OutboundMessage, OutboundPurpose, RecipientFacts } from '../../../src/channels/types';

const policy = createZaloPolicy();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A moment given in Vietnam wall-clock time (UTC+7). */
const vn = (local: string) => new Date(`${local}+07:00`);

function reply(purpose: OutboundPurpose = 'reminder'): OutboundMessage {
  return { dedupeKey: 'k', channel: 'zalo', recipient: { userId: '2468458835296117922' }, content: { type: 'reply', reply: { text: 'Nhắc lịch' } }, purpose };
}
function template(phone?: string): OutboundMessage {
  return {
    dedupeKey: 'k',
    channel: 'zalo',
    recipient: { ...(phone ? { phone } : {}) },
    content: { type: 'template', templateId: 'tpl-licence', data: { days_left: 30 } },
    purpose: 'reminder',
  };
}
const noon = vn('2026-06-15T12:00:00');
const ago = (ms: number, from = noon): RecipientFacts => ({ lastInboundAt: new Date(from.getTime() - ms) });

describe('Zalo channel policy: windows', () => {
  it.each([
    ['1 hour ago (free window)', HOUR],
    ['47 h ago', 47 * HOUR],
    ['3 days ago (48 h – 7 days, possibly billed)', 3 * DAY],
    ['exactly 7 days ago', 7 * DAY],
  ])('sends a CS message when the person last wrote %s', (_label, age) => {
    expect(policy.decide(reply(), ago(age), noon)).toEqual({ action: 'send', mode: { via: 'zalo_cs' } });
  });

  it('refuses a reply beyond 7 days or when the person never wrote', () => {
    expect(policy.decide(reply(), ago(7 * DAY + 1000), noon)).toEqual({ action: 'refuse', reason: REFUSE_OUTSIDE_WINDOW });
    expect(policy.decide(reply(), {}, noon)).toEqual({ action: 'refuse', reason: REFUSE_OUTSIDE_WINDOW });
  });

  it('sends a template by ZNS to the recipient’s phone, whatever the window', () => {
    const zns = { action: 'send', mode: { via: 'zalo_zns', templateId: 'tpl-licence' } };
    expect(policy.decide(template('0912345678'), ago(30 * DAY), noon)).toEqual(zns);
    expect(policy.decide(template('0912345678'), ago(HOUR), noon)).toEqual(zns);
    // The sender addresses recipient.phone: a phone known only in the facts is not enough.
    expect(policy.decide(template(), { phone: '0912345678' }, noon)).toMatchObject({ action: 'refuse', reason: expect.stringMatching(/recipient\.phone/) });
    expect(policy.decide(template(), {}, noon)).toMatchObject({ action: 'refuse', reason: expect.stringMatching(/phone/) });
    expect(policy.decide(template('12345'), {}, noon)).toMatchObject({ action: 'refuse' });
  });

  it('refuses anything to a person who unfollowed the OA', () => {
    expect(policy.decide(reply('reply'), { ...ago(HOUR), following: false }, noon)).toEqual({ action: 'refuse', reason: REFUSE_UNFOLLOWED });
    expect(policy.decide(template('0912345678'), { following: false }, noon)).toEqual({ action: 'refuse', reason: REFUSE_UNFOLLOWED });
    expect(policy.decide(reply(), { ...ago(HOUR), following: true }, noon)).toMatchObject({ action: 'send' });
  });

  it('refuses a CS message without a Zalo user id', () => {
    const m = { ...reply(), recipient: { phone: '0912345678' } };
    expect(policy.decide(m, ago(HOUR), noon)).toMatchObject({ action: 'refuse', reason: expect.stringMatching(/user id/) });
  });
});

describe('Zalo channel policy: quiet hours 22:00–06:00 Vietnam time', () => {
  const sixAm = (day: string) => vn(`${day}T06:00:00`);

  it.each([
    ['21:59', vn('2026-06-15T21:59:59'), undefined],
    ['22:00', vn('2026-06-15T22:00:00'), sixAm('2026-06-16')],
    ['23:30', vn('2026-06-15T23:30:00'), sixAm('2026-06-16')],
    ['00:10', vn('2026-06-16T00:10:00'), sixAm('2026-06-16')],
    ['05:59', vn('2026-06-16T05:59:59'), sixAm('2026-06-16')],
    ['06:00', vn('2026-06-16T06:00:00'), undefined],
  ])('a reminder at %s', (_label, now, until) => {
    const decision = policy.decide(reply('reminder'), ago(DAY, now), now);
    if (until) expect(decision).toEqual({ action: 'wait', until, reason: expect.stringMatching(/quiet hours/) });
    else expect(decision).toEqual({ action: 'send', mode: { via: 'zalo_cs' } });
  });

  it.each(['broadcast', 'appointment_update', 'reminder'] as const)('%s waits for 06:00 even right after the person wrote', (purpose) => {
    const now = vn('2026-06-15T22:30:00');
    expect(policy.decide(reply(purpose), ago(60_000, now), now)).toEqual({ action: 'wait', until: sixAm('2026-06-16'), reason: expect.any(String) });
  });

  it('a ZNS template waits for 06:00 too', () => {
    const now = vn('2026-06-16T05:59:00');
    expect(policy.decide(template('0912345678'), {}, now)).toMatchObject({ action: 'wait', until: sixAm('2026-06-16') });
  });

  it.each(['reply', 'human_reply'] as const)('a direct %s to a message just sent goes out at night', (purpose) => {
    const now = vn('2026-06-15T23:00:00');
    expect(policy.decide(reply(purpose), ago(2 * 60_000, now), now)).toEqual({ action: 'send', mode: { via: 'zalo_cs' } });
    expect(policy.decide(reply(purpose), ago(14 * 60_000, now), now)).toMatchObject({ action: 'send' });
  });

  it('a late reply (the person wrote more than 15 minutes ago) waits for 06:00', () => {
    const now = vn('2026-06-15T23:00:00');
    expect(policy.decide(reply('reply'), ago(16 * 60_000, now), now)).toEqual({ action: 'wait', until: sixAm('2026-06-16'), reason: expect.any(String) });
  });
});
