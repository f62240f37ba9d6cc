/**
 * The Zalo OA channel: webhook (signature, parsing, receiver), OA/ZNS client, token store, policy and
 * sender. Other components use only what is exported here.
 */
export { zaloWebhookReceiver, ZALO_WEBHOOK_PATH, type ZaloWebhookDeps } from './receiver';
export { parseZaloEvent, zaloEventName, ZaloWebhookShapeError, PAYLOAD_PREFIX } from './webhook';
export { verifyZaloSignature, computeZaloMac, macFromHeader, type ZaloSignatureInput } from './signature';
export { createZaloClient, type ZaloClient, type ZaloClientOptions, type ZaloTokenSource, type ZnsTemplateData } from './client';
export { renderCsMessages, splitCsText, MAX_CS_TEXT, MAX_BUTTONS_PER_MESSAGE, type CsMessage, type ZaloButton } from './render';
export { zaloSendError, TOKEN_ERROR_CODES } from './errors';
export { createZaloHttp, DEFAULT_TIMEOUT_MS } from './http';
export { createZaloTokenStore, zaloTokenKey, REFRESH_MARGIN_MS, type ZaloTokenStore, type ZaloTokenRow } from './token-store';
export {
  createZaloPolicy,
  inFreeWindow,
  CS_WINDOW_MS,
  FREE_WINDOW_MS,
  DIRECT_REPLY_GRACE_MS,
  REFUSE_OUTSIDE_WINDOW,
  REFUSE_UNFOLLOWED,
} from './policy';
export { createZaloSender, isZaloSendConfigured, znsTrackingId, type ZaloSender, type ZaloSenderOptions } from './sender';
export { toNationalPhone, toZnsPhone } from './phone';
export { isQuietHours, quietHoursEnd } from './vn-time';
