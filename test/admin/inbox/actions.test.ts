/**
 * Claim, reply and hand back over HTTP (with a test AdminKit) on the real database, what each
 * stores and queues, what the bot does around them, and the web chat's way of getting replies.
 */
import request from 'supertest';
import { claimConversation } from '../../../src/admin/inbox';
import { describeEachDatabase } from '../../support/db';
import { as, i18n, inboxHarness, officials, TEST_CSRF, testKit } from './test-kit';

describeEachDatabase('admin inbox actions', (getDb) => {
  const { db, app, outbound, say, conversationId, row, claim, reply } = inboxHarness(getDb);

  it('lets exactly one of two officials claiming at once win; the other is told clearly', async () => {
    await say('u-race', 'gặp cán bộ');
    const id = await conversationId('u-race');
    const [a, b] = await Promise.all([claim(id, officials.an), claim(id, officials.binh)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([303, 409]);
    const loser = a.status === 409 ? a : b;
    const winner = a.status === 303 ? officials.an : officials.binh;
    expect(loser.text).toContain(i18n.t('admin-inbox.errors.taken'));
    const after = await row(id);
    expect(after.status).toBe('human');
    expect(after.assigned_official_id).toBe(winner.id);
    expect(after.claimed_at).toBeInstanceOf(Date);
    const audits = await db().query<{ action: string; official_id: string; before: unknown; after: unknown }>(
      "select action, official_id, before, after from audit_log where action = 'conversation.claim'",
    );
    expect(audits).toEqual([
      { action: 'conversation.claim', official_id: winner.id, before: { status: 'waiting_human', assignedOfficialId: null }, after: { status: 'human', assignedOfficialId: winner.id } },
    ]);
  });

  it('lets exactly one of many simultaneous claims win, whatever the interleaving', async () => {
    await say('u-crowd', 'gặp cán bộ');
    const id = await conversationId('u-crowd');
    const crowd = Array.from({ length: 6 }, (_, i) => ({ ...officials.an, id: `00000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}` }));
    const results = await Promise.all(crowd.map((o) => claimConversation(db().db, testKit, id, o)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(Array(5).fill('taken'));
    const winner = crowd[results.findIndex((r) => r.ok)]!;
    expect((await row(id)).assigned_official_id).toBe(winner.id);
    expect((await db().query("select official_id from audit_log where action = 'conversation.claim'")).length).toBe(1);
  });

  it('refuses to claim a conversation the bot is answering', async () => {
    await say('u-plain', 'xin chào');
    const res = await claim(await conversationId('u-plain'));
    expect(res.status).toBe(409);
    expect(res.text).toContain(i18n.t('admin-inbox.errors.notWaiting'));
  });

  it('stores a reply, queues exactly one human_reply for the person on Zalo, and records the first reply time once', async () => {
    await say('zalo-user-9', 'gặp cán bộ', { channel: 'zalo' });
    const id = await conversationId('zalo-user-9');
    expect((await reply(id, 'Chào anh')).status).toBe(409); // not claimed: nobody may reply
    await claim(id);
    expect((await reply(id, 'Chào chị', officials.binh)).status).toBe(409); // not the holder

    const res = await reply(id, 'Dạ, hồ sơ của chị cần thêm bản sao CCCD.');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/inbox/${id}?done=replied`);
    expect(outbound.calls).toBe(1);
    const msgs = await db().query<{ id: string; author: string; official_id: string; text: string; direction: string }>(
      "select id, author, official_id, text, direction from messages where conversation_id = $1 and author = 'official'",
      [id],
    );
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ author: 'official', official_id: officials.an.id, text: 'Dạ, hồ sơ của chị cần thêm bản sao CCCD.', direction: 'out' });
    const outbox = await db().query<{ dedupe_key: string; channel: string; recipient: unknown; content: unknown; purpose: string; conversation_id: string }>(
      'select dedupe_key, channel, recipient, content, purpose, conversation_id from outbox',
    );
    expect(outbox).toEqual([
      {
        dedupe_key: `human:${msgs[0]!.id}`,
        channel: 'zalo',
        recipient: { userId: 'zalo-user-9' },
        content: { type: 'reply', reply: { text: 'Dạ, hồ sơ của chị cần thêm bản sao CCCD.' } },
        purpose: 'human_reply',
        conversation_id: id,
      },
    ]);
    const first = (await row(id)).first_human_reply_at;
    expect(first).toBeInstanceOf(Date);

    await new Promise((r) => setTimeout(r, 20));
    expect((await reply(id, 'Chị cần gì thêm cứ nhắn ạ.')).status).toBe(303);
    expect((await row(id)).first_human_reply_at?.getTime()).toBe(first!.getTime());
    expect(Number((await db().query<{ n: string }>('select count(*) as n from outbox'))[0]!.n)).toBe(2);
    const audits = await db().query<{ after: { text: string; queued: boolean } }>("select after from audit_log where action = 'conversation.reply' order by id");
    expect(audits.map((a) => a.after.queued)).toEqual([true, true]);
  });

  it('stores a double-submitted reply once', async () => {
    await say('m-user', 'gặp cán bộ', { channel: 'messenger' });
    const id = await conversationId('m-user');
    await claim(id);
    const nonce = crypto.randomUUID();
    await Promise.all([reply(id, 'Xin chào', officials.an, nonce), reply(id, 'Xin chào', officials.an, nonce)]);
    expect((await db().query("select id from messages where author = 'official'")).length).toBe(1);
    expect((await db().query("select id from outbox where purpose = 'human_reply'")).length).toBe(1);
  });

  it('re-shows an invalid reply with a Vietnamese message and the text kept (400)', async () => {
    await say('u-v', 'gặp cán bộ', { channel: 'zalo' });
    const id = await conversationId('u-v');
    await claim(id);
    const empty = await reply(id, '   ');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain(i18n.t('admin-inbox.errors.replyEmpty'));
    const long = 'Dài <b>quá</b> '.repeat(200);
    const tooLong = await reply(id, long);
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain(i18n.t('admin-inbox.errors.replyTooLong'));
    expect(tooLong.text).toContain('Dài &lt;b&gt;quá&lt;/b&gt; Dài');
    expect((await db().query('select id from outbox')).length).toBe(0);
  });

  it('replies on the web chat without an outbox row; the page fetches them for that session only', async () => {
    await say('session-aaaa-1', 'gặp cán bộ');
    await say('session-bbbb-2', 'gặp cán bộ');
    const id = await conversationId('session-aaaa-1');
    const other = await conversationId('session-bbbb-2');
    await claim(id);
    await claim(other, officials.binh);
    const poll = (sessionId: string, after?: number) =>
      request(app()).get('/api/webchat/messages').query(after === undefined ? { sessionId } : { sessionId, after });

    const before = await poll('session-aaaa-1');
    expect(before.body).toMatchObject({ replies: [], waiting: true });
    const start = before.body.lastId as number;

    expect((await reply(id, 'Chào anh, em là cán bộ An.')).headers.location).toBe(`/admin/inbox/${id}?done=repliedWebchat`);
    await reply(other, 'Tin cho người khác', officials.binh);
    expect(outbound.calls).toBe(0);
    expect((await db().query('select id from outbox')).length).toBe(0);

    const got = await poll('session-aaaa-1', start);
    expect(got.status).toBe(200);
    expect(got.headers['cache-control']).toBe('no-store');
    expect(got.body.replies).toEqual([{ text: 'Chào anh, em là cán bộ An.' }]);
    expect(got.body.waiting).toBe(true);
    expect(got.body.label).toBe(i18n.t('admin-inbox.webchat.officialLabel'));
    await reply(id, 'Anh cần thêm gì không ạ?');
    const next = await poll('session-aaaa-1', got.body.lastId);
    expect(next.body.replies).toEqual([{ text: 'Anh cần thêm gì không ạ?' }]); // only after the given id
    expect((await poll('session-aaaa-1', next.body.lastId)).body).toMatchObject({ replies: [], lastId: next.body.lastId });
    expect((await poll('session-unknown-3')).body).toMatchObject({ replies: [], waiting: false });
    expect((await poll('bad id!')).status).toBe(400);
  });

  it('keeps the bot quiet while an official holds the conversation, and answering again once handed back', async () => {
    await say('u-h', 'gặp cán bộ');
    // Waiting for an official, the person can keep asking the bot.
    expect(await say('u-h', 'lệ phí kết hôn')).not.toEqual([]);
    const id = await conversationId('u-h');
    await claim(id);
    expect(await say('u-h', 'lệ phí kết hôn')).toEqual([]);
    expect((await request(app()).post(`/admin/inbox/${id}/release`).set(as(officials.binh)).type('form').send({ _csrf: TEST_CSRF })).status).toBe(409);

    const released = await request(app()).post(`/admin/inbox/${id}/release`).set(as(officials.an)).type('form').send({ _csrf: TEST_CSRF });
    expect(released.status).toBe(303);
    expect(released.headers.location).toBe('/admin/inbox?done=released');
    const after = await row(id);
    expect(after).toMatchObject({ status: 'bot', assigned_official_id: null });
    expect(after.context.handoffReason).toBeUndefined();
    const [answer] = await say('u-h', 'lệ phí kết hôn');
    expect(answer?.text).toContain('kết hôn');
    const audit = await db().query<{ before: unknown; after: unknown }>("select before, after from audit_log where action = 'conversation.release'");
    expect(audit).toEqual([{ before: { status: 'human', assignedOfficialId: officials.an.id }, after: { status: 'bot', assignedOfficialId: null } }]);
  });
});
