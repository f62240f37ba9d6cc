/**
 * The Facebook Messenger channel (DESIGN.md §2, §5): webhook (verify handshake, signature, parsing),
 * Send API client and sender, and the channel policy (24-hour window, message tags).
 *
 * Wiring: serve `messengerWebhookReceiver` through src/http/webhooks.ts and mount
 * `messengerVerificationRouter` at `MESSENGER_WEBHOOK_PATH`; register `createMessengerSender(...)`
 * and `new MessengerPolicy(...)` with the outbox.
 */
export { messengerVerificationRouter, MESSENGER_WEBHOOK_PATH } from './routes';
export { messengerWebhookReceiver, type MessengerWebhookDeps } from './receiver';
export { parseMessengerWebhook, MessengerWebhookError, messengerWebhookSchema } from './webhook';
export { verifyMessengerSignature, computeMessengerSignature, MESSENGER_SIGNATURE_HEADER } from './signature';
export {
  createMessengerClient,
  DEFAULT_TIMEOUT_MS,
  type MessengerClient,
  type MessengerClientOptions,
  type SendMessageRequest,
  type MessagingType,
  type MessageTag,
  type NotificationType,
} from './client';
export { createMessengerSender, type MessengerSenderDeps } from './sender';
export {
  MessengerPolicy,
  type MessengerPolicyOptions,
  STANDARD_WINDOW_MS,
  HUMAN_AGENT_WINDOW_MS,
  isVietnamNight,
  nextVietnamMorning,
} from './policy';
export { renderReply, MAX_QUICK_REPLIES, MAX_TEMPLATE_BUTTONS, type GraphMessage, type GraphButton, type GraphQuickReply } from './render';
export { toSendError, readGraphError, type GraphErrorBody } from './errors';
export { splitText, splitTail, fitTitle, TEXT_LIMIT, BUTTON_TEMPLATE_TEXT_LIMIT, TITLE_LIMIT } from './text';
