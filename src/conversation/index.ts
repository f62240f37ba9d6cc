/** The conversation's public surface. */
export { createConversation, MIN_INTENT_SCORE, type Conversation } from './engine';
export { ConversationStore } from './store';
export type { ConversationDeps } from './turn';
export * from './types';
export { GET_STARTED } from './payloads';
export { readContext, type ConversationContext, type HandoffReason } from './context';
