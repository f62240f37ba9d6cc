/**
 * Remote-appraisal booking end to end, as a shop owner does it: signed Zalo and Messenger webhooks
 * into the running app (real NLU, sample knowledge base and sample appraisal calendar), messages out
 * at the fake platforms, rows in the database. Book -> status -> reschedule -> cancel in everyday
 * Vietnamese, with diacritics on Zalo and without on Messenger; on Zalo the slot is also taken by
 * the province portal between the summary and the confirmation.
 */
import { messengerEvents, messengerWebhookBody, signMessengerWebhook, startFakeGraph, type FakeGraph } from '../fakes/graph';
import { signZaloWebhook, startFakeZalo, zaloTextEvent, type FakeZalo } from '../fakes/zalo';
import { describeEachDatabase } from '../support/db';
import { eventually, postJson, startApp, type RunningApp } from '../support/app';

const zaloKeys = { appId: '1234567890', oaSecretKey: 'oa-secret-key', appSecret: 'app-secret' };
const messengerSecret = 'messenger-app-secret';

/** What one platform message showed: its text and its buttons / quick replies. */
interface Shown {
  text: string;
  chips: { title: string; payload?: string; url?: string }[];
}

/** Vietnam time of an instant, formatted independently of src/: "Thứ Sáu, 04/12/2026, 09:00". */
function vnText(at: Date): { day: string; clock: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const weekday = { Monday: 'Thứ Hai', Tuesday: 'Thứ Ba', Wednesday: 'Thứ Tư', Thursday: 'Thứ Năm', Friday: 'Thứ Sáu', Saturday: 'Thứ Bảy', Sunday: 'Chủ nhật' }[parts.weekday!];
  return { day: `${weekday}, ${parts.day}/${parts.month}/${parts.year}`, clock: `${parts.hour}:${parts.minute}` };
}

/** The start of a slot chip's payload (`APPR:slot:<procedure>:<ms>:<appraiser>` or `APPR:mto:<id>:<ms>:<appraiser>`). */
const startOf = (payload: string) => new Date(Number(payload.split(':')[3]));

describeEachDatabase('appraisal booking end to end', (getDb) => {
  let zalo: FakeZalo;
  let graph: FakeGraph;
  let app: RunningApp;
  beforeEach(async () => {
    zalo = await startFakeZalo({ appId: zaloKeys.appId, appSecret: zaloKeys.appSecret, initialAccessToken: 'at-1', initialRefreshToken: 'rt-1' });
    graph = await startFakeGraph({ pageAccessToken: 'page-token', appSecret: messengerSecret });
    app = await startApp(getDb().database, {
      ZALO_APP_ID: zaloKeys.appId,
      ZALO_APP_SECRET: zaloKeys.appSecret,
      ZALO_OA_SECRET_KEY: zaloKeys.oaSecretKey,
      ZALO_OA_ID: '388613280878808645',
      ZALO_ACCESS_TOKEN: 'at-1',
      ZALO_REFRESH_TOKEN: 'rt-1',
      ZALO_API_BASE_URL: zalo.baseUrl,
      ZALO_OAUTH_BASE_URL: zalo.baseUrl,
      ZALO_ZNS_BASE_URL: zalo.baseUrl,
      MESSENGER_APP_SECRET: messengerSecret,
      MESSENGER_VERIFY_TOKEN: 'verify-me',
      MESSENGER_PAGE_ACCESS_TOKEN: 'page-token',
      MESSENGER_PAGE_ID: graph.pageId,
      GRAPH_API_BASE_URL: graph.baseUrl,
      GRAPH_API_VERSION: graph.version,
    });
    app.services.inbound.start(50);
    app.services.outbox.start(50);
  });
  afterEach(async () => {
    await app.close();
    await graph.close();
    await zalo.close();
  });

  const query = <T>(sql: string, params: unknown[] = []) => getDb().database.query<T>(sql, params);
  const bookingsOf = (user: string) =>
    query<{ id: string; code: string; status: string; starts_at: Date; business_name: string; phone: string; rescheduled_from: string | null; source: string }>(
      'select id, code, status, starts_at, business_name, phone, rescheduled_from, source from appraisal_bookings where channel_user_id = $1 order by created_at',
      [user],
    );

  /** Waits until `count()` grew and the outbox has sent everything, then returns what arrived. */
  async function delivered<T>(count: () => number, read: (from: number) => T[], send: () => Promise<number>): Promise<T[]> {
    const before = count();
    expect(await send()).toBe(200);
    await eventually(async () => {
      if (count() <= before) return false;
      const [row] = await query<{ n: number }>("select count(*)::int as n from outbox where status in ('pending', 'sending')");
      return row?.n === 0;
    });
    return read(before);
  }

  function zaloUser(userId: string) {
    const mine = () => zalo.received.filter((r) => r.body?.recipient?.user_id === userId);
    const read = (from: number): Shown[] =>
      mine()
        .slice(from)
        .map((r) => ({
          text: String(r.body.message.text),
          chips: (r.body.message.attachment?.payload?.buttons ?? []).map((b: any) =>
            b.type === 'oa.open.url' ? { title: b.title, url: b.payload.url } : { title: b.title, payload: String(b.payload).replace(/^#/, '') },
          ),
        }));
    const post = async (text: string) => {
      const signed = signZaloWebhook(zaloTextEvent({ appId: zaloKeys.appId, userId, text }), zaloKeys);
      return (await fetch(`${app.baseUrl}/webhooks/zalo`, { method: 'POST', headers: signed.headers, body: signed.rawBody })).status;
    };
    return {
      say: async (text: string) => joined(await delivered(() => mine().length, read, () => post(text))),
      // A tapped oa.query.hide button comes back as a text message holding "#<payload>".
      tap: async (payload: string) => joined(await delivered(() => mine().length, read, () => post(`#${payload}`))),
    };
  }

  function messengerUser(psid: string) {
    const mine = () => graph.received.filter((m) => m.recipientId === psid);
    const read = (from: number): Shown[] =>
      mine()
        .slice(from)
        .map((m) => ({
          text: m.message.text ?? m.message.attachment?.payload?.text ?? '',
          chips: [
            ...(m.message.attachment?.payload?.buttons ?? []).map((b: any) => (b.type === 'web_url' ? { title: b.title, url: b.url } : { title: b.title, payload: b.payload })),
            ...(m.message.quick_replies ?? []).map((q: any) => ({ title: q.title, payload: q.payload })),
          ],
        }));
    const post = async (event: ReturnType<typeof messengerEvents.text>) => {
      const signed = signMessengerWebhook(messengerWebhookBody([[event]]), messengerSecret);
      return (await fetch(`${app.baseUrl}/webhooks/messenger`, { method: 'POST', headers: signed.headers, body: signed.rawBody })).status;
    };
    return {
      say: async (text: string) => joined(await delivered(() => mine().length, read, () => post(messengerEvents.text(psid, text)))),
      tap: async (payload: string, title = 'chip') => joined(await delivered(() => mine().length, read, () => post(messengerEvents.quickReply(psid, title, payload)))),
    };
  }

  /** One reply as the person sees it (it may have arrived in several platform messages). */
  function joined(shown: Shown[]): Shown & { payloads: string[]; slotPayloads: string[] } {
    const chips = shown.flatMap((s) => s.chips);
    const payloads = chips.flatMap((c) => (c.payload ? [c.payload] : []));
    return { text: shown.map((s) => s.text).join('\n'), chips, payloads, slotPayloads: payloads.filter((p) => /^APPR:(slot|mto):/.test(p)) };
  }

  /** The `.ics` link of a confirmation works on this app. */
  async function expectCalendarFile(url: string, start: Date) {
    const res = await fetch(`${app.baseUrl}${new URL(url).pathname}`);
    expect(res.status).toBe(200);
    const ics = await res.text();
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain(`DTSTART:${start.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`);
  }

  it('on Zalo: books in natural Vietnamese (losing a race to the portal on the way), shows, moves and cancels', async () => {
    const shop = zaloUser('8001');
    expect((await shop.say('Chào em, anh muốn đặt lịch thẩm định cho cửa hàng thuốc bảo vệ thực vật')).text).toContain('tên cơ sở');
    expect((await shop.say('Cửa hàng Vật tư Nông nghiệp Minh Phát')).text).toContain('địa chỉ');
    expect((await shop.say('Thôn Đông, xã Phú Lương')).text).toContain('số điện thoại');
    expect((await shop.say('số này nhé 0912 34')).text).toContain('chưa đúng');
    expect((await shop.say('0912 345 678')).text).toContain('hôm nào');
    const slots = await shop.say('sáng thứ 6 tuần sau');
    expect(slots.slotPayloads.length).toBeGreaterThan(0);
    const first = slots.slotPayloads[0]!;
    const wanted = startOf(first);
    expect(slots.text).toContain(`1. ${vnText(wanted).day}, ${vnText(wanted).clock}–`);
    const summary = await shop.tap(first);
    expect(summary.text).toContain('• Tên cơ sở: Cửa hàng Vật tư Nông nghiệp Minh Phát');
    expect(summary.payloads).toContain('APPR:confirm');

    // The province portal takes that time before the shop owner confirms, with every appraiser
    // free then (the chat would quietly switch appraiser if one were left).
    const portalBook = () =>
      postJson(`${app.baseUrl}/api/appraisal/bookings`, {
        procedure: 'buon-ban-thuoc-bvtv', start: wanted.toISOString(),
        businessName: 'Đại lý Hai Lúa', address: 'Xóm 1, xã Phú Lương', phone: '0987 000 111',
      });
    expect((await portalBook()).status).toBe(201);
    let portal = await portalBook();
    for (let i = 0; i < 5 && portal.status === 201; i++) portal = await portalBook();
    expect(portal.status).toBe(409);
    const taken = await shop.say('xác nhận');
    expect(taken.text).toContain('vừa có người khác đặt trước');
    expect(taken.slotPayloads.length).toBeGreaterThan(0);
    expect(taken.slotPayloads.map((p) => startOf(p).getTime())).not.toContain(wanted.getTime());
    const alternative = taken.slotPayloads[0]!;
    await shop.tap(alternative);
    const booked = await shop.say('Đồng ý');
    const [row] = await bookingsOf('8001');
    expect(row).toMatchObject({ status: 'booked', business_name: 'Cửa hàng Vật tư Nông nghiệp Minh Phát', phone: '0912345678', source: 'chat' });
    expect(new Date(row!.starts_at).getTime()).toBe(startOf(alternative).getTime());
    const at = vnText(startOf(alternative));
    expect(booked.text).toContain(`Mã lịch hẹn: ${row!.code}`);
    expect(booked.text).toContain(`Thời gian: ${at.day}, ${at.clock}–`);
    expect(booked.text).toMatch(/Cán bộ thẩm định: .+/);
    expect(booked.text).toContain('gọi video qua Zalo');
    expect(booked.text).toContain('Anh/chị vui lòng chuẩn bị:');
    const calendar = booked.chips.find((c) => c.url);
    expect(calendar?.title).toBe('Thêm vào lịch');
    await expectCalendarFile(calendar!.url!, startOf(alternative));

    expect((await shop.say('lịch thẩm định của tôi thế nào')).text).toContain(`${row!.code}: ${at.day}, ${at.clock}–`);

    const moveSlots = await shop.say('cho anh đổi lịch thẩm định sang chiều thứ 3 tuần sau');
    expect(moveSlots.slotPayloads.length).toBeGreaterThan(0);
    const target = moveSlots.slotPayloads[0]!;
    expect((await shop.tap(target)).text).toContain(`• Sang: ${vnText(startOf(target)).day}, ${vnText(startOf(target)).clock}–`);
    expect((await shop.say('đồng ý')).text).toContain('em đã đổi lịch thẩm định');
    const afterMove = await bookingsOf('8001');
    expect(afterMove.map((b) => b.status)).toEqual(['rescheduled', 'booked']);
    expect(afterMove[1]!.rescheduled_from).toBe(row!.id);
    expect(new Date(afterMove[1]!.starts_at).getTime()).toBe(startOf(target).getTime());

    expect((await shop.say('anh muốn hủy lịch hẹn thẩm định')).text).toContain(`hủy lịch thẩm định ${afterMove[1]!.code}`);
    expect((await shop.say('có')).text).toContain(`em đã hủy lịch hẹn ${afterMove[1]!.code}`);
    expect((await bookingsOf('8001')).map((b) => b.status)).toEqual(['rescheduled', 'cancelled']);
    expect((await shop.say('lịch thẩm định của tôi')).text).toContain('chưa có lịch thẩm định nào sắp tới');
  });

  it('on Messenger: the same without diacritics, tapping quick replies', async () => {
    const shop = messengerUser('psid-appr-1');
    expect((await shop.say('dat lich tham dinh attp')).text).toContain('tên cơ sở');
    expect((await shop.say('Quan com Binh Dan')).text).toContain('địa chỉ');
    expect((await shop.say('so 45 Tran Hung Dao, phuong 2')).text).toContain('số điện thoại');
    expect((await shop.say('sdt 0987654321')).text).toContain('hôm nào');
    const slots = await shop.say('chieu mai');
    const chosen = slots.slotPayloads[0]!;
    expect(chosen).toMatch(/^APPR:slot:attp:/);
    expect((await shop.tap(chosen)).text).toContain('• Số điện thoại: 0987654321');
    const booked = await shop.say('dong y');
    const [row] = await bookingsOf('psid-appr-1');
    expect(row).toMatchObject({ status: 'booked', business_name: 'Quan com Binh Dan', phone: '0987654321' });
    expect(booked.text).toContain(row!.code);
    expect(booked.text).toContain('đường dẫn phòng họp');
    expect(booked.chips.find((c) => c.url)?.url).toMatch(new RegExp(`/appraisal/bookings/${row!.id}/[\\w-]+\\.ics$`));
    expect(graph.received.filter((m) => m.recipientId === 'psid-appr-1').every((m) => m.messagingType === 'RESPONSE')).toBe(true);

    expect((await shop.say('lich tham dinh cua toi')).text).toContain(row!.code);
    expect((await shop.say('doi lich tham dinh')).text).toContain('muốn đổi sang hôm nào');
    const moveSlots = await shop.say('tuan sau');
    const target = moveSlots.slotPayloads[0]!;
    expect(target).toMatch(new RegExp(`^APPR:mto:${row!.id}:`));
    await shop.tap(target);
    expect((await shop.say('ok')).text).toContain('em đã đổi lịch thẩm định');
    const moved = await bookingsOf('psid-appr-1');
    expect(moved.map((b) => b.status)).toEqual(['rescheduled', 'booked']);

    expect((await shop.say('huy lich tham dinh')).text).toContain('chắc chắn muốn hủy');
    expect((await shop.say('co')).text).toContain('em đã hủy lịch hẹn');
    expect((await bookingsOf('psid-appr-1')).map((b) => b.status)).toEqual(['rescheduled', 'cancelled']);
  });
});
