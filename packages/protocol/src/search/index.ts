// The search box's language (operators, values, errors) as `query` presents it.
export * from "./query";
export { fold, hasCyrillic, hasLatin, searchVariants, toCyrillic, toLatin } from "./translit";
export { compileImapSearch, formatImapCriteria, toSearchObject } from "./imap-compile";
export type { ImapCompileOptions, ImapCriteria, ImapSearchObject, ImapSearchPlan } from "./imap-compile";
export {
  addressText,
  containsAtWordStart,
  createLocalMatcher,
  evaluateNode,
  foldRecord,
  matchesQuery,
  scopeIncludes,
  tokenizeForSearch,
  tokensForIndex,
} from "./local-match";
export type {
  FoldedRecord,
  LocalMatchOptions,
  LocalSearchMeta,
  LocalSearchRecord,
  SearchAddress,
} from "./local-match";
export { LocalSearchIndex, SEGMENT_MESSAGES } from "./local-index";
export type { LocalSearchText, TextSegment } from "./local-index";
export { suggestSearch } from "./suggest";
export type { SearchSuggestion, SearchSuggestions, SuggestOptions } from "./suggest";
export { createKnownMatcher, newestKnownMatches } from "./known-match";
export type { KnownMatchOptions, KnownMessage, Verdict } from "./known-match";
