/**
 * The licence flow's own part of the conversation context (`context.licence`): what it is waiting
 * for while a person links a licence, and when it last told them "code sent" (for the rate limit,
 * which must count requests that sent no code too). Validated on every read: a damaged state is
 * dropped rather than trusted.
 */
import { z } from 'zod';
import type { Turn } from '../../turn';
import type { ChatIdentity } from '../../../licences/linking';
import { CODE_REQUEST_WINDOW_MS } from '../../../licences/linking';

const pendingSchema = z
  .object({
    /** What we asked for last: the licence number, the phone, or the code we (may have) sent. */
    step: z.enum(['number', 'phone', 'code']),
    number: z.string().min(1).max(60).optional(),
    phone: z.string().regex(/^0\d{9,10}$/).optional(),
    /** Step code: the code row, when one was really sent. */
    codeId: z.uuid().optional(),
    requestedAt: z.iso.datetime().optional(),
    decoyAttempts: z.number().int().min(0).default(0),
  })
  .refine((p) => p.step !== 'code' || (p.number !== undefined && p.requestedAt !== undefined), 'a code step needs its number and time');

const stateSchema = z.object({
  pending: pendingSchema.optional(),
  /** When this person was last told "code sent" (ISO instants, within the rate-limit window). */
  codeRequests: z.array(z.iso.datetime()).max(20).default([]),
});

export type Pending = z.infer<typeof pendingSchema>;
export type LicenceState = z.infer<typeof stateSchema>;

export function readState(turn: Turn): LicenceState {
  const parsed = stateSchema.safeParse(turn.context.licence ?? {});
  return parsed.success ? parsed.data : { codeRequests: [] };
}

/** Saves the state, forgetting code requests older than the rate-limit window; an empty state is removed. */
export function writeState(turn: Turn, state: LicenceState): void {
  const since = turn.now.getTime() - CODE_REQUEST_WINDOW_MS;
  const codeRequests = state.codeRequests.filter((at) => Date.parse(at) > since);
  turn.context.licence = state.pending || codeRequests.length > 0 ? { ...state, codeRequests } : undefined;
}

/** Replaces what the flow waits for (undefined: nothing), keeping the rest of the state. */
export function setPending(turn: Turn, pending: Pending | undefined): void {
  writeState(turn, { ...readState(turn), pending });
}

/** The person this conversation is with, as the licence register knows chat identities. */
export function identityOf(turn: Turn): ChatIdentity {
  return { channel: turn.conversation.channel, channelUserId: turn.conversation.channelUserId };
}
