import type { SearchNode, SearchQuery, SearchScope, SearchTextField } from "./query";
import { searchVariants } from "./translit";
import { zonedMidnight } from "./time-zone";

/**
 * Compiles a parsed search to IMAP SEARCH (RFC 3501 section 6.4.4, RFC 9051 section 6.4.4):
 * the server searches, so nothing is downloaded to find a message.
 *
 * - A free word matches if any of FROM, TO, CC, SUBJECT, BODY contains it (an OR); words are
 *   ANDed. TEXT would be one key, but it also matches Received, Message-ID and every other
 *   header, which finds mail the user did not mean.
 * - Serbian is written in both scripts, so each word and phrase is also searched in its
 *   transliteration ("pismo" OR "писмо"; ASCII "dj" also as đ). IMAP has no
 *   transliterating comparator, so the alternatives go into the query.
 * - has:attachment has no IMAP search key. It is approximated on the server by
 *   HEADER Content-Type "multipart/mixed" (the top-level shape of a message with attachments;
 *   misses an attachment inside multipart/signed or a message that is a single non-text part,
 *   and counts a multipart/mixed whose parts are all inline). When has:attachment is a
 *   top-level condition, `attachment` tells the gateway to refine the results with the
 *   BODYSTRUCTURE it fetches for the list; that can only remove false matches.
 * - before:DAY is BEFORE (strictly earlier days), after:DAY is SINCE (that day or later);
 *   older_than/newer_than give an instant, which imapflow sends as OLDER/YOUNGER when the
 *   server has WITHIN (RFC 5032) and otherwise rounds to whole days (including the partial
 *   day, so nothing is missed).
 * - IMAP sizes are 32-bit (RFC 3501 `number`), so larger:/smaller: clamp to 4 GiB - 1.
 * - Fuzzy search (SEARCH=FUZZY, RFC 6203) is a FUZZY prefix on each text key. imapflow 2.10.2's
 *   search object has no key for it, so `fuzzy` only travels with the plan: the gateway may use
 *   it only if it sends the criteria itself.
 */

type TextKey = "FROM" | "TO" | "CC" | "SUBJECT" | "BODY";

/** An IMAP search-key tree; AND is juxtaposition on the wire. */
export type ImapCriteria =
  | { readonly key: TextKey; readonly value: string }
  | { readonly key: "SEEN" | "UNSEEN" | "FLAGGED" | "ALL" }
  | { readonly key: "HEADER"; readonly name: string; readonly value: string }
  /** `date` is "YYYY-MM-DD" for a day, an ISO instant for older_than/newer_than. */
  | { readonly key: "BEFORE" | "SINCE"; readonly date: string }
  | { readonly key: "LARGER" | "SMALLER"; readonly bytes: number }
  | { readonly key: "NOT"; readonly of: ImapCriteria }
  | { readonly key: "AND" | "OR"; readonly of: readonly ImapCriteria[] };

/**
 * The subset of imapflow's `SearchObject` this compiler produces; it is assignable to it, and
 * plain JSON (dates are ISO strings).
 */
export interface ImapSearchObject {
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  body?: string;
  seen?: boolean;
  flagged?: boolean;
  all?: boolean;
  before?: string;
  since?: string;
  larger?: number;
  smaller?: number;
  header?: { [name: string]: string };
  not?: ImapSearchObject;
  or?: ImapSearchObject[];
}

export interface ImapSearchPlan {
  /** The conditions, in IMAP's own terms. */
  readonly criteria: ImapCriteria;
  /** The same for `client.search(searchObject, { uid: true })`. */
  readonly searchObject: ImapSearchObject;
  /** Where to search: the open folder, every folder, or a named one. */
  readonly scope: SearchScope;
  /**
   * has:attachment as a top-level condition: refine by BODYSTRUCTURE ("exclude" for NOT;
   * "none" when both stand at the top level, which no message can satisfy).
   */
  readonly attachment: "require" | "exclude" | "none" | null;
  /** The user allows fuzzy matching and the caller said the server has SEARCH=FUZZY. */
  readonly fuzzy: boolean;
}

export interface ImapCompileOptions {
  /** Search the other script's spelling too. @default true */
  readonly transliterate?: boolean;
  /** SEARCH=FUZZY is advertised and the user allows it. @default false */
  readonly fuzzy?: boolean;
  /**
   * The user's time zone (IANA) and the time now, where the server can search by the instant
   * (WITHIN, RFC 5032; imapflow sends BEFORE and SINCE given a past instant as OLDER and
   * YOUNGER): a day then starts at the user's midnight. Without it, or for a day not begun yet,
   * a day is the server's date (BEFORE, SINCE, RFC 9051).
   */
  readonly timeZone?: { readonly zone: string; readonly now: number };
}

const IMAP_NUMBER_MAX = 4_294_967_295;
const anyFields: readonly TextKey[] = ["FROM", "TO", "CC", "SUBJECT", "BODY"];
const fieldKeys: Readonly<Record<Exclude<SearchTextField, "any">, TextKey>> = {
  from: "FROM",
  to: "TO",
  cc: "CC",
  subject: "SUBJECT",
  body: "BODY",
};

const or = (of: readonly ImapCriteria[]): ImapCriteria =>
  of.length === 1 && of[0] ? of[0] : { key: "OR", of };

function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

interface CompileContext {
  readonly transliterate: boolean;
  readonly timeZone: ImapCompileOptions["timeZone"];
}

/** A day's start as the instant the server compares with (see `timeZone`), else its date. */
function dayBound(day: number, timeZone: ImapCompileOptions["timeZone"]): string {
  const start = timeZone ? zonedMidnight(day, timeZone.zone) : null;
  return start !== null && start < timeZone!.now - 1000 ? new Date(start).toISOString() : isoDay(day);
}

function compileNode(node: SearchNode, ctx: CompileContext): ImapCriteria {
  switch (node.kind) {
    case "text": {
      const values = ctx.transliterate ? searchVariants(node.value) : [node.value];
      const keys = node.field === "any" ? anyFields : [fieldKeys[node.field]];
      return or(keys.flatMap((key) => values.map((value) => ({ key, value }))));
    }
    case "flag":
      return { key: node.flag === "unread" ? "UNSEEN" : node.flag === "read" ? "SEEN" : "FLAGGED" };
    case "hasAttachment":
      return { key: "HEADER", name: "Content-Type", value: "multipart/mixed" };
    case "date":
      return {
        key: node.bound === "before" ? "BEFORE" : "SINCE",
        date:
          node.granularity === "day" ? dayBound(node.time, ctx.timeZone) : new Date(node.time).toISOString(),
      };
    case "size":
      return {
        key: node.bound === "larger" ? "LARGER" : "SMALLER",
        bytes: Math.min(Math.max(node.bytes, 0), IMAP_NUMBER_MAX),
      };
    case "not":
      return { key: "NOT", of: compileNode(node.node, ctx) };
    case "and":
      return { key: "AND", of: node.nodes.map((n) => compileNode(n, ctx)) };
    case "or":
      return or(node.nodes.map((n) => compileNode(n, ctx)));
  }
}

/**
 * An imapflow search object holds each key once, so two conditions on the same key (two free
 * words are two `or`s) cannot share one object. They are joined with a double NOT, which IMAP
 * reads as the condition itself: NOT (NOT b) = b, and juxtaposition is AND. When both sides
 * already use `not`, De Morgan: a AND b = NOT (OR (NOT a) (NOT b)).
 */
function and2(a: ImapSearchObject, b: ImapSearchObject): ImapSearchObject {
  const aKeys = Object.keys(a);
  if (!Object.keys(b).some((k) => aKeys.includes(k))) return { ...a, ...b };
  if (a.not === undefined) return { ...a, not: { not: b } };
  if (b.not === undefined) return { ...b, not: { not: a } };
  return { not: { or: [{ not: a }, { not: b }] } };
}

/** Converts criteria to imapflow's search object (see `and2` for how AND is kept). */
export function toSearchObject(criteria: ImapCriteria): ImapSearchObject {
  switch (criteria.key) {
    case "FROM":
      return { from: criteria.value };
    case "TO":
      return { to: criteria.value };
    case "CC":
      return { cc: criteria.value };
    case "SUBJECT":
      return { subject: criteria.value };
    case "BODY":
      return { body: criteria.value };
    case "SEEN":
      return { seen: true };
    case "UNSEEN":
      return { seen: false };
    case "FLAGGED":
      return { flagged: true };
    case "ALL":
      return { all: true };
    case "HEADER":
      return { header: { [criteria.name]: criteria.value } };
    case "BEFORE":
      return { before: criteria.date };
    case "SINCE":
      return { since: criteria.date };
    // imapflow drops a zero size (a falsy value), so state what LARGER 0 / SMALLER 0 mean.
    case "LARGER":
      return criteria.bytes === 0 ? { all: true } : { larger: criteria.bytes };
    case "SMALLER":
      return criteria.bytes === 0 ? { not: { all: true } } : { smaller: criteria.bytes };
    case "NOT":
      return { not: toSearchObject(criteria.of) };
    case "OR":
      return criteria.of.length === 1 && criteria.of[0]
        ? toSearchObject(criteria.of[0])
        : { or: criteria.of.map(toSearchObject) };
    case "AND":
      return criteria.of.map(toSearchObject).reduce(and2, {});
  }
}

/** has:attachment (or its negation, or both) as a top-level condition. */
function topLevelAttachment(root: SearchNode | null): ImapSearchPlan["attachment"] {
  const conjuncts = root === null ? [] : root.kind === "and" ? root.nodes : [root];
  let found: "require" | "exclude" | null = null;
  for (const n of conjuncts) {
    const kind =
      n.kind === "hasAttachment"
        ? "require"
        : n.kind === "not" && n.node.kind === "hasAttachment"
          ? "exclude"
          : null;
    if (kind === null) continue;
    if (found !== null && found !== kind) return "none";
    found = kind;
  }
  return found;
}

/** Compiles a parsed search for UID SEARCH (or ESEARCH) in `plan.scope`. */
export function compileImapSearch(query: SearchQuery, options: ImapCompileOptions = {}): ImapSearchPlan {
  const criteria: ImapCriteria =
    query.root === null
      ? { key: "ALL" }
      : compileNode(query.root, {
          transliterate: options.transliterate ?? true,
          timeZone: options.timeZone,
        });
  const searchObject = toSearchObject(criteria);
  return {
    criteria,
    searchObject: Object.keys(searchObject).length === 0 ? { all: true } : searchObject,
    scope: query.scope,
    attachment: topLevelAttachment(query.root),
    fuzzy: options.fuzzy === true,
  };
}

const quote = (s: string): string => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/**
 * The criteria as RFC 3501 search-key text, for logs and tests. Strings are shown quoted even
 * when non-ASCII (on the wire imapflow sends those as literals with CHARSET UTF-8). Day dates
 * use IMAP's date form; instants are shown as ISO.
 */
export function formatImapCriteria(criteria: ImapCriteria): string {
  switch (criteria.key) {
    case "SEEN":
    case "UNSEEN":
    case "FLAGGED":
    case "ALL":
      return criteria.key;
    case "HEADER":
      return `HEADER ${criteria.name} ${quote(criteria.value)}`;
    case "BEFORE":
    case "SINCE":
      return `${criteria.key} ${imapDate(criteria.date)}`;
    case "LARGER":
    case "SMALLER":
      return `${criteria.key} ${criteria.bytes}`;
    case "NOT":
      return `NOT ${group(criteria.of)}`;
    case "AND":
      return criteria.of.map(group).join(" ");
    case "OR":
      return criteria.of
        .map(group)
        .reduceRight((right, left, i) => (i === criteria.of.length - 1 ? left : `OR ${left} ${right}`), "");
    default:
      return `${criteria.key} ${quote(criteria.value)}`;
  }
}

function group(c: ImapCriteria): string {
  return c.key === "AND" && c.of.length > 1 ? `(${formatImapCriteria(c)})` : formatImapCriteria(c);
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
function imapDate(date: string): string {
  if (date.length !== 10) return date;
  const [y, m, d] = date.split("-");
  return `${Number(d)}-${months[Number(m) - 1] ?? "?"}-${y ?? "?"}`;
}
