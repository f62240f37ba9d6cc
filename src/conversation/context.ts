/**
 * What a conversation remembers between messages. Kept small and validated, because it is stored as
 * JSON and read back on every message: an old or damaged context must never break a reply.
 */
import { z } from 'zod';

export const ASPECTS = ['documents', 'fee', 'duration', 'where', 'online', 'steps'] as const;
export type Aspect = (typeof ASPECTS)[number];

export const contextSchema = z.object({
  /** The procedure being talked about, and the aspect last asked ("còn lệ phí?" reuses the procedure). */
  procedure: z.string().optional(),
  aspect: z.enum(ASPECTS).optional(),
  /** What the last bot message asked for, so a bare answer ("5", "khai sinh") is read in its light. */
  awaiting: z.enum(['procedure', 'rating', 'rating_comment']).optional(),
  /** Consecutive messages we could not answer: after two we offer an official. */
  fallbacks: z.number().int().min(0).default(0),
  /** The feedback row a comment belongs to. */
  feedbackId: z.number().int().optional(),
  /** Why the conversation was handed to an official (shown in the officials' inbox); kept until it is handed back. */
  handoffReason: z.enum(['request', 'fallbacks', 'low_rating']).optional(),
  /** State of the appraisal-booking flow (validated by that flow: see ./flow.ts). */
  appraisal: z.unknown().optional(),
  /** State of the licence-linking flow (validated by that flow). */
  licence: z.unknown().optional(),
});
export type ConversationContext = z.infer<typeof contextSchema>;
/** request: the person asked; fallbacks: accepted after repeated misses; low_rating: rated 1–2 stars. */
export type HandoffReason = NonNullable<ConversationContext['handoffReason']>;

/** Reads a stored context; anything unreadable becomes a fresh one. */
export function readContext(raw: unknown): ConversationContext {
  const parsed = contextSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : { fallbacks: 0 };
}

/** Maps a `procedure.*` intent to the aspect it asks about. */
export function aspectOfIntent(intent: string): Aspect | undefined {
  const aspect = intent.startsWith('procedure.') ? intent.slice('procedure.'.length) : '';
  return (ASPECTS as readonly string[]).includes(aspect) ? (aspect as Aspect) : undefined;
}
