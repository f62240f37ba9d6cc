/**
 * Linking chat identities to licences (issue 7): a person proves they hold a licence's registered
 * phone — by the platform's phone share, or by a one-time code sent to a chat already known to hold
 * that phone — and only then may the chat tell them anything about the licence or remind them of it.
 */
export { requestLink, type LinkRequest, type LinkRequestOutcome, type CodeText } from './request';
export { checkCode, type PendingCode, type CodeCheck } from './verify';
export { linkIdentity, linkedLicences, setReminders, type LinkedLicence, type VerifiedBy } from './links';
export { sharedPhoneOf, reachableHoldersOfPhone, type ChatIdentity } from './identities';
export { normaliseLicenceNumber } from '../number';
export { codeInText, CODE_TTL_MS, MAX_CODE_ATTEMPTS, MAX_CODE_REQUESTS, CODE_REQUEST_WINDOW_MS } from './codes';
