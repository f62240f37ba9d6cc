/** Procedure-only follow-ups ("thế còn khai tử?") are told apart from questions that name a procedure. */
import { locateAllEntities } from '../../src/nlu/entities';
import { isProcedureOnlyFollowUp } from '../../src/nlu/follow-up';
import { ProcedureMatcher } from '../../src/nlu/procedure-matcher';

const matcher = new ProcedureMatcher([
  { slug: 'khai-tu', name: 'Đăng ký khai tử', aliases: [] },
  { slug: 'ket-hon', name: 'Đăng ký kết hôn', aliases: [] },
]);
const NOW = new Date('2026-11-23T10:00:00+07:00');
const followUp = (text: string) => isProcedureOnlyFollowUp(text, matcher.match(text).mentions, locateAllEntities(text, NOW));

describe('isProcedureOnlyFollowUp', () => {
  it.each(['thế còn khai tử?', 'the con khai tu', 'vậy còn kết hôn thì sao ạ', 'không phải, ý tôi là khai tử', 'ko phai y toi la ket hon', 'khai tử'])(
    '%j only names a procedure',
    (text) => expect(followUp(text)).toBe(true),
  );

  it.each(['lệ phí khai tử bao nhiêu', 'khai tử cần giấy tờ gì', 'đặt lịch thẩm định khai tử', 'chào ad', 'thế còn lệ phí?'])(
    '%j asks something (or names no procedure)',
    (text) => expect(followUp(text)).toBe(false),
  );
});
