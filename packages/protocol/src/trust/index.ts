// Trust when reading: who really sent a message, and where its links really go. Pure
// functions over header fields and strings; the gateway's verifyDkim adds Pismo's own DKIM
// check where the user's server wrote no Authentication-Results.

export { readHeaderFields, fieldValues, firstFieldValue, MAX_TRUST_HEADER_BYTES } from "./header-fields";
export type { HeaderField } from "./header-fields";
export { parseAuthenticationResults, propertyOf } from "./authentication-results";
export type { AuthResultsHeader, AuthResult, AuthProperty } from "./authentication-results";
export {
  senderVerdict,
  decideVerdict,
  findingsFromHeaders,
  fromDomainOf,
  isListMessage,
} from "./sender-verdict";
export type {
  SenderVerdict,
  SenderVerdictOptions,
  VerdictStatus,
  FailedCheck,
  AuthFindings,
  DmarcPolicy,
} from "./sender-verdict";
export { senderWarnings, checkSender, listInfoOf } from "./sender-warnings";
export type { SenderWarning, SenderCheckInput, NamedAddress, ListInfo } from "./sender-warnings";
export { checkLink, highlightUrl, shownDestination } from "./link-check";
export type { LinkCheck, LinkReason, HighlightedUrl } from "./link-check";
export {
  toAsciiHost,
  toUnicodeHost,
  organizationalDomain,
  sameOrganization,
  findLookalikeHost,
  scriptsOf,
} from "./domains";
export type { LookalikeHost } from "./domains";
export { assessSender } from "./assess";
export type { SenderAssessment, AssessOptions } from "./assess";
export { unsubscribeOf, MAX_UNSUBSCRIBE_URI } from "./list-unsubscribe";
export type { Unsubscribe } from "./list-unsubscribe";
