/** Officials' announcements to segments of the people who follow the office (issue 7). */
export {
  segmentSchema,
  countSegment,
  audienceQuery,
  SEGMENT_KINDS,
  BROADCAST_CHANNELS,
  MAX_ASKED_DAYS,
  type Segment,
  type SegmentKind,
  type SegmentCount,
  type BroadcastChannel,
} from './segment';
export {
  broadcastReply,
  broadcastDedupeKey,
  MAX_BROADCAST_CHARS,
  MAX_TITLE_CHARS,
  BROADCAST_PAYLOAD_PREFIX,
  OPT_OUT_PAYLOAD,
  OPT_IN_PAYLOAD,
} from './message';
export {
  createBroadcast,
  getBroadcast,
  listBroadcasts,
  changeStatus,
  recordOptOut,
  removeOptOut,
  CANCELLED_REASON,
  type Broadcast,
  type BroadcastStatus,
  type NewBroadcast,
  type CreateResult,
  type StatusAction,
  type StatusChange,
} from './store';
export { deliverBroadcasts, broadcastDeliveryJob, DEFAULT_BATCH_SIZE, DEFAULT_MAX_IN_FLIGHT, type DeliveryOptions, type DeliverySummary, type BroadcastJobDeps } from './delivery';
export { broadcastProgress, broadcastResults, type BroadcastProgress, type RecipientResult } from './progress';
export { deliveryOutcomes, classifyOutbox, reasonKey, OUTCOME_KINDS, type OutcomeKind, type DeliveryOutcomes, type ReasonCount } from './outcomes';
