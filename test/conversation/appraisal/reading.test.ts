/** Reading typed answers and round-tripping the flow's payloads (pure functions, no database). */
import type { Parse } from '../../../src/nlu/types';
import { extractDatetimes } from '../../../src/nlu';
import { apprPayload, readApprPayload, type ApprPayload } from '../../../src/conversation/handlers/appraisal/payloads';
import { isNo, isStop, isYes, pickOffered, readDayPreference, readTypedFields } from '../../../src/conversation/handlers/appraisal/reading';
import { clockOfIso } from '../../../src/conversation/handlers/appraisal/format';

const now = new Date('2026-11-23T03:00:00Z'); // Monday 10:00 in Vietnam
const parseOf = (text: string): Parse => ({ text, intent: 'none', score: 0.3, procedure: null, entities: extractDatetimes(text, now) });

describe('appraisal flow: reading answers', () => {
  it('reads yes, no and "stop" with or without diacritics and particles', () => {
    for (const yes of ['đồng ý', 'Dong y a', 'OK', 'có ạ!', 'xác nhận', 'chốt nhé']) expect(isYes(yes)).toBe(true);
    for (const no of ['không', 'ko', 'sửa lại']) expect(isNo(no)).toBe(true);
    for (const stop of ['thôi', 'Hủy', 'thoi khong dat nua', 'thôi để sau nhé']) expect(isStop(stop)).toBe(true);
    expect(isYes('Cửa hàng Minh Phát')).toBe(false);
    expect(isStop('hủy lịch thẩm định')).toBe(false); // that is a request of its own, read by the NLU
  });

  it('reads day preferences: a day, a part of the day, a stretch, the soonest, a past day', () => {
    const pref = (text: string) => readDayPreference(text, parseOf(text), '2026-11-23');
    expect(pref('sáng thứ 6 tuần sau')).toEqual({ from: '2026-12-04', days: 1, part: 'morning' });
    expect(pref('sang mai')).toEqual({ from: '2026-11-24', days: 1, part: 'morning' });
    expect(pref('chiều thứ 5')).toEqual({ from: '2026-11-26', days: 1, part: 'afternoon' });
    expect(pref('15/12')).toEqual({ from: '2026-12-15', days: 1 });
    expect(pref('mai 9h')).toEqual({ from: '2026-11-24', days: 1, part: 'morning', time: '09:00' });
    expect(pref('tuần sau')).toEqual({ from: '2026-11-30', days: 7 });
    expect(pref('chuyển sang thứ 3')).toEqual({ from: '2026-11-24', days: 1 }); // "sang" the verb, not the morning
    expect(pref('sớm nhất có thể')).toEqual({ from: 'now', days: 21 });
    expect(pref('buổi chiều')).toEqual({ from: 'now', days: 21, part: 'afternoon' });
    expect(pref('hôm qua')).toBe('past');
    expect(pref('Cửa hàng Minh Phát')).toBeUndefined();
  });

  it('picks an offered slot by number or by its time, and only when the time is unambiguous', () => {
    const offered = [
      { start: '2026-11-24T00:30:00.000Z', appraiserId: 'a' },
      { start: '2026-11-24T01:30:00.000Z', appraiserId: 'a' },
      { start: '2026-11-25T01:30:00.000Z', appraiserId: 'a' },
    ];
    expect(pickOffered('2', parseOf('2'), offered, clockOfIso)).toBe(offered[1]);
    expect(pickOffered('số 1', parseOf('số 1'), offered, clockOfIso)).toBe(offered[0]);
    expect(pickOffered('7h30', parseOf('7h30'), offered, clockOfIso)).toBe(offered[0]);
    expect(pickOffered('8h30', parseOf('8h30'), offered, clockOfIso)).toBeUndefined(); // two days have 08:30
    expect(pickOffered('số 9', parseOf('số 9'), offered, clockOfIso)).toBeUndefined();
  });

  it('takes labelled fields and phone numbers from one message, leaving the plain answer', () => {
    expect(readTypedFields('Tên cơ sở: Cửa hàng Minh Phát, địa chỉ: 12 Lê Lợi, xã An Bình; SĐT 0912.345.678')).toEqual({
      businessName: 'Cửa hàng Minh Phát',
      address: '12 Lê Lợi, xã An Bình',
      phone: '0912345678',
      rest: '',
    });
    expect(readTypedFields('Đại lý Hùng Cường 0903 222 111')).toEqual({ phone: '0903222111', rest: 'Đại lý Hùng Cường' });
    expect(readTypedFields('sdt: 0912 34')).toEqual({ invalidPhone: '0912 34', rest: '' });
    expect(readTypedFields('Số 12 đường Lê Lợi, thị trấn Phú Xuyên')).toEqual({ rest: 'Số 12 đường Lê Lợi, thị trấn Phú Xuyên' });
  });
});

describe('appraisal flow: payloads', () => {
  it('round-trips every payload it issues, and refuses anything else', () => {
    const start = new Date('2026-12-04T01:30:00Z');
    const id = '3f0c2a9e-8d1b-4c7a-9e2f-1a2b3c4d5e6f';
    const all: ApprPayload[] = [
      { kind: 'book' },
      { kind: 'status' },
      { kind: 'procedure', slug: 'buon-ban-thuoc-bvtv' },
      { kind: 'day', day: { from: 'now', days: 21 } },
      { kind: 'day', day: { from: '2026-11-24', days: 1, part: 'morning', time: '09:00' } },
      { kind: 'slot', procedure: 'attp', start, appraiserId: id },
      { kind: 'confirm' },
      { kind: 'edit', field: 'phone' },
      { kind: 'edit', field: 'menu' },
      { kind: 'stop' },
      { kind: 'move' },
      { kind: 'move', bookingId: id },
      { kind: 'moveDay', bookingId: id, day: { from: '2026-11-30', days: 7, part: 'afternoon' } },
      { kind: 'moveTo', bookingId: id, start, appraiserId: id },
      { kind: 'moveOk', bookingId: id, start, appraiserId: id },
      { kind: 'cancel', bookingId: id },
      { kind: 'cancelOk', bookingId: id },
      { kind: 'keep' },
    ];
    for (const p of all) {
      const raw = apprPayload(p);
      expect(raw.length).toBeLessThanOrEqual(1000);
      expect(readApprPayload(raw.slice('APPR:'.length))).toEqual(p);
    }
    for (const bad of ['slot:attp:yesterday:x', 'edit:password', 'day:2026-11-24:40:any', 'proc:../etc', 'confirm:1', 'nothing']) {
      expect(readApprPayload(bad)).toBeUndefined();
    }
  });
});
