/**
 * Seeing, moving and cancelling one's appraisal sessions from the chat, and the race where the slot
 * shown is taken by someone else before the person confirms.
 */
import { createAppraisalService, type AppraisalService } from '../../../src/appraisal';
import { tables } from '../../../src/db';
import { describeEachDatabase } from '../../support/db';
import { chatAs, i18n, LINK_SECRET, MONDAY_10, realNlu, seedChatCalendar, vn, type ChatClock } from './support';

describeEachDatabase('appraisal status, reschedule, cancel and races in the chat', (getDb) => {
  const db = () => getDb().database.db;
  let clock: ChatClock;
  let appraiserId: string;
  let service: AppraisalService;
  beforeEach(async () => {
    clock = { now: MONDAY_10 };
    appraiserId = await seedChatCalendar(db());
    service = createAppraisalService(db(), { linkSecret: LINK_SECRET, i18n });
  });
  const chat = async (user = 'shop-1') => chatAs(db, await realNlu(db()), clock, user);
  const bookFor = async (user: string, local: string) => {
    const result = await service.book(
      {
        procedure: 'buon-ban-thuoc-bvtv',
        start: vn(local),
        businessName: 'Cửa hàng Minh Phát',
        address: 'Thôn 3, xã An Bình',
        phone: '0912345678',
        channel: 'zalo',
        channelUserId: user,
        source: 'chat',
      },
      MONDAY_10,
    );
    if (!result.ok) throw new Error(`setup booking refused: ${result.reason}`);
    return result.booking;
  };
  const rows = () => db().select().from(tables.appraisalBookings);

  it('shows the upcoming session, moves it to a new slot after confirmation, then cancels it after confirmation', async () => {
    const booking = await bookFor('shop-1', '2026-11-25T09:30');
    const { say } = await chat();

    const status = await say('lịch thẩm định của tôi thế nào');
    expect(status.text).toContain(`${booking.code}: Thứ Tư, 25/11/2026, 09:30–10:15`);
    expect(status.text).toContain('Cán bộ thẩm định: Nguyễn Thị Thẩm');
    expect(status.quickReplies?.map((q) => q.payload)).toEqual([`APPR:move:${booking.id}`, `APPR:cancel:${booking.id}`]);

    const askDay = await say('tôi muốn đổi lịch thẩm định');
    expect(askDay.text).toContain(`lịch hẹn ${booking.code} đang vào Thứ Tư, 25/11/2026, 09:30–10:15`);
    const slots = await say('chiều thứ 5');
    expect(slots.text).toContain('buổi chiều Thứ Năm, 26/11/2026 còn trống');
    expect(slots.quickReplies?.map((q) => q.title).slice(0, 3)).toEqual(['T5 26/11 13:30', 'T5 26/11 14:30', 'T5 26/11 15:30']);
    const confirm = await say('14h30');
    expect(confirm.text).toContain('• Từ: Thứ Tư, 25/11/2026, 09:30–10:15');
    expect(confirm.text).toContain('• Sang: Thứ Năm, 26/11/2026, 14:30–15:15');
    expect((await rows()).map((r) => r.status)).toEqual(['booked']); // nothing moves before the yes

    const moved = await say('ok');
    expect(moved.text).toContain('em đã đổi lịch thẩm định');
    expect(moved.text).toContain('Thứ Năm, 26/11/2026, 14:30–15:15');
    const afterMove = await rows();
    const old = afterMove.find((r) => r.id === booking.id)!;
    const fresh = afterMove.find((r) => r.id !== booking.id)!;
    expect(old.status).toBe('rescheduled');
    expect(fresh).toMatchObject({ status: 'booked', rescheduledFrom: booking.id, channel: 'zalo', channelUserId: 'shop-1' });
    expect(fresh.startsAt.toISOString()).toBe(vn('2026-11-26T14:30').toISOString());

    const askCancel = await say('hủy lịch thẩm định');
    expect(askCancel.text).toContain(`chắc chắn muốn hủy lịch thẩm định ${fresh.code} vào Thứ Năm, 26/11/2026, 14:30–15:15`);
    expect(askCancel.quickReplies?.map((q) => q.payload)).toEqual([`APPR:cok:${fresh.id}`, 'APPR:keep']);
    expect((await say('có')).text).toContain(`em đã hủy lịch hẹn ${fresh.code}`);
    expect((await rows()).find((r) => r.id === fresh.id)?.status).toBe('cancelled');

    const none = await say('lich tham dinh cua toi');
    expect(none.text).toContain('chưa có lịch thẩm định nào sắp tới');
    expect(none.quickReplies?.[0]?.payload).toBe('APPR:book');
  });

  it('asks which booking when there are several, and keeps it when the person says no', async () => {
    const a = await bookFor('shop-2', '2026-11-24T08:30');
    const b = await bookFor('shop-2', '2026-11-27T13:30');
    const { say } = await chat('shop-2');
    const pick = await say('huy lich tham dinh');
    expect(pick.text).toContain('muốn hủy lịch hẹn nào');
    expect(pick.text).toContain(`2. ${b.code}: Thứ Sáu, 27/11/2026, 13:30–14:15`);
    const confirm = await say('2');
    expect(confirm.text).toContain(`hủy lịch thẩm định ${b.code}`);
    expect((await say('không')).text).toBe(i18n.t('appraisal-chat.stopped.change'));
    expect((await rows()).map((r) => r.status)).toEqual(['booked', 'booked']);
    expect(a.code).not.toBe(b.code);
  });

  it('shows a booking by its typed code, and refuses to change someone else’s booking from another chat', async () => {
    const theirs = await bookFor('shop-3', '2026-11-24T08:30');
    const { say, tap } = await chat('stranger');
    const byCode = await say(`lịch thẩm định mã ${theirs.code.replace('TĐ-', 'td ')} thế nào`);
    expect(byCode.text).toContain(`${theirs.code}: Thứ Ba, 24/11/2026, 08:30–09:15`);
    expect(byCode.text).toContain('Trạng thái: đã đặt lịch');
    expect(byCode.text).not.toContain('Minh Phát'); // not their business: no details
    const refused = await tap(`APPR:cok:${theirs.id}`);
    expect(refused.text).toBe(i18n.t('appraisal-chat.change.notYours'));
    expect((await rows())[0]?.status).toBe('booked');
  });

  it('offers the alternatives when the slot shown is taken by someone else before the person confirms', async () => {
    const { say, tap, chip } = await chat('shop-4');
    await say('đặt lịch thẩm định thuốc bvtv, tên: Đại lý Hùng Cường, địa chỉ: 5 Quốc lộ 1A, xã Tân Hòa, sđt 0903 222 111');
    const slots = await say('sáng thứ 4');
    const summary = await tap(chip(slots, 'T4 25/11 08:30'));
    expect(summary.text).toContain('Thứ Tư, 25/11/2026, 08:30–09:15');
    // Someone on the province portal takes that very slot a moment before the confirmation.
    expect((await bookFor('portal-user', '2026-11-25T08:30')).appraiserId).toBe(appraiserId);

    const taken = await say('xác nhận');
    expect(taken.text).toContain('giờ Thứ Tư, 25/11/2026, 08:30–09:15 vừa có người khác đặt trước');
    const titles = taken.quickReplies?.map((q) => q.title) ?? [];
    expect(titles).not.toContain('T4 25/11 08:30');
    expect(titles).toContain('T4 25/11 09:30');
    const again = await tap(chip(taken, 'T4 25/11 09:30'));
    expect(again.text).toContain('• Thời gian: Thứ Tư, 25/11/2026, 09:30–10:15');
    expect((await tap('APPR:confirm')).text).toContain('em đã đặt lịch thẩm định từ xa');
    const mine = (await rows()).filter((r) => r.channelUserId === 'shop-4');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.startsAt.toISOString()).toBe(vn('2026-11-25T09:30').toISOString());
  });

  it('keeps the time chosen when its appraiser was just taken but another one is free then', async () => {
    // A second appraiser free at the same times.
    await db()
      .insert(tables.appraisers)
      .values({ name: 'Trần Văn Định', procedures: ['buon-ban-thuoc-bvtv'], workingHours: [{ days: [1, 2, 3, 4, 5], start: '07:30', end: '11:30' }], dailyCapacity: 6 });
    const { say, tap } = await chat('shop-5');
    await say('đặt lịch thẩm định bvtv, tên: Cửa hàng Phúc Lộc, địa chỉ: 9 Lý Thường Kiệt, xã Tân Hòa, sđt 0903 222 333');
    const slots = await say('sáng thứ 4');
    const chosen = slots.quickReplies?.find((q) => q.title === 'T4 25/11 08:30')?.payload;
    await tap(chosen!);
    const portal = await service.book({ procedure: 'buon-ban-thuoc-bvtv', start: vn('2026-11-25T08:30'), appraiserId: chosen!.split(':')[4], businessName: 'Portal', address: 'Xóm 1, xã Tân Hòa', phone: '0987000111', source: 'api' }, MONDAY_10);
    expect(portal.ok).toBe(true);
    const booked = await say('xác nhận');
    expect(booked.text).toContain('em đã đặt lịch thẩm định từ xa');
    expect(booked.text).toContain('Thứ Tư, 25/11/2026, 08:30–09:15');
    const mine = (await rows()).filter((r) => r.channelUserId === 'shop-5');
    expect(mine).toHaveLength(1);
    // The slot chip showed one of the appraisers free at 08:30 (which one is not fixed); the time is
    // kept with another appraiser, not the one the portal just took.
    const takenAppraiser = chosen!.split(':')[4];
    expect(mine[0]!.appraiserId).not.toBe(takenAppraiser);
    expect(mine[0]!.startsAt.toISOString()).toBe(vn('2026-11-25T08:30').toISOString());
  });
});
