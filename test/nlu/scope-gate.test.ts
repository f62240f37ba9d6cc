/**
 * The out-of-scope gate on its own: which messages it turns into `none`, and how the knowledge
 * base widens the vocabulary without retraining.
 */
import { locateAllEntities } from '../../src/nlu/entities';
import { ProcedureMatcher } from '../../src/nlu/procedure-matcher';
import { ScopeGate } from '../../src/nlu/scope-gate';
import type { IntentExamples } from '../../src/nlu/training/intents-loader';
import type { Intent, ProcedureRef } from '../../src/nlu/types';

const INTENTS: IntentExamples[] = [
  { intent: 'procedure.fee', utterances: ['lệ phí bao nhiêu', 'làm hồ sơ có mất tiền không'] },
  { intent: 'procedure.documents', utterances: ['cần giấy tờ gì', 'hồ sơ gồm những gì'] },
  { intent: 'greeting', utterances: ['chào anh chị'] },
  // Out-of-scope examples are full of foreign words; they must not widen the vocabulary.
  { intent: 'none', utterances: ['giá vàng hôm nay bao nhiêu'] },
];
const KHAI_SINH: ProcedureRef = {
  slug: 'khai-sinh',
  name: 'Đăng ký khai sinh',
  aliases: [],
  content: ['Tờ khai đăng ký khai sinh theo mẫu', 'Giấy chứng sinh'],
};
const NOW = new Date('2026-11-23T10:00:00+07:00');

function check(gate: ScopeGate, matcher: ProcedureMatcher, intent: Intent, text: string): boolean {
  return gate.isOutOfScope(intent, text, matcher.match(text).mentions, locateAllEntities(text, NOW));
}

describe('ScopeGate', () => {
  const matcher = new ProcedureMatcher([KHAI_SINH]);
  const gate = new ScopeGate(INTENTS, [KHAI_SINH]);

  it('turns a subject question about something we never talk about into out of scope', () => {
    expect(check(gate, matcher, 'procedure.fee', 'giá vàng bao nhiêu')).toBe(true);
    expect(check(gate, matcher, 'procedure.documents', 'trả góp iphone cần giấy tờ gì')).toBe(true);
  });

  it('keeps a question that names only the aspect (the conversation supplies the procedure)', () => {
    expect(check(gate, matcher, 'procedure.fee', 'Lệ phí bao nhiêu ạ?')).toBe(false);
    expect(check(gate, matcher, 'procedure.fee', 'le phi bn')).toBe(false);
  });

  it('keeps a question that names a procedure, whatever else it says', () => {
    expect(check(gate, matcher, 'procedure.fee', 'lệ phí khai sinh cho bé Bông bao nhiêu')).toBe(false);
  });

  it('counts the knowledge-base content as our words, and dates and numbers as ours too', () => {
    expect(check(gate, matcher, 'procedure.documents', 'cần giấy chứng sinh không')).toBe(false);
    expect(check(gate, matcher, 'procedure.documents', 'cần tờ khai theo mẫu không')).toBe(false);
    expect(check(gate, matcher, 'procedure.fee', 'lệ phí 15/12 bao nhiêu')).toBe(false);
  });

  it('leaves intents that do not ask about a subject alone', () => {
    expect(check(gate, matcher, 'greeting', 'chào shop iphone')).toBe(false);
    expect(check(gate, matcher, 'handoff.human', 'cho gặp người thật iphone')).toBe(false);
  });

  it('learns the words of a procedure officials add, without retraining', () => {
    const text = 'đăng ký nuôi con nuôi cần giấy tờ gì';
    expect(check(gate, matcher, 'procedure.documents', text)).toBe(true);
    const nuoi: ProcedureRef = { slug: 'nuoi-con-nuoi', name: 'Đăng ký việc nuôi con nuôi', aliases: [], content: [] };
    gate.setProcedures([KHAI_SINH, nuoi]);
    expect(check(gate, new ProcedureMatcher([KHAI_SINH, nuoi]), 'procedure.documents', text)).toBe(false);
  });
});
