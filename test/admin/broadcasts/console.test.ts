/**
 * The broadcasts console on the real console stack (sign-in, RBAC, CSRF, layout, audit) and the real
 * database: compose with count and preview, send now or schedule, live progress with policy
 * refusals, pause / resume / cancel, the list, and the delivery outcomes page.
 */
import request from 'supertest';
import { broadcastsRouter } from '../../../src/admin/broadcasts';
import { tables } from '../../../src/db';
import { createLogger } from '../../../src/logger';
import { importKnowledgeBase, ProcedureRepository } from '../../../src/procedures';
import { describeEachDatabase } from '../../support/db';
import { testOffice, testProcedure } from '../../support/fixtures';
import { createAdminTestApp, createOfficial, signIn, type SignedIn } from '../auth/support';
import { addContact, askedAbout, DAY, HOUR, i18n, T0, testDelivery } from '../../broadcasts/support';

const t = (key: string, params?: Record<string, string | number>) => i18n.t(`admin-broadcasts.${key}`, params);
const TEXT = 'Từ ngày 01/12, Bộ phận Một cửa nhận hồ sơ vào sáng Chủ nhật (7:30–11:30).';

describeEachDatabase('broadcasts console', (getDb) => {
  const db = () => getDb().database.db;
  const q = <T = Record<string, unknown>>(sql: string) => getDb().database.query<T>(sql);
  let outboundNudges = 0;
  const app = () =>
    createAdminTestApp(db(), {
      routers: (kit) => [broadcastsRouter({ db: db(), kit, i18n, logger: createLogger('silent'), clock: () => T0, onOutbound: () => (outboundNudges += 1) })],
    }).app;
  const as = async (role: 'officer' | 'admin' | 'viewer' | 'appraiser', a = app()): Promise<SignedIn> => {
    const official = await createOfficial(db(), { role });
    return signIn(request.agent(a), official.email, official.password);
  };
  const composeForm = (extra: Record<string, string> = {}) => ({ title: 'Giờ làm việc Chủ nhật', text: TEXT, kind: 'followers', channel: 'all', procedure: '', days: '30', ward: '', when: 'now', scheduledAt: '', ...extra });
  /** Counts, then sends with what the count page carried (as the browser would). */
  const countThenSend = async (s: SignedIn, extra: Record<string, string> = {}) => {
    const counted = await s.agent.post('/admin/broadcasts/new').type('form').send({ ...composeForm(extra), action: 'count', _csrf: s.csrfToken });
    expect(counted.status).toBe(200);
    const fingerprint = /name="countedSegment" value="([^"]*)"/.exec(counted.text)?.[1]?.replace(/&quot;/g, '"');
    const total = /name="countedTotal" value="(\d+)"/.exec(counted.text)?.[1];
    return s.agent.post('/admin/broadcasts/new').type('form').send({ ...composeForm(extra), countedSegment: fingerprint ?? '', countedTotal: total ?? '', action: 'send', _csrf: s.csrfToken });
  };

  beforeEach(async () => {
    outboundNudges = 0;
    await importKnowledgeBase(new ProcedureRepository(db()), JSON.stringify({ offices: [testOffice], procedures: [testProcedure('ket-hon', { name: 'Đăng ký kết hôn' })] }), 'json');
  });

  it('lets officers and admins in; viewers and appraisers get 403; strangers go to sign in', async () => {
    const a = app();
    const paths = ['/admin/broadcasts', '/admin/broadcasts/new', '/admin/delivery-outcomes'];
    for (const role of ['officer', 'admin', 'viewer', 'appraiser'] as const) {
      const s = await as(role, a);
      for (const p of paths) expect(`${role} ${p} ${(await s.agent.get(p)).status}`).toBe(`${role} ${p} ${role === 'officer' || role === 'admin' ? 200 : 403}`);
    }
    for (const p of paths) expect((await request(a).get(p)).headers.location).toMatch(/^\/admin\/login\?next=/);
    const viewer = await as('viewer', a);
    expect((await viewer.agent.post('/admin/broadcasts/new').type('form').send({ ...composeForm(), action: 'count', _csrf: viewer.csrfToken })).status).toBe(403);
  });

  it('counts and previews before sending, as Zalo and Messenger will show it', async () => {
    await addContact(db(), 'zalo', 'z-1');
    await addContact(db(), 'zalo', 'z-2');
    await addContact(db(), 'messenger', 'm-1');
    await addContact(db(), 'zalo', 'z-gone', { following: false });
    const s = await as('officer');
    const first = await s.agent.get('/admin/broadcasts/new');
    expect(first.text).toContain(t('compose.countFirst'));
    expect(first.text).not.toContain('value="send"'); // no sending before a count

    const res = await s.agent.post('/admin/broadcasts/new').type('form').send({ ...composeForm(), action: 'count', _csrf: s.csrfToken });
    expect(res.status).toBe(200);
    expect(res.text).toContain(t('compose.countResult', { n: 3 }));
    expect(res.text).toContain(t('compose.countByChannel', { zalo: 2, messenger: 1 }));
    expect(res.text).toContain(t('compose.confirmSend', { n: 3 }));
    expect(res.text).toContain(`<div class="bubble out">${TEXT}</div>`);
    expect(res.text).toContain('Ngừng nhận thông báo'); // Zalo button title, whole
    // Messenger cuts quick-reply titles at 20 characters: the opt-out title fits whole.
    expect(res.text).toContain('<span class="badge muted">Ngừng nhận thông báo</span>');
    expect(res.text).toContain('<link rel="stylesheet" href="/admin/assets/broadcasts/broadcasts.css">');
    expect(await q('select * from broadcasts')).toHaveLength(0);
  });

  it('sends now: freezes the recipients, audits, hands the first batch to the outbox', async () => {
    await addContact(db(), 'zalo', 'z-1');
    await addContact(db(), 'messenger', 'm-1');
    const s = await as('officer');
    const res = await countThenSend(s);
    expect(res.status).toBe(303);
    const id = /^\/admin\/broadcasts\/([0-9a-f-]{36})\?done=created$/.exec(res.headers.location ?? '')?.[1];
    expect(id).toBeDefined();
    const [b] = await q<{ status: string; recipient_count: number; title: string }>('select status, recipient_count, title from broadcasts');
    expect(b).toEqual({ status: 'sending', recipient_count: 2, title: 'Giờ làm việc Chủ nhật' });
    expect(await q("select dedupe_key from outbox where purpose = 'broadcast' order by dedupe_key")).toEqual([
      { dedupe_key: `broadcast:${id}:messenger:m-1` },
      { dedupe_key: `broadcast:${id}:zalo:z-1` },
    ]);
    expect(outboundNudges).toBe(1);
    const [audit] = await q<{ action: string; entity_id: string; official_id: string; after: { recipientCount: number; text: string } }>(
      "select action, entity_id, official_id, after from audit_log where action like 'broadcast.%'",
    );
    expect(audit).toMatchObject({ action: 'broadcast.create', entity_id: id, after: { recipientCount: 2, text: TEXT } });
    expect(audit?.official_id).toBeTruthy();

    const page = await s.agent.get(res.headers.location!);
    expect(page.text).toContain(t('flash.created'));
    expect(page.text).toContain('<script src="/admin/assets/broadcasts/progress.js" defer></script>');
    expect(page.text).toContain('data-live="1"');
  });

  it('refuses to send an audience that changed since it was counted, bad text, or a time in the past', async () => {
    await addContact(db(), 'zalo', 'z-1');
    const s = await as('officer');
    const stale = await s.agent.post('/admin/broadcasts/new').type('form').send({ ...composeForm(), countedSegment: '[]', countedTotal: '1', action: 'send', _csrf: s.csrfToken });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain(t('errors.countChanged'));

    const tooLong = await countThenSend(s, { text: 'a'.repeat(2001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain(t('errors.textTooLong'));
    expect(tooLong.text).toContain('a'.repeat(2001)); // nothing typed is lost

    const past = await countThenSend(s, { when: 'later', scheduledAt: '2026-11-23T09:00' }); // T0 is 10:00 in Vietnam
    expect(past.status).toBe(400);
    expect(past.text).toContain(t('errors.schedulePast'));

    const noProcedure = await s.agent.post('/admin/broadcasts/new').type('form').send({ ...composeForm({ kind: 'asked_procedure' }), action: 'count', _csrf: s.csrfToken });
    expect(noProcedure.status).toBe(400);
    expect(noProcedure.text).toContain(t('errors.segmentProcedure'));

    const nobody = await s.agent.post('/admin/broadcasts/new').type('form').send({ ...composeForm({ kind: 'asked_procedure', procedure: 'ket-hon' }), action: 'count', _csrf: s.csrfToken });
    expect(nobody.text).toContain(t('errors.emptySegment'));
    expect(nobody.text).not.toContain('value="send"');

    const noCsrf = await s.agent.post('/admin/broadcasts/new').type('form').send({ ...composeForm(), action: 'count' });
    expect(noCsrf.status).toBe(403);
    expect(await q('select * from broadcasts')).toHaveLength(0);
  });

  it('schedules at a Vietnam time; the list shows it with its audience', async () => {
    await askedAbout(db(), 'zalo', 'z-1', 'ket-hon', new Date(T0.getTime() - DAY));
    const s = await as('officer');
    const res = await countThenSend(s, { kind: 'asked_procedure', procedure: 'ket-hon', days: '7', when: 'later', scheduledAt: '2026-11-24T08:30', title: '<b>Kết hôn</b>' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/\?done=scheduled$/);
    const [b] = await q<{ status: string; scheduled_at: Date }>('select status, scheduled_at from broadcasts');
    expect(b?.status).toBe('scheduled');
    expect(new Date(b!.scheduled_at).toISOString()).toBe('2026-11-24T01:30:00.000Z');
    expect(await q('select * from outbox')).toHaveLength(0);
    const list = await s.agent.get('/admin/broadcasts');
    expect(list.text).toContain('&lt;b&gt;Kết hôn&lt;/b&gt;');
    expect(list.text).toContain(t('segment.describe.asked_procedure', { procedure: 'Đăng ký kết hôn', days: 7, channel: t('channels.all') }));
    expect(list.text).toContain('24/11/2026 08:30');
  });

  it('shows live progress with refusals by channel policy and their reasons', async () => {
    await addContact(db(), 'zalo', 'z-ok', { lastInboundAt: new Date(T0.getTime() - DAY) });
    await addContact(db(), 'zalo', 'z-silent', { lastInboundAt: new Date(T0.getTime() - 9 * DAY) });
    await addContact(db(), 'messenger', 'm-stale', { lastInboundAt: new Date(T0.getTime() - 30 * HOUR), name: 'Lê Thị Hạnh' });
    const s = await as('officer');
    const created = await countThenSend(s);
    await testDelivery(db(), { realPolicies: true }).worker.drain();
    const page = await s.agent.get(created.headers.location!);
    const live = page.text.slice(page.text.indexOf('id="broadcast-live"'));
    expect(live).toMatch(/data-count="sent"><strong>1<\/strong>/);
    expect(live).toMatch(/data-count="refused"><strong>2<\/strong>/);
    expect(live).toContain(t('outcome.refused'));
    expect(live).toContain(t('reasons.zaloOutsideWindow'));
    expect(live).toContain(t('reasons.messengerOutsideWindow'));
    expect(live).toContain('outside the Messenger 24-hour window (last message from the person 30 h ago)');
    expect(live).toContain('Lê Thị Hạnh');

    const fragment = await s.agent.get(`${created.headers.location!.split('?')[0]}/live`);
    expect(fragment.status).toBe(200);
    expect(fragment.text.startsWith('<div id="broadcast-live"')).toBe(true);
    expect(fragment.text).toContain(t('reasons.zaloOutsideWindow'));
  });

  it('pauses, resumes and cancels with CSRF and an audit record; cancel needs a confirmation', async () => {
    for (const id of ['z-1', 'z-2']) await addContact(db(), 'zalo', id);
    const s = await as('officer');
    const base = (await countThenSend(s)).headers.location!.split('?')[0]!;
    const status = async () => (await q<{ status: string }>('select status from broadcasts'))[0]?.status;

    expect((await s.agent.post(`${base}/pause`).type('form').send({})).status).toBe(403);
    expect(await status()).toBe('sending');
    expect((await s.agent.post(`${base}/pause`).type('form').send({ _csrf: s.csrfToken })).headers.location).toBe(`${base}?done=pause`);
    expect(await status()).toBe('paused');
    const again = await s.agent.post(`${base}/pause`).type('form').send({ _csrf: s.csrfToken });
    expect(again.status).toBe(409);
    expect(again.text).toContain(t('errors.notAllowed'));
    expect((await s.agent.post(`${base}/resume`).type('form').send({ _csrf: s.csrfToken })).status).toBe(303);
    expect(await status()).toBe('sending');

    const unconfirmed = await s.agent.post(`${base}/cancel`).type('form').send({ _csrf: s.csrfToken });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain(t('errors.confirmCancel'));
    expect(await status()).toBe('sending');
    expect((await s.agent.post(`${base}/cancel`).type('form').send({ _csrf: s.csrfToken, confirm: 'yes' })).status).toBe(303);
    expect(await status()).toBe('cancelled');
    // The messages queued by "send now" were withdrawn before any worker sent them.
    expect(await q("select distinct status from outbox")).toEqual([{ status: 'failed' }]);

    const audit = await q<{ action: string; before: { status: string }; after: { status: string } }>(
      "select action, before, after from audit_log where action like 'broadcast.%' order by id",
    );
    expect(audit.map((a) => `${a.action}:${a.before?.status ?? ''}>${a.after?.status ?? ''}`)).toEqual([
      'broadcast.create:>',
      'broadcast.pause:sending>paused',
      'broadcast.resume:paused>sending',
      'broadcast.cancel:sending>cancelled',
    ]);
    expect((await s.agent.get('/admin/broadcasts/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await s.agent.post('/admin/broadcasts/nope/pause').type('form').send({ _csrf: s.csrfToken })).status).toBe(404);
  });

  it('summarises delivery outcomes by purpose over a Vietnam date range', async () => {
    await db().insert(tables.outbox).values([
      { dedupeKey: 'r-1', channel: 'zalo', recipient: { userId: 'u' }, content: {}, purpose: 'reminder', status: 'sent', mode: 'zalo_zns', createdAt: T0 },
      { dedupeKey: 'b-1', channel: 'zalo', recipient: { userId: 'u' }, content: {}, purpose: 'broadcast', status: 'failed', failureReason: 'the person unfollowed the OA', createdAt: T0 },
      { dedupeKey: 'old', channel: 'zalo', recipient: { userId: 'u' }, content: {}, purpose: 'reply', status: 'sent', createdAt: new Date(T0.getTime() - 30 * DAY) },
    ]);
    const s = await as('officer');
    const res = await s.agent.get('/admin/delivery-outcomes');
    expect(res.status).toBe(200);
    const table = res.text.slice(res.text.indexOf('id="outcomes-by-purpose"'));
    expect(table).toContain(t('purposes.reminder'));
    expect(table).toContain(t('purposes.broadcast'));
    expect(table).not.toContain(t('purposes.reply')); // 30 days ago: outside the last 7 days
    expect(res.text).toContain('<code>zalo_zns</code>');
    expect(res.text).toContain(t('reasons.zaloUnfollowed'));
    const month = await s.agent.get('/admin/delivery-outcomes?from=2026-10-01&to=2026-11-23');
    expect(month.text.slice(month.text.indexOf('id="outcomes-by-purpose"'))).toContain(t('purposes.reply'));
    const bad = await s.agent.get('/admin/delivery-outcomes?from=2026-11-30&to=2026-11-01');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain(t('errors.rangeOrder'));
  });
});
