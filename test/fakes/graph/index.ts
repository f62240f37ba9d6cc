/** Fake Graph API (Send API) and Messenger webhook helpers for tests and the sandbox. */
export {
  startFakeGraph,
  type FakeGraph,
  type FakeGraphOptions,
  type FakeGraphMessage,
  type FakeGraphRequest,
  type GraphErrorEnvelope,
} from './server';
export { validateSendRequest, MESSAGING_TYPES, MESSAGE_TAGS, DEPRECATED_TAGS, type FakeGraphError } from './validate';
export {
  messengerEvents,
  messengerWebhookBody,
  signMessengerWebhook,
  postMessengerWebhook,
  newMid,
  DEFAULT_PAGE_ID,
  type MessagingEvent,
  type EventOptions,
} from './webhooks';
