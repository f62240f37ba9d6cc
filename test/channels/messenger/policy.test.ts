import { MessengerPolicy, isVietnamNight, nextVietnamMorning } from '../../../src/channels/messenger';
import type { OutboundMessage, OutboundPurpose, PolicyDecision } from '../../../src/channels/types';

const MIN = 60_000;
const H = 60 * MIN;
/** 14:00 in Vietnam (07:00 UTC): daytime. */
const NOW = new Date(Date.UTC(2026, 10, 24, 7, 0));

function msg(purpose: OutboundPurpose, over: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    dedupeKey: `k-${purpose}`,
    channel: 'messenger',
    recipient: { userId: '24000000000000001' },
    content: { type: 'reply', reply: { text: 'Xin chào' } },
    purpose,
    ...over,
  };
}

const ago = (ms: number, now = NOW) => new Date(now.getTime() - ms);
const RESPONSE: PolicyDecision = { action: 'send', mode: { via: 'messenger', messagingType: 'RESPONSE' } };
const UPDATE: PolicyDecision = { action: 'send', mode: { via: 'messenger', messagingType: 'UPDATE' } };
const HUMAN_AGENT: PolicyDecision = { action: 'send', mode: { via: 'messenger', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } };
const EVENT_UPDATE: PolicyDecision = { action: 'send', mode: { via: 'messenger', messagingType: 'MESSAGE_TAG', tag: 'CONFIRMED_EVENT_UPDATE' } };
const refused = (pattern: RegExp) => ({ action: 'refuse', reason: expect.stringMatching(pattern) });

describe('MessengerPolicy (default: no Human Agent approval)', () => {
  const policy = new MessengerPolicy();

  it.each<[OutboundPurpose, string, number, PolicyDecision | ReturnType<typeof refused>]>([
    ['reply', '23:59 h', 23 * H + 59 * MIN, RESPONSE],
    ['reply', '24:01 h', 24 * H + 1 * MIN, refused(/outside the Messenger 24-hour window/)],
    ['human_reply', '23:59 h', 23 * H + 59 * MIN, RESPONSE],
    ['human_reply', '24:01 h', 24 * H + 1 * MIN, refused(/HUMAN_AGENT tag, which Meta has not approved/)],
    ['reminder', '23:59 h', 23 * H + 59 * MIN, UPDATE],
    ['reminder', '24:01 h', 24 * H + 1 * MIN, refused(/outside the Messenger 24-hour window/)],
    ['broadcast', '2 h', 2 * H, UPDATE],
    ['broadcast', '24:01 h', 24 * H + 1 * MIN, refused(/outside the Messenger 24-hour window/)],
    ['appointment_update', '5 h', 5 * H, UPDATE],
    ['appointment_update', '24:01 h', 24 * H + 1 * MIN, EVENT_UPDATE],
    ['appointment_update', '30 days', 30 * 24 * H, EVENT_UPDATE],
  ])('%s, last message %s ago', (purpose, _label, elapsed, expected) => {
    expect(policy.decide(msg(purpose), { lastInboundAt: ago(elapsed) }, NOW)).toEqual(expected);
  });

  it('treats exactly 24 h as outside the window', () => {
    expect(policy.decide(msg('reply'), { lastInboundAt: ago(24 * H) }, NOW).action).toBe('refuse');
  });

  it('refuses ZNS templates, a missing PSID, a person who never wrote, and one who blocked the Page', () => {
    const template = msg('reminder', { content: { type: 'template', templateId: 'T1', data: {} } });
    expect(policy.decide(template, { lastInboundAt: ago(H) }, NOW)).toEqual(refused(/templates are a Zalo feature/));
    expect(policy.decide(msg('reply', { recipient: { phone: '0912345678' } }), { lastInboundAt: ago(H) }, NOW)).toEqual(refused(/no Messenger PSID/));
    expect(policy.decide(msg('reply'), {}, NOW)).toEqual(refused(/never written to the Page/));
    expect(policy.decide(msg('reply'), { lastInboundAt: ago(H), following: false }, NOW)).toEqual(refused(/blocked/));
  });
});

describe('MessengerPolicy with the Human Agent permission', () => {
  const policy = new MessengerPolicy({ humanAgentTagApproved: true });

  it.each<[string, number, PolicyDecision | ReturnType<typeof refused>]>([
    ['24:01 h', 24 * H + 1 * MIN, HUMAN_AGENT],
    ['7 days less a minute', 7 * 24 * H - MIN, HUMAN_AGENT],
    ['7 days and a minute', 7 * 24 * H + MIN, refused(/past the 7-day human agent window/)],
  ])('human_reply %s after the last message', (_label, elapsed, expected) => {
    expect(policy.decide(msg('human_reply'), { lastInboundAt: ago(elapsed) }, NOW)).toEqual(expected);
  });

  it('still refuses bot replies and reminders outside 24 h (the tag is for humans only)', () => {
    expect(policy.decide(msg('reply'), { lastInboundAt: ago(25 * H) }, NOW).action).toBe('refuse');
    expect(policy.decide(msg('reminder'), { lastInboundAt: ago(25 * H) }, NOW).action).toBe('refuse');
  });
});

describe('MessengerPolicy without the CONFIRMED_EVENT_UPDATE tag', () => {
  it('refuses appointment updates outside 24 h', () => {
    const policy = new MessengerPolicy({ confirmedEventUpdateTag: false });
    expect(policy.decide(msg('appointment_update'), { lastInboundAt: ago(25 * H) }, NOW)).toEqual(refused(/24-hour window/));
  });
});

describe('night in Vietnam', () => {
  const policy = new MessengerPolicy();
  /** 23:30 in Vietnam = 16:30 UTC. */
  const NIGHT = new Date(Date.UTC(2026, 10, 24, 16, 30));
  const MORNING = new Date(Date.UTC(2026, 10, 24, 23, 0)); // 06:00 on the 25th in Vietnam

  it('knows the hours and the next morning', () => {
    expect(isVietnamNight(NIGHT)).toBe(true);
    expect(isVietnamNight(NOW)).toBe(false);
    expect(isVietnamNight(new Date(Date.UTC(2026, 10, 24, 15, 0)))).toBe(true); // 22:00
    expect(isVietnamNight(new Date(Date.UTC(2026, 10, 24, 23, 0)))).toBe(false); // 06:00
    expect(nextVietnamMorning(NIGHT)).toEqual(MORNING);
    expect(nextVietnamMorning(new Date(Date.UTC(2026, 10, 24, 20, 0)))).toEqual(MORNING); // 03:00
  });

  it('holds reminders and broadcasts until 06:00 when the window is still open then', () => {
    const facts = { lastInboundAt: ago(2 * H, NIGHT) };
    expect(policy.decide(msg('broadcast'), facts, NIGHT)).toEqual({ action: 'wait', until: MORNING, reason: expect.stringMatching(/night/) });
    expect(policy.decide(msg('reminder'), facts, NIGHT)).toMatchObject({ action: 'wait', until: MORNING });
  });

  it('sends now when the window would close before morning, and never holds replies or appointment updates', () => {
    const closingSoon = { lastInboundAt: ago(20 * H, NIGHT) };
    expect(policy.decide(msg('reminder'), closingSoon, NIGHT)).toEqual(UPDATE);
    const fresh = { lastInboundAt: ago(MIN, NIGHT) };
    expect(policy.decide(msg('reply'), fresh, NIGHT)).toEqual(RESPONSE);
    expect(policy.decide(msg('appointment_update'), fresh, NIGHT)).toEqual(UPDATE);
  });

  it('can be told not to hold anything', () => {
    const relaxed = new MessengerPolicy({ holdProactiveAtNight: false });
    expect(relaxed.decide(msg('broadcast'), { lastInboundAt: ago(2 * H, NIGHT) }, NIGHT)).toEqual(UPDATE);
  });
});
