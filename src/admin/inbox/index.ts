/** The officials' inbox and the web chat's way of receiving officials' replies. */
export { inboxRouter, type InboxDeps, MAX_REPLY_CHARS } from './router';
export { webchatOfficialRepliesRouter, officialRepliesFor, type OfficialReplies } from './webchat';
export { claimConversation, replyToConversation, releaseConversation } from './actions';
