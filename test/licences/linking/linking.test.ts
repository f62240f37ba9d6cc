/**
 * Linking chat identities to licences on the real database: what proves a person holds a licence,
 * what the code does, and that a stranger learns nothing from trying numbers and phones.
 */
import { and, eq } from 'drizzle-orm';
import { tables } from '../../../src/db';
import {
  checkCode,
  CODE_TTL_MS,
  linkedLicences,
  MAX_CODE_REQUESTS,
  requestLink,
  setReminders,
  type ChatIdentity,
  type LinkRequestOutcome,
} from '../../../src/licences/linking';
import { describeEachDatabase } from '../../support/db';
import { addContact, addLicence, codeOf, outboxRows } from './support';

const NOW = new Date('2026-11-23T03:00:00Z');
const HOUR = 3_600_000;
const codeText = (code: string, number: string) => `Mã liên kết giấy phép ${number}: ${code}`;
const web = (id: string): ChatIdentity => ({ channel: 'webchat', channelUserId: id });
const zalo = (id: string): ChatIdentity => ({ channel: 'zalo', channelUserId: id });

describeEachDatabase('licence linking', (getDb) => {
  const db = () => getDb().database.db;
  const links = async () => db().select().from(tables.licenceLinks);
  const request = (who: ChatIdentity, number: string, phone?: string, now = NOW): Promise<LinkRequestOutcome> =>
    requestLink(db(), who, { number, phone }, now, codeText);

  beforeEach(async () => {
    await addLicence(db(), { number: '123/2024/GCN-BVTV', phone: '0912345678', expiresOn: '2027-01-15' });
  });

  it('links at once an identity whose phone the platform confirmed, even with no phone typed', async () => {
    await addContact(db(), { channel: 'zalo', userId: 'z1', phone: '0912345678', lastInboundAt: NOW });
    const outcome = await request(zalo('z1'), '123 / 2024 / gcn-bvtv');
    expect(outcome).toMatchObject({ kind: 'linked', licence: { number: '123/2024/GCN-BVTV', expiresOn: '2027-01-15' } });
    expect(await links()).toMatchObject([{ channel: 'zalo', channelUserId: 'z1', verifiedBy: 'zalo_phone_share', unsubscribedAt: null }]);
    expect(await outboxRows(db())).toEqual([]);
  });

  it('sends a code to the chat known to hold the phone, stores only its hash, and links when it is typed', async () => {
    await addContact(db(), { channel: 'zalo', userId: 'z-holder', phone: '0912345678', lastInboundAt: new Date(NOW.getTime() - 2 * HOUR) });
    const outcome = await request(web('w1'), '123/2024/GCN-BVTV', '0912345678');
    expect(outcome.kind).toBe('code_pending');
    const codeId = outcome.kind === 'code_pending' ? outcome.codeId : undefined;
    expect(codeId).toBeDefined();

    const [sent] = await outboxRows(db());
    expect(sent).toMatchObject({ channel: 'zalo', recipient: { userId: 'z-holder' }, purpose: 'reply', dedupeKey: `licence-code:${codeId}` });
    const code = codeOf(sent!);
    const [stored] = await db().select().from(tables.licenceLinkCodes);
    expect(stored).toMatchObject({ channel: 'webchat', channelUserId: 'w1', attempts: 0, usedAt: null });
    expect(stored!.codeHash).not.toContain(code);
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(stored!.expiresAt.getTime() - NOW.getTime()).toBe(CODE_TTL_MS);
    expect(await links()).toEqual([]); // nothing until the code comes back

    const pending = { codeId, requestedAt: NOW, decoyAttempts: 0 };
    const checked = await checkCode(db(), web('w1'), pending, code, new Date(NOW.getTime() + 60_000));
    expect(checked).toMatchObject({ result: 'linked', licence: { number: '123/2024/GCN-BVTV' } });
    expect(await links()).toMatchObject([{ channel: 'webchat', channelUserId: 'w1', verifiedBy: 'code' }]);
    // Used once: the same code again, or from another identity, does nothing.
    expect((await checkCode(db(), web('w1'), pending, code, NOW)).result).toBe('expired');
    expect((await checkCode(db(), web('w2'), pending, code, NOW)).result).toBe('expired');
  });

  it('also reaches a chat already linked to the licence, and never the asker itself or an unreachable chat', async () => {
    const licenceId = (await db().select().from(tables.licences))[0]!.id;
    await addContact(db(), { channel: 'messenger', userId: 'm-linked', lastInboundAt: new Date(NOW.getTime() - HOUR) });
    await db().insert(tables.licenceLinks).values({ licenceId, channel: 'messenger', channelUserId: 'm-linked', verifiedBy: 'code' });
    await addContact(db(), { channel: 'webchat', userId: 'w-phone', phone: '0912345678', lastInboundAt: NOW }); // cannot be written to
    await addContact(db(), { channel: 'zalo', userId: 'z-old', phone: '0912345678', lastInboundAt: new Date(NOW.getTime() - 8 * 24 * HOUR) });
    await addContact(db(), { channel: 'zalo', userId: 'z-gone', phone: '0912345678', lastInboundAt: NOW, following: false });
    expect((await request(web('w1'), '123/2024/GCN-BVTV', '0912345678')).kind).toBe('code_pending');
    expect((await outboxRows(db())).map((r) => r.recipient)).toEqual([{ userId: 'm-linked' }]);
  });

  it('wrong codes: four tell how many tries are left, the fifth locks the code for good', async () => {
    await addContact(db(), { channel: 'zalo', userId: 'z-holder', phone: '0912345678', lastInboundAt: NOW });
    const outcome = await request(web('w1'), '123/2024/GCN-BVTV', '0912345678');
    const codeId = outcome.kind === 'code_pending' ? outcome.codeId : undefined;
    const code = codeOf((await outboxRows(db()))[0]!);
    const wrong = code === '000000' ? '000001' : '000000';
    const pending = { codeId, requestedAt: NOW, decoyAttempts: 0 };
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await checkCode(db(), web('w1'), pending, wrong, NOW));
    expect(results.map((r) => (r.result === 'wrong' ? r.attemptsLeft : r.result))).toEqual([4, 3, 2, 1, 'locked']);
    expect((await checkCode(db(), web('w1'), pending, code, NOW)).result).toBe('locked');
    expect(await links()).toEqual([]);
  });

  it('refuses an expired code', async () => {
    await addContact(db(), { channel: 'zalo', userId: 'z-holder', phone: '0912345678', lastInboundAt: NOW });
    const outcome = await request(web('w1'), '123/2024/GCN-BVTV', '0912345678');
    const codeId = outcome.kind === 'code_pending' ? outcome.codeId : undefined;
    const code = codeOf((await outboxRows(db()))[0]!);
    const late = new Date(NOW.getTime() + CODE_TTL_MS + 1000);
    expect((await checkCode(db(), web('w1'), { codeId, requestedAt: NOW, decoyAttempts: 0 }, code, late)).result).toBe('expired');
    expect(await links()).toEqual([]);
  });

  it('refuses to link without verification: a typed phone that matches proves nothing when no chat holds it', async () => {
    expect(await request(web('w1'), '123/2024/GCN-BVTV', '0912345678')).toEqual({ kind: 'cannot_verify' });
    // A phone shared by the asker that is not the licence's does not help either.
    await addContact(db(), { channel: 'zalo', userId: 'z1', phone: '0987654321', lastInboundAt: NOW });
    expect(await request(zalo('z1'), '123/2024/GCN-BVTV', '0912345678')).toEqual({ kind: 'cannot_verify' });
    expect(await request(zalo('z1'), '123/2024/GCN-BVTV')).toEqual({ kind: 'cannot_verify' });
    expect(await request(web('w2'), '123/2024/GCN-BVTV')).toEqual({ kind: 'need_phone' });
    expect(await links()).toEqual([]);
    expect(await db().select().from(tables.licenceLinkCodes)).toEqual([]);
    expect(await outboxRows(db())).toEqual([]);
  });

  it('tells a stranger the same whether the number does not exist or the phone is wrong, and sends nothing', async () => {
    // Someone reachable holds the phone the stranger types, so a matching request would send a code.
    await addContact(db(), { channel: 'zalo', userId: 'z-other', phone: '0987654321', lastInboundAt: NOW });
    const unknownNumber = await request(web('s1'), '999/2024/GCN-BVTV', '0987654321');
    const wrongPhone = await request(web('s2'), '123/2024/GCN-BVTV', '0987654321');
    expect(unknownNumber).toEqual({ kind: 'code_pending' });
    expect(wrongPhone).toEqual(unknownNumber);
    expect(await outboxRows(db())).toEqual([]);
    // With nobody reachable for the typed phone, both are "cannot verify" alike.
    expect(await request(web('s3'), '999/2024/GCN-BVTV', '0911111111')).toEqual(await request(web('s4'), '123/2024/GCN-BVTV', '0911111111'));

    // Typing codes against a request that sent none fails exactly like a real wrong code, then expires alike.
    let pending = { requestedAt: NOW, decoyAttempts: 0 };
    const results = [];
    for (let i = 0; i < 5; i++) {
      const r = await checkCode(db(), web('s1'), pending, '123456', NOW);
      pending = { ...pending, decoyAttempts: r.decoyAttempts };
      results.push(r.result === 'wrong' ? r.attemptsLeft : r.result);
    }
    expect(results).toEqual([4, 3, 2, 1, 'locked']);
    const late = new Date(NOW.getTime() + CODE_TTL_MS + 1000);
    expect((await checkCode(db(), web('s2'), { requestedAt: NOW, decoyAttempts: 0 }, '123456', late)).result).toBe('expired');
  });

  it('limits code requests per identity, counting requests that sent no code, and spares a licence a flood of codes', async () => {
    await addContact(db(), { channel: 'zalo', userId: 'z-holder', phone: '0912345678', lastInboundAt: NOW });
    for (let i = 0; i < MAX_CODE_REQUESTS; i++) expect((await request(web('w1'), '123/2024/GCN-BVTV', '0912345678')).kind).toBe('code_pending');
    expect(await request(web('w1'), '123/2024/GCN-BVTV', '0912345678')).toEqual({ kind: 'rate_limited' });
    expect(await request(web('w1'), '123/2024/GCN-BVTV', '0912345678', new Date(NOW.getTime() + HOUR + 1000))).toMatchObject({ kind: 'code_pending' });

    const told = Array.from({ length: MAX_CODE_REQUESTS }, () => NOW);
    expect(await requestLink(db(), web('w9'), { number: '999/X', phone: '0912345678', earlierRequests: told }, NOW, codeText)).toEqual({ kind: 'rate_limited' });

    // Five codes for this licence within the hour (w1 asked 4 times, w2 once): the next asker is told
    // the usual "code sent", but the holder gets no sixth code.
    expect((await request(web('w2'), '123/2024/GCN-BVTV', '0912345678')).kind).toBe('code_pending');
    const before = (await outboxRows(db())).length;
    expect(before).toBe(5);
    expect(await request(web('w3'), '123/2024/GCN-BVTV', '0912345678')).toEqual({ kind: 'code_pending' });
    expect(await outboxRows(db())).toHaveLength(before);
  });

  it('switches reminders off and on per identity, for one licence or all', async () => {
    const second = await addLicence(db(), { number: '45/GP-ATTP', phone: '0912345678', procedureSlug: 'attp' });
    await addContact(db(), { channel: 'zalo', userId: 'z1', phone: '0912345678', lastInboundAt: NOW });
    await request(zalo('z1'), '123/2024/GCN-BVTV');
    await request(zalo('z1'), '45/GP-ATTP');
    await addContact(db(), { channel: 'zalo', userId: 'z2', phone: '0912345678', lastInboundAt: NOW });
    await request(zalo('z2'), '45/GP-ATTP');

    expect(await setReminders(db(), zalo('z1'), false, NOW, [second])).toEqual([second]);
    expect(await setReminders(db(), zalo('z1'), false, NOW, [second])).toEqual([]); // already off
    const mine = await linkedLicences(db(), zalo('z1'));
    expect(mine.map((l) => [l.number, l.unsubscribedAt !== null])).toEqual([['123/2024/GCN-BVTV', false], ['45/GP-ATTP', true]]);
    const [other] = await db().select().from(tables.licenceLinks).where(and(eq(tables.licenceLinks.channelUserId, 'z2')));
    expect(other?.unsubscribedAt).toBeNull(); // another identity's switch is its own

    expect(await setReminders(db(), zalo('z1'), false, NOW)).toHaveLength(1);
    expect(await setReminders(db(), zalo('z1'), true, NOW)).toHaveLength(2);
    // Linking again (a new verification) also switches reminders back on.
    await setReminders(db(), zalo('z1'), false, NOW);
    await request(zalo('z1'), '45/GP-ATTP');
    expect((await linkedLicences(db(), zalo('z1'))).find((l) => l.number === '45/GP-ATTP')?.unsubscribedAt).toBeNull();
  });
});
