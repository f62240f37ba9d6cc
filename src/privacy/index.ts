/**
 * Personal data (Decree 13/2023/NĐ-CP on personal data protection): how long we keep it (the
 * nightly retention job) and one person's rights of access and deletion (find, export, erase),
 * used by the console's `/admin/privacy`. README "Personal data" lists what is stored where, why,
 * for how long and who sees it.
 */
export { runRetention, retentionCutoffs, DEFAULT_BATCH_SIZE, type RetentionPolicy, type RetentionOptions, type RetentionSummary } from './retention';
export { RETENTION_STEPS, type RetentionStepName } from './retention-steps';
export { retentionJob, RETENTION_SCHEDULE } from './job';
export { REDACTED, ANONYMISED, PSEUDONYM_PREFIX } from './redaction';
export {
  readLookup,
  resolveSubject,
  subjectFingerprint,
  LOOKUP_KINDS,
  CHAT_CHANNELS,
  type SubjectLookup,
  type LookupProblem,
  type Subject,
  type ChatIdentity,
} from './subject/lookup';
export { exportSubject, countExport, isEmptyExport, type SubjectExport, type IdentityExport, type SubjectCounts } from './subject/export';
export { eraseSubject, type ErasureCounts, type ErasureOutcome, type EraseOptions } from './subject/erase';
