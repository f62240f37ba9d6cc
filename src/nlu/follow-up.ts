/**
 * "Thế còn khai tử?", "vậy còn kết hôn thì sao", "không phải, ý tôi là khai tử": a message that
 * names a procedure and otherwise holds only the words people use to move a conversation along.
 * It asks nothing new — it asks the same question about another procedure — so the conversation
 * keeps the aspect under discussion. The classifier cannot see that (the procedure is a
 * placeholder, and "thế" also starts "làm thế nào", a steps question), so it is read here.
 */
import type { LocatedEntity } from './entities';
import type { ProcedureMention } from './procedure-matcher';
import { analyze } from './vietnamese/analyze';

/** Folded words of "what about …", "I mean …", "no, …" and politeness; nothing that asks something. */
const MOVE_ALONG = new Set(
  (
    'the con vay thi sao nhi nha nhe a ah a oi ad admin ban em anh chi minh toi y la noi khong ko k phai ' +
    'ma cho hoi ve voi thu tuc cai viec lam dang ki'
  ).split(' '),
);

/** True when `text` names a procedure and every other word only moves the conversation along. */
export function isProcedureOnlyFollowUp(
  text: string,
  mentions: readonly ProcedureMention[],
  entities: readonly LocatedEntity[],
): boolean {
  if (mentions.length === 0) return false;
  const covered = [...mentions, ...entities];
  return analyze(text)
    .filter((s) => !covered.some((c) => s.start >= c.start && s.end <= c.end))
    .every((s) => MOVE_ALONG.has(s.text));
}
