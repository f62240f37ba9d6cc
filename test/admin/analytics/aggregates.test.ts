/**
 * The analytics numbers on a real database: days and weeks are Vietnam days (UTC+7) even around
 * UTC midnight, the channel filter applies everywhere, hand-over wait times are exact percentiles,
 * and the page's chart data and the CSV export say the same as the queries.
 */
import request from 'supertest';
import { describeEachDatabase } from '../../support/db';
import { handoffsPerDay, overview, ratingsPerWeek, topIntents } from '../../../src/admin/analytics/queries';
import { parseRange, type AnalyticsRange } from '../../../src/admin/analytics/range';
import { ProcedureRepository } from '../../../src/procedures';
import { testOffice, testProcedure } from '../../support/fixtures';
import type { Db } from '../../../src/db';
import { chartData, conversation, csvRows, inbound, rating, testApp } from './support';

function range(query: Record<string, string>): AnalyticsRange {
  const parsed = parseRange(query, new Date('2026-03-20T05:00:00Z'));
  if (!parsed.ok) throw new Error(`bad range in test: ${parsed.error}`);
  return parsed.range;
}

const MARCH = { from: '2026-03-01', to: '2026-03-14' };
const minutesAfter = (iso: string, m: number) => new Date(new Date(iso).getTime() + m * 60_000);

/** Messages around Vietnam midnight on three channels, with known intents. */
async function seedMessages(db: Db): Promise<void> {
  const z1 = await conversation(db, 'zalo');
  const z2 = await conversation(db, 'zalo');
  const w1 = await conversation(db, 'webchat');
  const m1 = await conversation(db, 'messenger');
  await inbound(db, z1, '2026-02-28T16:59:00Z', { intent: 'procedure.fee' }); // 28/02 23:59 in Vietnam: outside
  await inbound(db, z1, '2026-02-28T17:00:00Z', { intent: 'procedure.fee' }); // 01/03 00:00
  await inbound(db, z1, '2026-03-01T16:59:59Z', { intent: 'greeting' }); // 01/03 23:59:59
  await inbound(db, z1, '2026-03-01T17:00:00Z', { text: 'abc xyz', intent: 'none', score: 0.7 }); // 02/03 00:00, not understood
  await inbound(db, w1, '2026-03-01T10:00:00Z', { intent: 'procedure.fee' }); // 01/03 17:00
  await inbound(db, z2, '2026-03-03T03:00:00Z', { text: null, payload: 'PROCEDURE:khai-sinh', intent: 'payload.procedure', score: 1, procedure: 'khai-sinh' });
  await inbound(db, z2, '2026-03-03T03:10:00Z', { text: 'khai sinh', intent: 'none', score: 0.8, procedure: 'khai-sinh' }); // answered: a procedure was named
  await inbound(db, z2, '2026-03-03T03:20:00Z', { text: 'cảm ơn chị', intent: null, score: null }); // an official owned the conversation
  await inbound(db, m1, '2026-03-14T16:59:00Z', { intent: 'greeting' }); // 14/03 23:59
  await inbound(db, m1, '2026-03-14T17:00:00Z', { intent: 'greeting' }); // 15/03 00:00: outside
}

describeEachDatabase('analytics aggregates', (getDb) => {
  it('counts messages per Vietnam day and channel, around UTC+7 midnight', async () => {
    const db = getDb().database.db;
    await seedMessages(db);
    const res = await request(testApp(db)).get('/admin/analytics').query(MARCH).set('x-test-role', 'viewer');
    expect(res.status).toBe(200);
    const data = chartData(res.text);
    expect(data.messages.labels).toHaveLength(14);
    expect(data.messages.labels[0]).toBe('01/03/2026');
    const series = Object.fromEntries(data.messages.series.map((s: { key: string; data: number[] }) => [s.key, s.data]));
    expect(series.zalo.slice(0, 3)).toEqual([2, 1, 3]);
    expect(series.webchat.slice(0, 3)).toEqual([1, 0, 0]);
    expect(series.messenger[13]).toBe(1);
    expect(series.messenger.slice(0, 13).every((n: number) => n === 0)).toBe(true);

    const csv = await request(testApp(db)).get('/admin/analytics/export.csv').query({ ...MARCH, report: 'messages' }).set('x-test-role', 'viewer');
    const rows = csvRows(csv.text);
    expect(rows[0]).toEqual(['Ngày', 'Zalo', 'Messenger', 'Trò chuyện trên cổng', 'Tổng']);
    expect(rows.slice(1, 4)).toEqual([
      ['2026-03-01', '2', '0', '1', '3'],
      ['2026-03-02', '1', '0', '0', '1'],
      ['2026-03-03', '3', '0', '0', '3'],
    ]);
    expect(rows[14]).toEqual(['2026-03-14', '0', '1', '0', '1']);
    expect(rows).toHaveLength(15);
  });

  it('applies the channel filter', async () => {
    const db = getDb().database.db;
    await seedMessages(db);
    const res = await request(testApp(db)).get('/admin/analytics').query({ ...MARCH, channel: 'webchat' }).set('x-test-role', 'viewer');
    const data = chartData(res.text);
    expect(data.messages.series.map((s: { key: string }) => s.key)).toEqual(['webchat']);
    expect(data.messages.series[0].data.reduce((a: number, b: number) => a + b, 0)).toBe(1);
    expect(data.intents.data).toEqual([1]);
  });

  it('computes the cards: messages, conversations, people, share understood', async () => {
    const db = getDb().database.db;
    await seedMessages(db);
    const o = await overview(db, range(MARCH));
    expect(o.messagesIn).toBe(8);
    expect(o.people).toBe(4);
    // z1: 00:00 and 23:59:59 on 01/03 (two conversations), 00:00:00 on 02/03 one second later (same one);
    // w1, z2 (three messages within 20 minutes) and m1: one each.
    expect(o.conversations).toBe(5);
    // Texts read by the bot: every typed message except the payload and the one an official owned.
    expect(o.textsRead).toBe(6);
    expect(o.understood).toBe(5);
  });

  it('ranks the intents of typed messages (payloads and unread messages left out)', async () => {
    const db = getDb().database.db;
    await seedMessages(db);
    const list = await topIntents(db, range(MARCH), 10);
    // Two each: ties are ordered by intent name.
    expect(list.map((r) => [r.key, r.count])).toEqual([
      ['greeting', 2],
      ['none', 2],
      ['procedure.fee', 2],
    ]);
    const zalo = await topIntents(db, range({ ...MARCH, channel: 'zalo' }), 1);
    expect(zalo.map((r) => [r.key, r.count])).toEqual([['none', 2]]);
    const res = await request(testApp(db)).get('/admin/analytics').query(MARCH).set('x-test-role', 'viewer');
    expect(chartData(res.text).intents.labels).toEqual(['Chào hỏi', 'Ngoài phạm vi hoặc chưa hiểu', 'Hỏi lệ phí']);
  });

  it('ranks procedures with their names, and the CSV neutralises a formula in a name', async () => {
    const db = getDb().database.db;
    const repo = new ProcedureRepository(db);
    await repo.upsert({ offices: [testOffice], procedures: [testProcedure('khai-sinh', { name: "=cmd|' /C calc'!A0" }), testProcedure('ket-hon', { name: 'Đăng ký kết hôn' })] });
    const c = await conversation(db, 'zalo');
    for (const at of ['2026-03-02T01:00:00Z', '2026-03-02T02:00:00Z']) await inbound(db, c, at, { intent: 'procedure.fee', procedure: 'khai-sinh' });
    await inbound(db, c, '2026-03-02T03:00:00Z', { intent: 'procedure.fee', procedure: 'ket-hon' });
    const res = await request(testApp(db)).get('/admin/analytics/export.csv').query({ ...MARCH, report: 'procedures' }).set('x-test-role', 'officer');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="analytics-procedures-2026-03-01-2026-03-14.csv"');
    expect(Buffer.from(res.text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = csvRows(res.text);
    expect(rows).toEqual([
      ['Mã thủ tục', 'Tên thủ tục', 'Số lượng'],
      ['khai-sinh', "'=cmd|' /C calc'!A0", '2'],
      ['ket-hon', 'Đăng ký kết hôn', '1'],
    ]);
  });

  it('counts hand-overs per day with the median and 90th percentile time to the first human reply', async () => {
    const db = getDb().database.db;
    const at = '2026-03-05T02:00:00Z';
    for (const wait of [2, 4, 10]) await conversation(db, 'zalo', { handoffRequestedAt: new Date(at), firstHumanReplyAt: minutesAfter(at, wait) });
    await conversation(db, 'zalo', { handoffRequestedAt: new Date(at) }); // not answered yet
    await conversation(db, 'messenger', { handoffRequestedAt: new Date(at), firstHumanReplyAt: minutesAfter(at, 60) });
    // A second hand-over: the stored first reply belongs to the earlier one, so this one is unanswered.
    // 17:30 UTC on 06/03 is 00:30 on 07/03 in Vietnam.
    await conversation(db, 'zalo', { handoffRequestedAt: new Date('2026-03-06T17:30:00Z'), firstHumanReplyAt: new Date('2026-03-01T02:00:00Z') });

    const all = await handoffsPerDay(db, range(MARCH));
    expect(all).toEqual([
      { day: '2026-03-05', requested: 5, answered: 4, medianMinutes: 7, p90Minutes: 45 },
      { day: '2026-03-07', requested: 1, answered: 0, medianMinutes: null, p90Minutes: null },
    ]);
    const zalo = await handoffsPerDay(db, range({ ...MARCH, channel: 'zalo' }));
    // [2, 4, 10]: median 4; p90 = 4 + 0.8 × (10 − 4) = 8.8 (linear interpolation, percentile_cont).
    expect(zalo[0]).toEqual({ day: '2026-03-05', requested: 4, answered: 3, medianMinutes: 4, p90Minutes: 8.8 });
    const o = await overview(db, range({ ...MARCH, channel: 'zalo' }));
    expect([o.handoffs, o.handoffsAnswered, o.medianReplyMinutes, o.p90ReplyMinutes]).toEqual([5, 3, 4, 8.8]);

    const csv = await request(testApp(db)).get('/admin/analytics/export.csv').query({ ...MARCH, report: 'handoffs' }).set('x-test-role', 'viewer');
    const rows = csvRows(csv.text);
    expect(rows.find((r) => r[0] === '2026-03-05')).toEqual(['2026-03-05', '5', '4', '7', '45']);
    expect(rows.find((r) => r[0] === '2026-03-04')).toEqual(['2026-03-04', '0', '0', '', '']);
  });

  it('averages ratings per Vietnam week (Monday 00:30 in Vietnam is Sunday in UTC)', async () => {
    const db = getDb().database.db;
    const c = await conversation(db, 'webchat');
    await rating(db, c, '2026-03-02T03:00:00Z', 5);
    await rating(db, c, '2026-03-04T03:00:00Z', 3);
    await rating(db, c, '2026-03-08T17:30:00Z', 4); // Mon 09/03 00:30 in Vietnam
    await rating(db, c, '2026-03-10T03:00:00Z', 1);
    const weeks = await ratingsPerWeek(db, range(MARCH));
    expect(weeks).toEqual([
      { week: '2026-03-02', count: 2, average: 4 },
      { week: '2026-03-09', count: 2, average: 2.5 },
    ]);
    const o = await overview(db, range(MARCH));
    expect([o.ratings, o.averageRating]).toEqual([4, 3.25]);
    const res = await request(testApp(db)).get('/admin/analytics').query(MARCH).set('x-test-role', 'viewer');
    expect(chartData(res.text).ratings).toMatchObject({ labels: ['02/03/2026', '09/03/2026'], average: { data: [4, 2.5] }, count: { data: [2, 2] } });
    const csv = csvRows((await request(testApp(db)).get('/admin/analytics/export.csv').query({ ...MARCH, report: 'ratings' }).set('x-test-role', 'viewer')).text);
    expect(csv.slice(1)).toEqual([
      ['2026-03-02', '2', '4'],
      ['2026-03-09', '2', '2.5'],
    ]);
  });

  it('renders every chart with its accessible table, and an empty period without charts', async () => {
    const db = getDb().database.db;
    await seedMessages(db);
    const res = await request(testApp(db)).get('/admin/analytics').query(MARCH).set('x-test-role', 'viewer');
    for (const id of ['messages', 'intents', 'procedures']) {
      expect(res.text).toContain(`<canvas id="chart-${id}" role="img"`);
    }
    expect(res.text.match(/<details><summary>Xem bảng số liệu<\/summary>/g)).toHaveLength(3);
    expect(res.text).toContain('<th scope="row">01/03/2026</th><td>2</td><td>0</td><td>1</td><td>3</td>');
    expect(res.text).toContain('Chưa có số liệu trong khoảng thời gian này.');
    const empty = await request(testApp(db)).get('/admin/analytics').query({ from: '2025-01-01', to: '2025-01-31' }).set('x-test-role', 'viewer');
    expect(empty.status).toBe(200);
    expect(empty.text).not.toContain('<canvas');
  });
});
