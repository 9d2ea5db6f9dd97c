// The search language's vocabulary and result types (see query.ts for the language itself).

export type SearchTextField = "any" | "from" | "to" | "cc" | "subject" | "body";
export type SearchFlag = "unread" | "read" | "flagged";

/**
 * A condition. Times are epoch milliseconds so the tree survives JSON. A "day" date is UTC
 * midnight of the calendar day the user wrote (matched against the message's own day); an
 * "instant" date comes from older_than/newer_than.
 */
export type SearchNode =
  | {
      readonly kind: "text";
      readonly field: SearchTextField;
      readonly value: string;
      /** Written in quotes: the words must appear together. */
      readonly phrase: boolean;
    }
  | { readonly kind: "flag"; readonly flag: SearchFlag }
  | { readonly kind: "hasAttachment" }
  | {
      readonly kind: "date";
      readonly bound: "before" | "after";
      readonly time: number;
      readonly granularity: "day" | "instant";
    }
  | { readonly kind: "size"; readonly bound: "larger" | "smaller"; readonly bytes: number }
  | { readonly kind: "not"; readonly node: SearchNode }
  | { readonly kind: "and"; readonly nodes: readonly SearchNode[] }
  | { readonly kind: "or"; readonly nodes: readonly SearchNode[] };

export type SearchScope =
  | { readonly kind: "current" }
  | { readonly kind: "all" }
  | { readonly kind: "folder"; readonly folder: string };

export interface SearchQuery {
  /** null: no condition (an empty box, or only `in:`), every message in scope matches. */
  readonly root: SearchNode | null;
  readonly scope: SearchScope;
}

export const searchErrorCodes = [
  "UNTERMINATED_QUOTE",
  "UNBALANCED_PAREN",
  "EMPTY_GROUP",
  "DANGLING_OR",
  "MISSING_VALUE",
  "UNKNOWN_VALUE",
  "BAD_DATE",
  "BAD_RELATIVE_DATE",
  "BAD_SIZE",
  "SCOPE_NOT_ALLOWED_HERE",
  "DUPLICATE_SCOPE",
  "TOO_DEEP",
] as const;
export type SearchErrorCode = (typeof searchErrorCodes)[number];

export interface SearchError {
  readonly code: SearchErrorCode;
  /** UTF-16 offset into the input (what `setSelectionRange` takes) and the length to mark. */
  readonly at: number;
  readonly length: number;
  /** Values for the UI's translated message: operator, value, expected, example. */
  readonly params: Readonly<Record<string, string>>;
  /** An English fallback for logs; the UI translates from code and params. */
  readonly message: string;
}

export type ParseSearchResult =
  { readonly ok: true; readonly query: SearchQuery } | { readonly ok: false; readonly error: SearchError };

export interface ParseSearchOptions {
  /** The clock older_than/newer_than count from; the caller owns the clock. */
  readonly now: Date | number;
  /**
   * BCP 47 locale whose date order (day or month first) before:/after: accept, e.g. "sr",
   * "en-GB", "en-US". ISO dates are always accepted. @default day first
   */
  readonly locale?: string;
}

export const textOperators = ["from", "to", "cc", "subject", "body"] as const;
export const searchOperators = [
  ...textOperators,
  "has",
  "is",
  "before",
  "after",
  "older_than",
  "newer_than",
  "larger",
  "smaller",
  "in",
] as const;
export type SearchOperator = (typeof searchOperators)[number];

export const operatorValues: Readonly<Partial<Record<SearchOperator, readonly string[]>>> = {
  is: ["unread", "read", "flagged"],
  has: ["attachment"],
};

export const isOperator = (name: string): name is SearchOperator =>
  (searchOperators as readonly string[]).includes(name);
