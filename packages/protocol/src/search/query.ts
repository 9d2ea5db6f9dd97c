/**
 * Pismo's search language, parsed once here and used by both protocols: the gateway compiles
 * the result to IMAP SEARCH (imap-compile.ts), the browser evaluates it against its POP3 store
 * (local-match.ts, local-index.ts).
 *
 *   words                 match any of from, to, cc, subject, body (all words must match)
 *   "a phrase"            the words together, in that order
 *   from: to: cc: subject: body:    the value in that field; `from:"Ana Petrović"`
 *   has:attachment  is:unread  is:read  is:flagged
 *   before:DATE           strictly before that day; after:DATE is that day or later. DATE is
 *                         ISO (2026-11-30, 2026/11/30) or as the user's locale writes it
 *                         (en-US 11/30/2026; sr, en-GB 30.11.2026, 30.11.2026., 30/11/2026)
 *   older_than:7d newer_than:2w     relative to now; units d, w, m (months), y
 *   larger:5M smaller:200K          bytes, or K/M/G (1024-based), decimals allowed: 1.5M
 *   in:FOLDER  in:"Računi/2026"  in:all    where to search (default: the current folder)
 *   -term  -from:x  -(a b)          NOT
 *   a OR b                          OR; AND (juxtaposition) binds tighter; ( ) group
 *
 * An unknown operator ("foo:bar", "10:30", "https://x") is an ordinary word. A known operator
 * with a bad value is an error with its position, so the UI can underline it as it is typed;
 * parsing never throws.
 */

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

const isOperator = (name: string): name is SearchOperator =>
  (searchOperators as readonly string[]).includes(name);

// ---------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { readonly type: "lparen" | "rparen" | "or" | "neg"; readonly at: number; readonly length: number }
  | {
      readonly type: "term";
      readonly at: number;
      readonly length: number;
      readonly op: SearchOperator | null;
      readonly value: string;
      readonly valueAt: number;
      readonly valueLength: number;
      readonly quoted: boolean;
    };

class ParseFailure extends Error {
  constructor(readonly error: SearchError) {
    super(error.message);
  }
}

function fail(
  code: SearchErrorCode,
  at: number,
  length: number,
  params: Readonly<Record<string, string>> = {},
): never {
  throw new ParseFailure({ code, at, length: Math.max(length, 1), params, message: describe(code, params) });
}

function describe(code: SearchErrorCode, p: Readonly<Record<string, string>>): string {
  switch (code) {
    case "UNTERMINATED_QUOTE":
      return "This quotation mark is not closed.";
    case "UNBALANCED_PAREN":
      return "This parenthesis has no partner.";
    case "EMPTY_GROUP":
      return "There is nothing inside these parentheses.";
    case "DANGLING_OR":
      return "OR needs a search term on both sides.";
    case "MISSING_VALUE":
      return `${p["operator"] ?? ""}: needs a value, for example ${p["example"] ?? ""}.`;
    case "UNKNOWN_VALUE":
      return `${p["operator"] ?? ""}: takes one of ${p["expected"] ?? ""}, not "${p["value"] ?? ""}".`;
    case "BAD_DATE":
      return `"${p["value"] ?? ""}" is not a date; write it as ${p["example"] ?? ""} or 2026-11-30.`;
    case "BAD_RELATIVE_DATE":
      return `"${p["value"] ?? ""}" is not an age; write a number and d, w, m or y, for example 7d.`;
    case "BAD_SIZE":
      return `"${p["value"] ?? ""}" is not a size; write a number with K, M or G, for example 5M or 200K.`;
    case "SCOPE_NOT_ALLOWED_HERE":
      return "in: chooses where to search for the whole query: put it beside the other terms, not under - or inside parentheses with OR.";
    case "DUPLICATE_SCOPE":
      return "Only one in: per search.";
  }
}

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const n = input.length;
  let i = 0;
  while (i < n) {
    const ch = input[i];
    if (isSpace(ch)) {
      i++;
    } else if (ch === "(" || ch === ")") {
      tokens.push({ type: ch === "(" ? "lparen" : "rparen", at: i, length: 1 });
      i++;
    } else if (ch === "-" && i + 1 < n && !isSpace(input[i + 1]) && input[i + 1] !== ")") {
      tokens.push({ type: "neg", at: i, length: 1 });
      i++;
    } else if (ch === '"') {
      const close = input.indexOf('"', i + 1);
      if (close < 0) fail("UNTERMINATED_QUOTE", i, n - i);
      tokens.push({
        type: "term",
        at: i,
        length: close + 1 - i,
        op: null,
        value: input.slice(i + 1, close),
        valueAt: i + 1,
        valueLength: close - i - 1,
        quoted: true,
      });
      i = close + 1;
    } else {
      let j = i;
      while (j < n && !isSpace(input[j]) && input[j] !== "(" && input[j] !== ")" && input[j] !== '"') j++;
      const word = input.slice(i, j);
      const opMatch = /^([A-Za-z_]+):/.exec(word);
      const opName = opMatch?.[1]?.toLowerCase();
      if (word === "OR") {
        tokens.push({ type: "or", at: i, length: 2 });
        i = j;
      } else if (opMatch !== null && opName !== undefined && isOperator(opName)) {
        const rest = word.slice(opMatch[0].length);
        if (rest === "" && input[j] === '"') {
          const close = input.indexOf('"', j + 1);
          if (close < 0) fail("UNTERMINATED_QUOTE", j, n - j);
          tokens.push({
            type: "term",
            at: i,
            length: close + 1 - i,
            op: opName,
            value: input.slice(j + 1, close),
            valueAt: j + 1,
            valueLength: close - j - 1,
            quoted: true,
          });
          i = close + 1;
        } else {
          const valueAt = i + opMatch[0].length;
          tokens.push({
            type: "term",
            at: i,
            length: j - i,
            op: opName,
            value: rest,
            valueAt,
            valueLength: j - valueAt,
            quoted: false,
          });
          i = j;
        }
      } else {
        tokens.push({
          type: "term",
          at: i,
          length: j - i,
          op: null,
          value: word,
          valueAt: i,
          valueLength: j - i,
          quoted: false,
        });
        i = j;
      }
    }
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Values

const DAY_MS = 86_400_000;

function validDay(year: number, month: number, day: number): number | null {
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const time = Date.UTC(year, month - 1, day);
  return new Date(time).getUTCDate() === day ? time : null;
}

/** Whether the locale writes the month before the day (en-US), read from Intl. */
function monthFirst(locale: string | undefined): boolean {
  if (locale === undefined) return false;
  try {
    const parts = new Intl.DateTimeFormat(locale, { year: "numeric", month: "numeric", day: "numeric" })
      .formatToParts(Date.UTC(2026, 10, 30))
      .map((p) => p.type);
    return parts.indexOf("month") < parts.indexOf("day");
  } catch {
    // An unknown locale tag: fall back to day first, as most of the world (and Serbia) writes.
    return false;
  }
}

export function dateExample(locale: string | undefined): string {
  return monthFirst(locale) ? "11/30/2026" : "30.11.2026";
}

/**
 * A calendar day as UTC midnight (ms), or null. ISO year-first forms always; otherwise day and
 * month in the locale's order, separated by ".", "/" or "-", an optional space after each
 * separator and the Serbian trailing dot ("30. 11. 2026."). Two-digit years are 20yy.
 */
export function parseDay(text: string, locale?: string): number | null {
  const value = text.trim();
  const iso = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/.exec(value);
  if (iso !== null) return validDay(Number(iso[1]), Number(iso[3]), Number(iso[4]));
  const local = /^(\d{1,2})([./-]) ?(\d{1,2})\2 ?(\d{4}|\d{2})(\.?)$/.exec(value);
  if (local === null) return null;
  if (local[5] === "." && local[2] !== ".") return null;
  const a = Number(local[1]);
  const b = Number(local[3]);
  const rawYear = local[4] ?? "";
  const year = rawYear.length === 2 ? 2000 + Number(rawYear) : Number(rawYear);
  return monthFirst(locale) ? validDay(year, a, b) : validDay(year, b, a);
}

/** now minus an age like 7d, 2w, 3m, 1y (calendar months and years, clamped to month end). */
export function parseAge(text: string, now: number): number | null {
  const m = /^(\d{1,5})([dwmy])$/i.exec(text.trim());
  if (m === null) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? "").toLowerCase();
  if (unit === "d") return now - n * DAY_MS;
  if (unit === "w") return now - 7 * n * DAY_MS;
  const d = new Date(now);
  const months = unit === "m" ? n : 12 * n;
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() - months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(
    year,
    month,
    Math.min(d.getUTCDate(), lastDay),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/** Bytes for 5M, 200K, 1.5M, 1,5M, 2G, 300 (bytes), 10MB; K/M/G are 1024-based. */
export function parseSize(text: string): number | null {
  const m = /^(\d+(?:[.,]\d+)?)([kmg]?)(i?b)?$/i.exec(text.trim());
  if (m === null) return null;
  const num = Number((m[1] ?? "").replace(",", "."));
  const power = { "": 0, k: 1, m: 2, g: 3 }[(m[2] ?? "").toLowerCase()] ?? 0;
  const bytes = Math.round(num * 1024 ** power);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

// ---------------------------------------------------------------------------------------------
// Parser: or := and (OR and)* ; and := unary+ ; unary := "-" unary | "(" or ")" | term

type PNode =
  | Exclude<SearchNode, { kind: "not" | "and" | "or" }>
  | { readonly kind: "scope"; readonly scope: SearchScope; readonly at: number; readonly length: number }
  | { readonly kind: "not"; readonly node: PNode }
  | { readonly kind: "and" | "or"; readonly nodes: readonly PNode[] };

const examples: Readonly<Record<SearchOperator, string>> = {
  from: "from:ana",
  to: "to:ana",
  cc: "cc:ana",
  subject: "subject:račun",
  body: "body:ugovor",
  has: "has:attachment",
  is: "is:unread",
  before: "before:2026-11-30",
  after: "after:2026-11-30",
  older_than: "older_than:7d",
  newer_than: "newer_than:7d",
  larger: "larger:5M",
  smaller: "smaller:200K",
  in: "in:all",
};

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly now: number,
    private readonly locale: string | undefined,
  ) {}

  parseAll(): PNode | null {
    const node = this.parseOr();
    const stray = this.tokens[this.pos];
    if (stray !== undefined) fail("UNBALANCED_PAREN", stray.at, stray.length);
    return node;
  }

  private parseOr(): PNode | null {
    const first = this.tokens[this.pos];
    if (first?.type === "or") fail("DANGLING_OR", first.at, first.length);
    const left = this.parseAnd();
    if (left === null) return null;
    const branches = [left];
    for (let tok = this.tokens[this.pos]; tok?.type === "or"; tok = this.tokens[this.pos]) {
      this.pos++;
      const right = this.parseAnd();
      if (right === null) fail("DANGLING_OR", tok.at, tok.length);
      branches.push(right);
    }
    return branches.length === 1 ? left : { kind: "or", nodes: branches };
  }

  private parseAnd(): PNode | null {
    const items: PNode[] = [];
    for (let tok = this.tokens[this.pos]; tok !== undefined; tok = this.tokens[this.pos]) {
      if (tok.type === "rparen" || tok.type === "or") break;
      const node = this.parseUnary();
      if (node !== null) items.push(node);
    }
    if (items.length === 0) return null;
    return items.length === 1 ? (items[0] ?? null) : { kind: "and", nodes: items };
  }

  private parseUnary(): PNode | null {
    const tok = this.tokens[this.pos++];
    if (tok === undefined) return null;
    switch (tok.type) {
      case "neg": {
        const next = this.tokens[this.pos];
        if (next === undefined || next.type === "rparen" || next.type === "or") {
          // A "-" before nothing negates nothing: read it as the word it looks like.
          return null;
        }
        const inner = this.parseUnary();
        if (inner === null) return null;
        return inner.kind === "not" ? inner.node : { kind: "not", node: inner };
      }
      case "lparen": {
        const inner = this.parseOr();
        const close = this.tokens[this.pos];
        if (close?.type !== "rparen") fail("UNBALANCED_PAREN", tok.at, 1);
        this.pos++;
        if (inner === null) fail("EMPTY_GROUP", tok.at, close.at + 1 - tok.at);
        return inner;
      }
      case "rparen":
        return fail("UNBALANCED_PAREN", tok.at, 1);
      case "or":
        return fail("DANGLING_OR", tok.at, tok.length);
      case "term":
        return this.term(tok);
    }
  }

  private term(tok: Extract<Token, { type: "term" }>): PNode | null {
    const { op, quoted } = tok;
    const value = tok.value.trim();
    if (op === null) {
      return value === "" ? null : { kind: "text", field: "any", value, phrase: quoted };
    }
    if (value === "") fail("MISSING_VALUE", tok.at, tok.length, { operator: op, example: examples[op] });
    const badValue = (code: SearchErrorCode, extra: Record<string, string> = {}): never =>
      fail(code, tok.valueAt, tok.valueLength, { operator: op, value, ...extra });
    switch (op) {
      case "from":
      case "to":
      case "cc":
      case "subject":
      case "body":
        return { kind: "text", field: op, value, phrase: quoted };
      case "is":
      case "has": {
        const allowed = operatorValues[op] ?? [];
        const v = value.toLowerCase();
        if (op === "has" && v === "attachments") return { kind: "hasAttachment" };
        if (!allowed.includes(v)) return badValue("UNKNOWN_VALUE", { expected: allowed.join(", ") });
        return op === "has" ? { kind: "hasAttachment" } : { kind: "flag", flag: v as SearchFlag };
      }
      case "before":
      case "after": {
        const time = parseDay(value, this.locale);
        if (time === null) return badValue("BAD_DATE", { example: dateExample(this.locale) });
        return { kind: "date", bound: op, time, granularity: "day" };
      }
      case "older_than":
      case "newer_than": {
        const time = parseAge(value, this.now);
        if (time === null) return badValue("BAD_RELATIVE_DATE");
        return {
          kind: "date",
          bound: op === "older_than" ? "before" : "after",
          time,
          granularity: "instant",
        };
      }
      case "larger":
      case "smaller": {
        const bytes = parseSize(value);
        if (bytes === null) return badValue("BAD_SIZE");
        return { kind: "size", bound: op, bytes };
      }
      case "in": {
        const scope: SearchScope =
          !quoted && value.toLowerCase() === "all" ? { kind: "all" } : { kind: "folder", folder: value };
        return { kind: "scope", scope, at: tok.at, length: tok.length };
      }
    }
  }
}

/**
 * Takes in: out of the tree into the query's scope. It may stand among the top-level terms
 * ("in:all račun"), also within a branch of a top-level OR ("in:all a OR b", as people
 * type it), but not alone in a branch, under NOT or deeper: there it would not say where to
 * search.
 */
function finish(root: PNode | null): SearchQuery {
  const scopes: Extract<PNode, { kind: "scope" }>[] = [];
  // Parentheses without OR or NOT only group, so a nested AND is still the same level.
  const strip = (n: PNode): PNode | null => {
    if (n.kind === "scope") {
      scopes.push(n);
      return null;
    }
    if (n.kind !== "and") return n;
    const kept = n.nodes.map(strip).filter((c): c is PNode => c !== null);
    return kept.length === 0 ? null : kept.length === 1 ? (kept[0] ?? null) : { kind: "and", nodes: kept };
  };
  let top = root === null ? null : strip(root);
  if (top?.kind === "or") {
    top = {
      kind: "or",
      nodes: top.nodes.map((branch) => {
        const before = scopes.length;
        const kept = strip(branch);
        const alone = scopes[before];
        if (kept === null && alone !== undefined) fail("SCOPE_NOT_ALLOWED_HERE", alone.at, alone.length);
        return kept ?? branch;
      }),
    };
  }
  const second = scopes[1];
  if (second !== undefined) fail("DUPLICATE_SCOPE", second.at, second.length);
  return { root: top === null ? null : convert(top), scope: scopes[0]?.scope ?? { kind: "current" } };
}

function convert(node: PNode): SearchNode {
  switch (node.kind) {
    case "scope":
      return fail("SCOPE_NOT_ALLOWED_HERE", node.at, node.length);
    case "not":
      return { kind: "not", node: convert(node.node) };
    case "and":
    case "or": {
      const nodes = node.nodes.map(convert).flatMap((n) => (n.kind === node.kind ? n.nodes : [n]));
      return { kind: node.kind, nodes };
    }
    default:
      return node;
  }
}

/** Parses a search box's text. Never throws: a mistake comes back with its position. */
export function parseSearchQuery(input: string, options: ParseSearchOptions): ParseSearchResult {
  const now = typeof options.now === "number" ? options.now : options.now.getTime();
  try {
    const tokens = tokenize(input);
    const root = new Parser(tokens, now, options.locale).parseAll();
    return { ok: true, query: finish(root) };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: e.error };
    throw e;
  }
}

/** True when the query has no condition and searches the current folder: show the folder. */
export function isEmptyQuery(query: SearchQuery): boolean {
  return query.root === null && query.scope.kind === "current";
}
