/**
 * A citizen's questions over real HTTP to the running app: real NLU, the sample knowledge base,
 * a real database. Checks the content of the answers, not just that there is one.
 */
import { randomUUID } from 'node:crypto';
import { describeEachDatabase } from '../support/db';
import { postJson, startApp, type RunningApp } from '../support/app';

describeEachDatabase('web chat end to end', (getDb) => {
  let app: RunningApp;
  beforeEach(async () => {
    app = await startApp(getDb().database);
  });
  afterEach(async () => {
    await app.close();
  });

  const ask = async (sessionId: string, text: string) => {
    const res = await postJson(`${app.baseUrl}/api/webchat/messages`, { sessionId, text });
    expect(res.status).toBe(200);
    return (res.body.replies as { text: string; quickReplies?: { payload: string }[] }[]).map((r) => r.text).join('\n');
  };

  it('answers the documents for a birth registration, typed without diacritics', async () => {
    const answer = await ask(randomUUID(), 'lam giay khai sinh cho con can giay to gi a');
    expect(answer).toContain('hồ sơ đăng ký khai sinh gồm');
    expect(answer).toContain('Giấy chứng sinh');
    expect(answer).not.toContain('Giấy xác nhận tình trạng hôn nhân');
  });

  it('answers a fee, then a follow-up about processing time for the same procedure', async () => {
    const session = randomUUID();
    const fee = await ask(session, 'Lệ phí cấp phiếu lý lịch tư pháp là bao nhiêu?');
    expect(fee).toContain('200.000 đồng');
    const time = await ask(session, 'bao lâu thì có kết quả');
    expect(time).toContain('Không quá 10 ngày');
  });

  it('takes a correction ("không phải, ý tôi là …") in the context of the question asked', async () => {
    const session = randomUUID();
    expect(await ask(session, 'giấy tờ làm khai sinh')).toContain('hồ sơ đăng ký khai sinh gồm');
    expect(await ask(session, 'không phải, ý tôi là khai tử')).toContain('hồ sơ đăng ký khai tử gồm');
    expect(await ask(session, 'ko phai, y toi la le phi')).toContain('thủ tục đăng ký khai tử được miễn lệ phí');
  });

  it('tells where to file, with the office address and hours', async () => {
    const answer = await ask(randomUUID(), 'dang ky thuong tru nop o dau');
    expect(answer).toContain('Công an thị trấn Hòa An');
    expect(answer).toMatch(/Giờ làm việc/);
  });

  it('greets a new web chat session and gives the main menu', async () => {
    const res = await postJson(`${app.baseUrl}/api/webchat/messages`, { sessionId: randomUUID(), payload: 'GET_STARTED' });
    expect(res.body.replies[0].text).toContain('Trợ lý Một cửa');
    expect(res.body.replies[0].quickReplies.map((q: { payload: string }) => q.payload)).toEqual(['MENU:procedures', 'MENU:hours', 'APPR:book', 'HANDOFF']);
  });

  it('rejects a bad request with the reason and stores nothing', async () => {
    const res = await postJson(`${app.baseUrl}/api/webchat/messages`, { sessionId: 'x', text: '' });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['sessionId']));
    const rows = await getDb().database.query('select 1 from messages');
    expect(rows).toHaveLength(0);
    const malformed = await fetch(`${app.baseUrl}/api/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"sessionId": ',
    });
    expect(malformed.status).toBe(400);
  });

  it('serves the chat page with its strings inlined, and the NLU parse to localhost', async () => {
    const page = await fetch(`${app.baseUrl}/chat`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain('__CHAT_STRINGS__');
    expect(html).toContain('Trợ lý Một cửa');
    const parse = await postJson(`${app.baseUrl}/api/nlu/parse`, { text: 'le phi ket hon bao nhieu', now: '2026-11-23T10:00:00+07:00' });
    expect(parse.status).toBe(200);
    expect(Object.keys(parse.body).sort()).toEqual(['entities', 'intent', 'procedure', 'score', 'text']);
    expect(parse.body).toMatchObject({ intent: 'procedure.fee', procedure: 'ket-hon' });
  });

  it('reports queue depths at /metrics', async () => {
    await postJson(`${app.baseUrl}/api/webchat/messages`, { sessionId: randomUUID(), text: 'gặp cán bộ' });
    const res = await fetch(`${app.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^tlmc_conversations\{status="waiting_human"\} 1$/m);
    expect(text).toMatch(/^tlmc_process_uptime_seconds \d+$/m);
  });

  it('reports ready when the database is migrated', async () => {
    const res = await fetch(`${app.baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready' });
  });
});
