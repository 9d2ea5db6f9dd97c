import type { SearchNode, SearchQuery, SearchTextField } from "./query";
import { addressText, type SearchAddress } from "./local-match";
import { fold, searchVariants } from "./translit";

/**
 * The IMAP search language evaluated against what the browser already knows of a message (the
 * list rows it holds), so a search can show its first results before the server answers.
 *
 * The server is the judge (imap-compile.ts says what it is asked), and the browser knows only
 * part of a message, so every condition is answered yes, no or unknown:
 *
 * - yes only where the server is certain to match: a text value whose server spellings
 *   (`searchVariants`) include one that occurs, letter for letter apart from case, where a
 *   word of the field starts. That holds for Dovecot's substring SEARCH and for a full-text
 *   index that matches parts of words (fts-xapian), whichever answers. Only plain words and
 *   words joined by single spaces, each of at least three letters (fts-xapian's shortest
 *   term), are judged so; anything else is at best unknown.
 * - no only where the server cannot match: not even the folded value (case, diacritics and
 *   script ignored, as any server comparator or index may do) is in the folded field, or for
 *   several words, one of them is nowhere in it.
 * - unknown for the rest: a field the browser does not hold (the body, Cc), a date (the
 *   server compares INTERNALDATE days in its own time zone), has:attachment other than as a
 *   condition of the whole query (the server then asks a Content-Type header, not the
 *   structure the list's mark comes from).
 *
 * AND, OR and NOT follow Kleene's three-valued logic: NOT of unknown is unknown.
 */

export type Verdict = "yes" | "no" | "unknown";

/**
 * What is known of one message. A field left out is not known. The address lists must be the
 * whole header's (every mailbox in it), or left out.
 */
export interface KnownMessage {
  readonly folder: string;
  readonly from?: readonly SearchAddress[];
  readonly to?: readonly SearchAddress[];
  readonly cc?: readonly SearchAddress[];
  readonly subject?: string;
  /** RFC822.SIZE, what LARGER and SMALLER compare. */
  readonly size?: number;
  readonly seen?: boolean;
  readonly flagged?: boolean;
  /** Decided from BODYSTRUCTURE the way the server refines a whole-query has:attachment. */
  readonly hasAttachment?: boolean;
  /** INTERNALDATE, epoch ms: what BEFORE, SINCE, OLDER and YOUNGER compare. */
  readonly internalDate?: number;
}

export interface KnownMatchOptions {
  /** The folder a query without in: searches. */
  readonly currentFolder: string;
  /** Whether the server is asked the other script's spelling too, as compileImapSearch's
   * option of the same name. @default true */
  readonly transliterate?: boolean;
}

type TextFieldName = Exclude<SearchTextField, "any">;
const anyFields: readonly TextFieldName[] = ["from", "to", "cc", "subject", "body"];

/** The server may compare INTERNALDATE days in any time zone (UTC-12 to UTC+14), and imapflow
 * rounds an instant to whole days without WITHIN: closer than this to the bound is unknown. */
const DATE_MARGIN_MS = 2 * 86_400_000;
const IMAP_NUMBER_MAX = 4_294_967_295;

const not = (v: Verdict): Verdict => (v === "yes" ? "no" : v === "no" ? "yes" : "unknown");

function all(verdicts: Iterable<Verdict>): Verdict {
  let result: Verdict = "yes";
  for (const v of verdicts) {
    if (v === "no") return "no";
    if (v === "unknown") result = "unknown";
  }
  return result;
}

function some(verdicts: Iterable<Verdict>): Verdict {
  let result: Verdict = "no";
  for (const v of verdicts) {
    if (v === "yes") return "yes";
    if (v === "unknown") result = "unknown";
  }
  return result;
}

const wordChar = /[\p{L}\p{N}]/u;
/** Words of letters and digits, at least three each, joined by single spaces. */
const judgeable = /^[\p{L}\p{N}]{3,}(?: [\p{L}\p{N}]{3,})*$/u;

/** `needle` occurs in `haystack` where a word starts (both already lower case). */
function atWordStart(haystack: string, needle: string): boolean {
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
    if (i === 0 || !wordChar.test(haystack.charAt(i - 1))) return true;
  }
  return false;
}

/** One text value, compiled once: the server's spellings, lower-cased, and the folded words. */
interface TextTest {
  /** Lower-cased server spellings that can be judged a certain match. */
  readonly exact: readonly string[];
  /** Each spelling's folded words; a field without one of a spelling's words cannot match it. */
  readonly loose: readonly (readonly string[])[];
}

function compileText(value: string, transliterate: boolean): TextTest {
  const variants = transliterate ? searchVariants(value) : [value];
  return {
    exact: variants.map((v) => v.normalize("NFC").toLowerCase()).filter((v) => judgeable.test(v)),
    loose: variants.map((v) =>
      fold(v)
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w !== ""),
    ),
  };
}

function textVerdict(test: TextTest, text: string): Verdict {
  const lower = text.normalize("NFC").toLowerCase();
  if (test.exact.some((v) => atWordStart(lower, v))) return "yes";
  const folded = fold(text);
  // A spelling with no words (only punctuation) is matched some way this cannot tell.
  const possible = test.loose.some((words) => words.length === 0 || words.every((w) => folded.includes(w)));
  return possible ? "unknown" : "no";
}

function fieldText(message: KnownMessage, field: TextFieldName): string | undefined {
  switch (field) {
    case "from":
    case "to":
    case "cc": {
      const list = message[field];
      return list === undefined ? undefined : addressText(list);
    }
    case "subject":
      return message.subject;
    case "body":
      return undefined;
  }
}

function dateVerdict(node: Extract<SearchNode, { kind: "date" }>, time: number | undefined): Verdict {
  if (time === undefined || Math.abs(time - node.time) < DATE_MARGIN_MS) return "unknown";
  const after = time > node.time;
  return node.bound === "after" ? (after ? "yes" : "no") : after ? "no" : "yes";
}

function sizeVerdict(node: Extract<SearchNode, { kind: "size" }>, size: number | undefined): Verdict {
  if (size === undefined) return "unknown";
  const bytes = Math.min(Math.max(node.bytes, 0), IMAP_NUMBER_MAX);
  // The server is asked ALL for larger:0 and nothing for smaller:0 (imap-compile.ts).
  if (bytes === 0) return node.bound === "larger" ? "yes" : "no";
  const match = node.bound === "larger" ? size > bytes : size < bytes;
  return match ? "yes" : "no";
}

const known = (value: boolean | undefined): Verdict =>
  value === undefined ? "unknown" : value ? "yes" : "no";

/**
 * Compiles a query once into a three-valued test of known messages. Values are prepared here,
 * once, so testing a window of rows costs only the comparisons.
 */
export function createKnownMatcher(
  query: SearchQuery,
  options: KnownMatchOptions,
): (message: KnownMessage) => Verdict {
  const transliterate = options.transliterate ?? true;
  const tests = new Map<SearchNode, TextTest>();
  const testOf = (node: Extract<SearchNode, { kind: "text" }>): TextTest => {
    let test = tests.get(node);
    if (test === undefined) {
      test = compileText(node.value, transliterate);
      tests.set(node, test);
    }
    return test;
  };
  const { root, scope } = query;
  // has:attachment as a condition of the whole query is decided by the structure the list's
  // mark comes from; anywhere else the server asks a header the browser does not hold.
  const conjuncts = root === null ? [] : root.kind === "and" ? root.nodes : [root];
  const attachmentConditions = conjuncts.filter(
    (n) => n.kind === "hasAttachment" || (n.kind === "not" && n.node.kind === "hasAttachment"),
  );
  const structural = new Set<SearchNode>(attachmentConditions.length === 1 ? attachmentConditions : []);

  const evaluate = (node: SearchNode, m: KnownMessage): Verdict => {
    switch (node.kind) {
      case "text": {
        const test = testOf(node);
        const fields = node.field === "any" ? anyFields : [node.field];
        return some(
          fields.map((f) => {
            const text = fieldText(m, f);
            return text === undefined ? "unknown" : textVerdict(test, text);
          }),
        );
      }
      case "flag":
        return node.flag === "flagged"
          ? known(m.flagged)
          : node.flag === "read"
            ? known(m.seen)
            : not(known(m.seen));
      case "hasAttachment":
        return structural.has(node) ? known(m.hasAttachment) : "unknown";
      case "date":
        return dateVerdict(node, m.internalDate);
      case "size":
        return sizeVerdict(node, m.size);
      case "not":
        if (structural.has(node)) return not(known(m.hasAttachment));
        return not(evaluate(node.node, m));
      case "and":
        return all(node.nodes.map((n) => evaluate(n, m)));
      case "or":
        return some(node.nodes.map((n) => evaluate(n, m)));
    }
  };

  return (m) => {
    let inScope: Verdict;
    switch (scope.kind) {
      case "all":
        inScope = "yes";
        break;
      case "current":
        inScope = m.folder === options.currentFolder ? "yes" : "no";
        break;
      case "folder":
        // The server takes the folder of exactly that path first; another folder may still be
        // the one meant by its folded name or display name.
        inScope = m.folder === scope.folder ? "yes" : "unknown";
        break;
    }
    if (inScope === "no") return "no";
    return all([inScope, root === null ? "yes" : evaluate(root, m)]);
  };
}

/**
 * The first matches of a folder's newest messages, given newest first: the rows judged yes,
 * up to the first one that cannot be judged (an unknown row might match and would then come
 * between them). With every row's verdict right, the result is exactly how the server's
 * newest-first answer begins, as far as these rows go.
 */
export function newestKnownMatches<T>(rows: readonly T[], verdict: (row: T) => Verdict): T[] {
  const out: T[] = [];
  for (const row of rows) {
    const v = verdict(row);
    if (v === "unknown") break;
    if (v === "yes") out.push(row);
  }
  return out;
}
