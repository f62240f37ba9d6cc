/**
 * The inbox's pages over HTTP (with a test AdminKit) on the real database: the queue, the
 * conversation page and its polling endpoint, and who may see them.
 */
import request from 'supertest';
import { describeEachDatabase } from '../../support/db';
import { as, i18n, inboxHarness, officials, TEST_CSRF } from './test-kit';

describeEachDatabase('admin inbox pages', (getDb) => {
  const { db, app, say, conversationId, row, claim } = inboxHarness(getDb);

  it('queues hand-over requests, repeated misunderstandings and low ratings, with the person, last message, waiting time and reason', async () => {
    await say('u-request', 'gặp cán bộ', { channel: 'zalo' });
    await db().query("insert into channel_contacts (channel, channel_user_id, display_name, phone) values ('zalo', 'u-request', 'Võ Thị Hoa', '0912345678')");
    await say('u-missed', 'blah blah');
    await say('u-missed', 'hmm hmm');
    await say('u-missed', undefined, { payload: 'HANDOFF' });
    await say('u-rated', 'đánh giá');
    await say('u-rated', '1');
    await say('u-happy', 'đánh giá');
    await say('u-happy', '5');
    await say('u-bot', 'xin chào');

    const res = await request(app()).get('/admin/inbox').set(as(officials.an));
    expect(res.status).toBe(200);
    const waiting = res.text.slice(res.text.indexOf('id="inbox-waiting"'), res.text.indexOf('id="inbox-mine"'));
    expect(waiting).toContain('Võ Thị Hoa');
    expect(waiting).toContain('SĐT: 0912345678');
    expect(waiting).toContain('Zalo');
    expect(waiting).toContain(i18n.t('admin-inbox.reasons.request'));
    expect(waiting).toContain(i18n.t('admin-inbox.reasons.fallbacks'));
    expect(waiting).toContain(i18n.t('admin-inbox.reasons.low_rating'));
    expect(waiting).toContain('25 phút'); // waited since the request, on a Vietnamese clock
    expect(waiting).toContain('u-missed');
    expect(waiting).not.toContain('u-happy');
    expect(waiting).not.toContain('u-bot');
    // The last message shown is what the person wrote, not the bot's hand-over notice.
    expect(waiting).toContain('gặp cán bộ');
    expect(waiting).not.toContain('Dạ, em cảm ơn anh/chị đã đánh giá 1/5');
    expect(res.text).toContain(i18n.t('admin-inbox.empty.mine'));
  });

  it('shows mine and other officials\' conversations apart', async () => {
    await say('u-1', 'gặp cán bộ');
    await say('u-2', 'gặp cán bộ');
    expect((await claim(await conversationId('u-1'), officials.an)).status).toBe(303);
    expect((await claim(await conversationId('u-2'), officials.binh)).status).toBe(303);
    const res = await request(app()).get('/admin/inbox').set(as(officials.an));
    const mine = res.text.slice(res.text.indexOf('id="inbox-mine"'), res.text.indexOf('id="inbox-others"'));
    const others = res.text.slice(res.text.indexOf('id="inbox-others"'));
    expect(mine).toContain('u-1');
    expect(mine).not.toContain('u-2');
    expect(others).toContain('u-2');
    expect(others).toContain('Trần Thị Bình');
    expect(res.text).toContain(i18n.t('admin-inbox.empty.waiting'));
  });

  it('shows the history with authors, intents and scores, escapes stored markup, and carries the CSRF field and the polling script', async () => {
    await say('u-x', 'lệ phí kết hôn');
    await say('u-x', '<script>alert("x")</script>');
    await say('u-x', 'gặp cán bộ');
    const id = await conversationId('u-x');
    const res = await request(app()).get(`/admin/inbox/${id}`).set(as(officials.an));
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(res.text).toContain('Ý định: procedure.fee · độ tin cậy 0,93');
    expect(res.text).toContain('Thủ tục: ket-hon');
    expect(res.text).toContain('class="bubble in"');
    expect(res.text).toContain('class="bubble out"');
    expect(res.text).toContain(`action="/admin/inbox/${id}/claim"`);
    expect(res.text).toContain(`<input type="hidden" name="_csrf" value="${TEST_CSRF}">`);
    expect(res.text).toContain('<script src="/admin/assets/inbox/inbox.js" defer></script>');
    expect(res.text).not.toContain(`action="/admin/inbox/${id}/reply"`); // not claimed yet

    await claim(id);
    const claimed = await request(app()).get(`/admin/inbox/${id}?done=claimed`).set(as(officials.an));
    expect(claimed.text).toContain(i18n.t('admin-inbox.flash.claimed'));
    const form = claimed.text.slice(claimed.text.indexOf(`action="/admin/inbox/${id}/reply"`));
    expect(form).toContain(`name="_csrf" value="${TEST_CSRF}"`);
    expect(form).toMatch(/name="nonce" value="[0-9a-f-]{36}"/);
  });

  it('serves the page script, and answers unknown conversations with 404', async () => {
    const js = await request(app()).get('/admin/assets/inbox/inbox.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect((await request(app()).get('/admin/inbox/not-a-uuid').set(as(officials.an))).status).toBe(404);
    const missing = await request(app()).get('/admin/inbox/00000000-0000-4000-8000-000000000999').set(as(officials.an));
    expect(missing.status).toBe(404);
    expect(missing.text).toContain(i18n.t('admin-inbox.errors.notFound'));
    expect((await claim('00000000-0000-4000-8000-000000000999')).status).toBe(404);
  });

  it('fetches only the messages after a given id for the page to append', async () => {
    await say('u-p', 'gặp cán bộ');
    const id = await conversationId('u-p');
    const all = await request(app()).get(`/admin/inbox/${id}/messages.json`).set(as(officials.an));
    expect(all.body.state).toBe('waiting_human:');
    const lastId = all.body.lastId as number;
    await say('u-p', '<img src=x onerror=alert(1)>');
    const fresh = await request(app()).get(`/admin/inbox/${id}/messages.json?after=${lastId}`).set(as(officials.an));
    expect(fresh.body.messages.map((m: { kind: string; text: string }) => [m.kind, m.text])).toEqual([
      ['in', '<img src=x onerror=alert(1)>'], // JSON: the script inserts it as text
      ['out', expect.any(String)],
    ]);
    expect(fresh.body.lastId).toBeGreaterThan(lastId);
  });

  it('lets only officers and admins in (viewer and appraiser: 403; nobody signed in: 401)', async () => {
    await say('u-r', 'gặp cán bộ');
    const id = await conversationId('u-r');
    const routes: Array<['get' | 'post', string]> = [
      ['get', '/admin/inbox'],
      ['get', `/admin/inbox/${id}`],
      ['get', `/admin/inbox/${id}/messages.json`],
      ['post', `/admin/inbox/${id}/claim`],
      ['post', `/admin/inbox/${id}/reply`],
      ['post', `/admin/inbox/${id}/release`],
    ];
    for (const [method, path] of routes) {
      for (const who of [officials.viewer, officials.appraiser]) {
        expect({ path, role: who.role, status: (await request(app())[method](path).set(as(who)).type('form').send({ _csrf: TEST_CSRF, text: 'x' })).status }).toEqual({
          path,
          role: who.role,
          status: 403,
        });
      }
      expect((await request(app())[method](path)).status).toBe(401);
    }
    expect((await request(app()).get('/admin/inbox').set(as(officials.boss))).status).toBe(200);
    expect((await row(id)).status).toBe('waiting_human'); // nothing changed
  });
});
