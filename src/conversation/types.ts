/**
 * Channel-neutral messages (DESIGN.md §2): every channel turns its webhook into an `InboundMessage`,
 * and renders the `Reply[]` the conversation returns in its own way.
 */
import { z } from 'zod';
import type { Parse } from '../nlu/types';

export const quickReplySchema = z.object({
  title: z.string().min(1).max(80),
  payload: z.string().min(1).max(1000),
});

export const buttonSchema = z
  .object({
    title: z.string().min(1).max(80),
    payload: z.string().min(1).max(1000).optional(),
    url: z.url({ protocol: /^https?$/ }).optional(),
  })
  .refine((b) => Boolean(b.payload) !== Boolean(b.url), 'a button has either a payload or a url');

export const replySchema = z.object({
  text: z.string().min(1),
  quickReplies: z.array(quickReplySchema).optional(),
  buttons: z.array(buttonSchema).optional(),
});

export type QuickReply = z.infer<typeof quickReplySchema>;
export type Button = z.infer<typeof buttonSchema>;
export type Reply = z.infer<typeof replySchema>;

export type Channel = 'webchat' | 'zalo' | 'messenger';

export interface InboundMessage {
  channel: Channel;
  /** The person on that channel: web chat session id, Zalo user id, Messenger PSID. */
  channelUserId: string;
  text?: string;
  /** Set when the person tapped a quick reply or a button. */
  payload?: string;
  /** The person sent something we cannot read (image, sticker, file, location…). */
  media?: string;
  /** The person shared their contact details (stored by the channel layer). */
  contactShared?: boolean;
  /** The platform's id of the message, to ignore redeliveries. */
  platformMessageId?: string;
  receivedAt: Date;
}

/** What the conversation needs from the NLU (lets tests and other processes supply their own). */
export interface Understanding {
  parse(text: string, now?: Date): Promise<Parse>;
}
