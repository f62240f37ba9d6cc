/**
 * Booking a remote appraisal in the chat, as a shop owner types it, through the real NLU and the
 * real appraisal service on both databases.
 */
import { tables } from '../../../src/db';
import { describeEachDatabase } from '../../support/db';
import { BASE_URL, chatAs, MONDAY_10, realNlu, seedChatCalendar, vn, type ChatClock } from './support';

describeEachDatabase('appraisal booking in the chat', (getDb) => {
  const db = () => getDb().database.db;
  let clock: ChatClock;
  let appraiserId: string;
  beforeEach(async () => {
    clock = { now: MONDAY_10 };
    appraiserId = await seedChatCalendar(db());
  });
  const chat = async (user = 'shop-1') => chatAs(db, await realNlu(db()), clock, user);
  const contextOf = async (user = 'shop-1') => {
    const rows = await getDb().database.query<{ context: { appraisal?: unknown } }>('select context from conversations where channel_user_id = $1', [user]);
    return rows[0]?.context;
  };

  it('guides a booking question by question, re-asks a wrong phone number, and books the slot chosen', async () => {
    const { say } = await chat();
    const first = await say('em muốn đặt lịch thẩm định');
    expect(first.text).toContain('thủ tục nào');
    expect(first.quickReplies?.map((q) => q.payload)).toEqual(expect.arrayContaining(['APPR:proc:buon-ban-thuoc-bvtv', 'APPR:proc:attp']));
    expect((await say('cửa hàng thuốc bảo vệ thực vật')).text).toContain('tên cơ sở');
    expect((await say('Cửa hàng Vật tư Nông nghiệp Minh Phát')).text).toContain('địa chỉ');
    expect((await say('Số 12 đường Lê Lợi, thị trấn Phú Xuyên')).text).toContain('số điện thoại');
    const wrong = await say('0912 34');
    expect(wrong.text).toContain('"0912 34" chưa đúng');
    const day = await say('sđt của em là 0912 345 678');
    expect(day.text).toContain('hôm nào');
    expect(day.quickReplies?.map((q) => q.title)).toEqual(expect.arrayContaining(['Sớm nhất', 'Sáng mai']));

    const slots = await say('sáng thứ 6 tuần sau');
    expect(slots.text).toContain('buổi sáng Thứ Sáu, 04/12/2026 còn trống');
    expect(slots.text).toContain('1. Thứ Sáu, 04/12/2026, 07:30–08:15');
    expect(slots.text).toContain('2. Thứ Sáu, 04/12/2026, 08:30–09:15');
    expect(slots.text).not.toContain('13:30');
    expect(slots.quickReplies?.[1]).toEqual({ title: 'T6 04/12 08:30', payload: `APPR:slot:buon-ban-thuoc-bvtv:${vn('2026-12-04T08:30').getTime()}:${appraiserId}` });

    const summary = await say('chọn số 2');
    expect(summary.text).toContain('• Tên cơ sở: Cửa hàng Vật tư Nông nghiệp Minh Phát');
    expect(summary.text).toContain('• Địa chỉ: Số 12 đường Lê Lợi, thị trấn Phú Xuyên');
    expect(summary.text).toContain('• Số điện thoại: 0912345678');
    expect(summary.text).toContain('• Thời gian: Thứ Sáu, 04/12/2026, 08:30–09:15 (giờ Việt Nam)');
    expect(summary.quickReplies?.[0]).toEqual({ title: 'Xác nhận', payload: 'APPR:confirm' });

    const booked = await say('đồng ý');
    expect(booked.text).toContain('em đã đặt lịch thẩm định từ xa');
    expect(booked.text).toMatch(/Mã lịch hẹn: TĐ-[0-9A-Z]{6}/);
    expect(booked.text).toContain('Thời gian: Thứ Sáu, 04/12/2026, 08:30–09:15 (giờ Việt Nam)');
    expect(booked.text).toContain('Cán bộ thẩm định: Nguyễn Thị Thẩm');
    expect(booked.text).toContain('gọi video qua Zalo');
    expect(booked.text).toContain('0912345678');
    expect(booked.text).toContain('• Điện thoại đặt trên giá ba chân, đủ pin.');
    const [row] = await db().select().from(tables.appraisalBookings);
    expect(row).toMatchObject({
      status: 'booked',
      businessName: 'Cửa hàng Vật tư Nông nghiệp Minh Phát',
      phone: '0912345678',
      channel: 'zalo',
      channelUserId: 'shop-1',
      source: 'chat',
      appraiserId,
    });
    expect(row!.startsAt.toISOString()).toBe('2026-12-04T01:30:00.000Z');
    expect(booked.text).toContain(row!.code);
    expect(booked.buttons).toEqual([{ title: 'Thêm vào lịch', url: expect.stringMatching(new RegExp(`^${BASE_URL}/appraisal/bookings/${row!.id}/[\\w-]+\\.ics$`)) }]);
    expect(booked.quickReplies?.map((q) => q.payload)).toEqual([`APPR:move:${row!.id}`, `APPR:cancel:${row!.id}`]);
    expect((await contextOf())?.appraisal).toBeUndefined();
  });

  it('takes several fields from one message typed without diacritics and offers the soonest slots', async () => {
    const { say, tap, chip } = await chat('shop-2');
    const day = await say('dat lich tham dinh attp, ten: Quan com Binh Dan, dia chi: 45 Tran Hung Dao, sdt 0987 654 321');
    expect(day.text).toContain('hôm nào');
    const slots = await say('som nhat');
    expect(slots.text).toContain('sớm nhất');
    // Two hours' notice from Monday 10:00: the first session is Monday afternoon.
    expect(slots.quickReplies?.slice(0, 5).map((q) => q.title)).toEqual(['T2 23/11 13:30', 'T2 23/11 14:30', 'T2 23/11 15:30', 'T3 24/11 07:30', 'T3 24/11 08:30']);
    const summary = await tap(chip(slots, 'T3 24/11 07:30'));
    expect(summary.text).toContain('• Tên cơ sở: Quan com Binh Dan');
    expect(summary.text).toContain('• Địa chỉ: 45 Tran Hung Dao');
    expect(summary.text).toContain('• Số điện thoại: 0987654321');
    expect(summary.text).toContain('Thứ Ba, 24/11/2026, 07:30–08:10');
    const booked = await tap('APPR:confirm');
    expect(booked.text).toContain('https://meet.example.gov.vn/attp');
    const [row] = await db().select().from(tables.appraisalBookings);
    expect(row).toMatchObject({ procedureSlug: 'attp', businessName: 'Quan com Binh Dan', address: '45 Tran Hung Dao', phone: '0987654321' });
  });

  it('lets the person ask something else mid-flow and resume where they were, then give up politely', async () => {
    const { say } = await chat('shop-3');
    expect((await say('đặt lịch thẩm định cho cửa hàng thuốc bvtv')).text).toContain('tên cơ sở');
    const aside = await say('lệ phí đăng ký kết hôn bao nhiêu');
    expect(aside.text).toContain('kết hôn');
    expect(aside.text).not.toContain('tên cơ sở');
    const resumed = await say('tiếp tục đặt lịch');
    expect(resumed.text).toContain('mình tiếp tục đặt lịch');
    expect(resumed.text).toContain('• Thủ tục: Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật');
    expect(resumed.text).toContain('tên cơ sở');
    expect((await say('Đại lý Hùng Cường')).text).toContain('địa chỉ');
    const again = await say('đặt lịch thẩm định');
    expect(again.text).toContain('• Tên cơ sở: Đại lý Hùng Cường');
    const stopped = await say('thôi');
    expect(stopped.text).toContain('em đã dừng việc đặt lịch');
    expect((await contextOf('shop-3'))?.appraisal).toBeUndefined();
    expect(await db().select().from(tables.appraisalBookings)).toEqual([]);
  });

  it('a slot button from an old message still works after the draft expired, and asks for what is missing', async () => {
    const { say, tap } = await chat('shop-4');
    const slots = await say('đặt lịch thẩm định attp sớm nhất, tên: Bếp ăn Hương Sen, địa chỉ: 8 Nguyễn Trãi, sđt 0977 111 222');
    const payload = slots.quickReplies?.[0]?.payload;
    expect(payload).toMatch(/^APPR:slot:attp:/);
    clock.now = new Date(clock.now.getTime() + 31 * 60_000); // the context is forgotten
    const next = await tap(payload!);
    expect(next.text).toContain('tên cơ sở');
    const ctx = (await contextOf('shop-4'))?.appraisal as { book?: { procedure?: string; slot?: { start: string } } };
    expect(ctx.book?.procedure).toBe('attp');
    expect(ctx.book?.slot?.start).toBe(vn('2026-11-23T13:30').toISOString());
  });

  it('says so when the procedure named cannot be appraised remotely, and offers those that can', async () => {
    const { say } = await chat('shop-6');
    const reply = await say('đặt lịch thẩm định đăng ký khai sinh');
    expect(reply.text).toContain('thủ tục Đăng ký khai sinh hiện chưa thẩm định từ xa được');
    expect(reply.quickReplies?.map((q) => q.title)).toEqual(['An toàn thực phẩm', 'Buôn bán thuốc BVTV', 'Thôi, không đặt nữa']);
  });

  it('drops a damaged stored state instead of trusting it', async () => {
    const { say } = await chat('shop-5');
    await say('xin chào');
    await getDb().database.query(`update conversations set context = jsonb_set(context, '{appraisal}', '{"active":"book","book":{"phone":"not a phone"}}') where channel_user_id = 'shop-5'`);
    const reply = await say('tôi muốn đặt lịch thẩm định từ xa');
    expect(reply.text).toContain('thủ tục nào');
    expect(reply.text).not.toContain('not a phone');
  });
});
