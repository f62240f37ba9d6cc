/** Fakes of the Zalo platform for tests and `npm run sandbox` (plain Node, no test-runner APIs). */
export { startFakeZalo, type FakeZalo, type FakeZaloOptions, type FakeZaloReceived, type FakeRefreshCall, type FakeFailure, type FakeEndpoint } from './fake-zalo';
export {
  signZaloWebhook,
  zaloTextEvent,
  zaloMediaEvent,
  zaloFollowEvent,
  zaloSubmitInfoEvent,
  zaloReceiptEvent,
  type SignedZaloWebhook,
  type ZaloAppKeys,
} from './webhook-events';
