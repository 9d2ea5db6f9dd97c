export {
  dateExample,
  isEmptyQuery,
  operatorValues,
  parseAge,
  parseDay,
  parseSearchQuery,
  parseSize,
  searchErrorCodes,
  searchOperators,
  textOperators,
} from "./query";
export type {
  ParseSearchOptions,
  ParseSearchResult,
  SearchError,
  SearchErrorCode,
  SearchFlag,
  SearchNode,
  SearchOperator,
  SearchQuery,
  SearchScope,
  SearchTextField,
} from "./query";
export { fold, hasCyrillic, hasLatin, searchVariants, toCyrillic, toLatin } from "./translit";
export { compileImapSearch, formatImapCriteria, toSearchObject } from "./imap-compile";
export type { ImapCompileOptions, ImapCriteria, ImapSearchObject, ImapSearchPlan } from "./imap-compile";
