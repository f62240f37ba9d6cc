/**
 * The dialogue manager: one inbound message in, replies out. It stores the message (ignoring
 * redeliveries), works out what was meant — a tapped payload, an answer to our last question, or
 * the NLU's parse — routes to a handler, and stores the replies and the new context.
 * It knows nothing of channels: the caller delivers the replies.
 */
import type { Parse } from '../nlu/types';
import { aspectOfIntent, type ConversationContext } from './context';
import { readPayload, type Payload } from './payloads';
import { askBetweenAspects, askBetweenProcedures, tiedAspects, tiedProcedures } from './handlers/clarify';
import { answerOfficeHours } from './handlers/office-hours';
import { askRating, ratingFromText, recordComment, recordRating } from './handlers/feedback';
import { requestHuman } from './handlers/handoff';
import { answerProcedure, askWhichProcedure, listProcedures } from './handlers/procedure';
import { FALLBACKS_BEFORE_HUMAN, fallback, smalltalk, welcome } from './handlers/smalltalk';
import type { ConversationFlow } from './flow';
import { appraisalFlow } from './handlers/appraisal';
import { licenceFlow } from './handlers/licence';
import { broadcastFlow } from './handlers/broadcast';
import type { ConversationDeps, Turn } from './turn';
import type { InboundMessage, Reply } from './types';

/** Below this intent score we do not act on the intent (a fallback beats a wrong answer). */
export const MIN_INTENT_SCORE = 0.5;

/** Business flows hosted by the conversation, in the order they get a say on a typed message. */
const FLOWS: readonly ConversationFlow[] = [appraisalFlow, licenceFlow, broadcastFlow];

/** The flow that issued a payload (`APPR:…`), with the rest of the payload. */
function flowOfPayload(raw: string): { flow: ConversationFlow; rest: string } | undefined {
  const colon = raw.indexOf(':');
  if (colon <= 0) return undefined;
  const flow = FLOWS.find((f) => f.payloadPrefix === raw.slice(0, colon));
  return flow ? { flow, rest: raw.slice(colon + 1) } : undefined;
}

/** Longest message text we look at; the rest is stored but not parsed. */
const MAX_TEXT = 1000;

export interface Conversation {
  /** Handles one message; returns [] for a redelivery or when an official owns the conversation. */
  handle(message: InboundMessage): Promise<Reply[]>;
  /** The same, also telling which conversation it belongs to (the outbox links replies to it). */
  respond(message: InboundMessage): Promise<{ conversationId: string; replies: Reply[] }>;
}

export function createConversation(deps: ConversationDeps): Conversation {
  const api: Conversation = {
    async handle(message) {
      return (await api.respond(message)).replies;
    },
    async respond(message) {
      const { store } = deps;
      const conversation = await store.findOrCreate(message.channel, message.channelUserId);
      const text = message.text?.normalize('NFC').trim();
      const messageId = await store.saveInbound(conversation.id, {
        text,
        payload: message.payload,
        platformMessageId: message.platformMessageId,
        at: message.receivedAt,
      });
      if (messageId === null) return { conversationId: conversation.id, replies: [] };
      const now = message.receivedAt;
      const idleMs = now.getTime() - conversation.lastMessageAt.getTime();
      // After a silence the topic is forgotten, but not why an official was asked for: the hand-over
      // outlives the topic until the official hands the conversation back.
      const kept = conversation.status === 'bot' ? {} : { handoffReason: conversation.context.handoffReason };
      const context: ConversationContext =
        idleMs > deps.contextIdleMinutes * 60_000 ? { fallbacks: 0, ...kept } : { ...conversation.context };
      const turn: Turn = { deps, conversation, context, now, understood: { intent: null, score: null, procedure: null } };

      // An official has taken the conversation over: the bot stays quiet (the message is stored).
      const replies = conversation.status === 'human' ? [] : await respond(turn, text, message);

      await store.recordUnderstanding(messageId, turn.understood);
      await store.saveReplies(conversation.id, replies, turn.understood);
      await store.update(conversation.id, {
        context: turn.context,
        lastMessageAt: now,
        status: turn.statusChange?.status,
        handoffAt: turn.statusChange?.at,
      });
      return { conversationId: conversation.id, replies };
    },
  };
  return api;
}

async function respond(turn: Turn, text: string | undefined, message: InboundMessage): Promise<Reply[]> {
  const rawPayload = message.payload;
  if (message.media) {
    turn.understood.intent = 'message.media';
    return [{ text: turn.deps.i18n.t('channel.mediaNotSupported') }];
  }
  if (message.contactShared) {
    turn.understood.intent = 'message.contact';
    // A flow waiting for exactly this (licence linking asked for the phone) continues with it.
    for (const flow of FLOWS) {
      const replies = await flow.onContactShared?.(turn);
      if (replies) return replies;
    }
    return [{ text: turn.deps.i18n.t('channel.contactThanks') }];
  }
  if (rawPayload) {
    const payload = readPayload(rawPayload);
    if (payload) return onPayload(turn, payload);
    const flowPayload = flowOfPayload(rawPayload);
    if (flowPayload) {
      turn.understood = { intent: `payload.${flowPayload.flow.payloadPrefix.toLowerCase()}`, score: 1, procedure: null };
      return flowPayload.flow.onPayload(turn, flowPayload.rest);
    }
  }
  if (!text) return fallback(turn, 'empty');
  const awaited = await onAwaitedAnswer(turn, text);
  if (awaited) return awaited;
  const parse = await turn.deps.nlu.parse(text.slice(0, MAX_TEXT), turn.now);
  turn.understood = { intent: parse.intent, score: parse.score, procedure: parse.procedure };
  for (const flow of FLOWS) {
    const replies = await flow.onText(turn, text, parse);
    if (replies) return replies;
  }
  return onParse(turn, text, parse);
}

async function onPayload(turn: Turn, payload: Payload): Promise<Reply[]> {
  turn.understood.intent = `payload.${payload.kind}`;
  turn.understood.score = 1;
  switch (payload.kind) {
    case 'get_started':
      return welcome(turn);
    case 'procedure':
      turn.context.fallbacks = 0;
      return answerProcedure(turn, payload.slug, payload.aspect);
    case 'rate':
      return recordRating(turn, payload.rating);
    case 'skip_comment':
      return recordComment(turn, undefined);
    case 'handoff':
      // Accepting the offer made after repeated misses is a hand-over because the bot failed.
      return requestHuman(turn, turn.context.fallbacks >= FALLBACKS_BEFORE_HUMAN ? 'fallbacks' : 'request');
    case 'menu':
      if (payload.item === 'procedures') return listProcedures(turn);
      if (payload.item === 'hours') return answerOfficeHours(turn, turn.context.procedure);
      return askRating(turn);
  }
}

/** A reply to the question the bot asked last ("5" after "rate 1–5", a comment after the rating). */
async function onAwaitedAnswer(turn: Turn, text: string): Promise<Reply[] | undefined> {
  if (turn.context.awaiting === 'rating') {
    const rating = ratingFromText(text);
    if (rating !== undefined) {
      turn.understood = { intent: 'feedback.rate', score: 1, procedure: null };
      return recordRating(turn, rating);
    }
  }
  if (turn.context.awaiting === 'rating_comment') {
    turn.understood = { intent: 'feedback.comment', score: 1, procedure: null };
    return recordComment(turn, text);
  }
  return undefined;
}

async function onParse(turn: Turn, text: string, parse: Parse): Promise<Reply[]> {
  const ctx = turn.context;
  const confident = parse.intent !== 'none' && parse.score >= MIN_INTENT_SCORE;
  const aspect = confident ? aspectOfIntent(parse.intent) : undefined;
  const candidates = (parse.procedureCandidates ?? []).map((c) => c.slug);

  const tied = tiedProcedures(parse);
  if (tied && (aspect || !confident || parse.intent === 'procedure.list')) {
    const question = await askBetweenProcedures(turn, tied, aspect ?? ctx.aspect);
    if (question) return question;
  }
  // "Thế còn khai tử?" asks the question under discussion about another procedure (an overview
  // when nothing was under discussion), whatever shape the classifier saw in it.
  if (parse.procedureOnly && parse.procedure) {
    ctx.fallbacks = 0;
    return answerProcedure(turn, parse.procedure, ctx.aspect);
  }
  if (aspect) {
    const slug = parse.procedure ?? ctx.procedure;
    ctx.fallbacks = 0;
    const aspects = tiedAspects(parse);
    if (slug && aspects) return askBetweenAspects(turn, slug, aspects);
    return slug ? answerProcedure(turn, slug, aspect) : askWhichProcedure(turn, text, aspect, candidates);
  }
  if (!confident) {
    // Only a procedure was named ("thế còn khai tử?", or the answer to "which procedure?"):
    // answer the aspect under discussion for it, or give an overview.
    if (parse.procedure) {
      ctx.fallbacks = 0;
      return answerProcedure(turn, parse.procedure, ctx.aspect);
    }
    return fallback(turn, parse.intent === 'none' && parse.score >= MIN_INTENT_SCORE ? 'outOfScope' : 'notUnderstood');
  }
  const missed = ctx.fallbacks;
  ctx.fallbacks = 0;
  ctx.awaiting = undefined;
  switch (parse.intent) {
    case 'greeting':
    case 'thanks':
    case 'goodbye':
      if (parse.intent === 'greeting' && parse.procedure) return answerProcedure(turn, parse.procedure, undefined);
      return smalltalk(turn, parse.intent);
    case 'procedure.list':
      // "thủ tục khai sinh" names one procedure: its overview, not the whole list.
      return parse.procedure ? answerProcedure(turn, parse.procedure, undefined) : listProcedures(turn);
    case 'office.hours':
      return answerOfficeHours(turn, parse.procedure ?? undefined);
    case 'feedback.rate':
      return askRating(turn);
    case 'handoff.human':
      return requestHuman(turn, missed >= FALLBACKS_BEFORE_HUMAN ? 'fallbacks' : 'request');
    default: {
      const flow = FLOWS.find((f) => f.intents.includes(parse.intent));
      return flow ? flow.onIntent(turn, parse) : fallback(turn, 'notUnderstood');
    }
  }
}
