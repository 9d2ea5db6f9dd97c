export { baseSubject, isReplyOrForward, parseSubject, subjectKey } from "./subject";
export type { SubjectInfo } from "./subject";
export { normalizeMessageId, parseMessageIdList, threadEnvelopes, threadingReferences } from "./jwz";
export type { Thread, ThreadEnvelope, ThreadOptions } from "./jwz";
export { mapThreadIds, parseThreadResponse, threadsFromAttributes } from "./imap-thread";
export type { ThreadParseError, ThreadParseResult } from "./imap-thread";
export { listConversations, orderConversations, summarizeConversation } from "./conversations";
export type {
  ConversationOrderEntry,
  ConversationSummary,
  ConversationView,
  ConversationWindow,
  MessageMeta,
  MetaLookup,
  Participant,
} from "./conversations";
export { ThreadIndex } from "./thread-index";
export type { ThreadChange } from "./thread-index";
