import { foldForMatch } from "../filters/normalize";
import type { Rule, RuleCondition, TextCondition } from "./schema";

/**
 * Runs rules on one message here, as POP3 needs (its mail is only in the browser). Same model
 * as the Sieve the server runs for IMAP, with the same result but for one thing on purpose: the
 * matching is kinder than Sieve's `i;ascii-casemap` (the comparator Pismo's script uses, by not
 * naming one; Pigeonhole has no `i;unicode-casemap`): case, diacritics and Cyrillic/Latin are
 * folded (`foldForMatch`), so "sasa" matches "Saša" and "Саша".
 *
 * - A header test holds when any of its values matches (RFC 5228 5.7): each whole field, as
 *   written ("to" is the To and Cc fields, not each address in them), without the space at its
 *   ends, which Pigeonhole leaves out; the rule's own value is compared with its spaces.
 * - `:matches` as Pigeonhole runs it: `?` is one octet of UTF-8, as its comparator reads the
 *   text, so "đ" takes `??` and "𝒳" `????` (RFC 5228 says one character; ASCII is both).
 * - Rules run in order; `stop` ends the run, and so does a refusal (compileRule writes it so).
 *   Actions add up as in Sieve: a move files the message with the flags set so far (RFC 5232),
 *   and a later "delete" (discard) cancels only the keeping, not a move. A message lives in one
 *   local folder: the first move decides it. Copy, forward and reject need a server and do
 *   nothing here.
 */

export interface RuleMessage {
  /** The From header as written: name and address (the header's own, when `header` is given). */
  readonly from: string;
  /** To and Cc recipients (the To and Cc fields, when `header` is given). */
  readonly to: string | readonly string[];
  readonly subject: string;
  /**
   * Every value of a header field (case-insensitive name), decoded (./headers.ts); optional for
   * callers that have none. Given, From, To, Cc and Subject are read from it, as Sieve does.
   */
  readonly header?: (name: string) => readonly string[];
  readonly size?: number;
  readonly hasAttachment?: boolean;
}

export interface RulesOutcome {
  /** Where the first matching move sends it; null leaves it where it arrives. */
  readonly folder: string | null;
  readonly markRead: boolean;
  readonly flag: boolean;
  /** A matching rule deletes it (locally: to the Trash), and no rule moved it. */
  readonly discard: boolean;
  readonly matchedRuleIds: readonly string[];
}

const utf8 = new TextEncoder();

/** A character of a value as compared: its folded text, and its length in UTF-8 octets. */
interface Unit {
  text: string[];
  octets: number;
  space: boolean;
}

/**
 * The value as a `:matches` pattern meets it: each character folded on its own, a character
 * that folds to nothing (a combining mark) and a run of spaces (folded to one) counted with the
 * one they belong to.
 */
function units(value: string): Unit[] {
  const out: Unit[] = [];
  for (const ch of value) {
    const octets = utf8.encode(ch).length;
    const folded = foldForMatch(ch);
    const space = folded === " ";
    const last = out.at(-1);
    if (last !== undefined && (folded === "" || (space && last.space))) last.octets += octets;
    else out.push({ text: Array.from(folded), octets, space });
  }
  return out;
}

type PatternPart = { kind: "any" } | { kind: "one" } | { kind: "char"; char: string };

/** RFC 5228 2.7.1 `:matches`: `*` any run, `?` one (octet, see above), `\` quotes the next one. */
function parsePattern(pattern: string): PatternPart[] {
  const chars = Array.from(pattern);
  const parts: PatternPart[] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === "\\" && i + 1 < chars.length) parts.push({ kind: "char", char: chars[++i]! });
    else if (ch === "*") parts.push({ kind: "any" });
    else if (ch === "?") parts.push({ kind: "one" });
    else parts.push({ kind: "char", char: ch });
  }
  return parts;
}

/**
 * Runs the pattern over the value's characters as a set of states: at a character's start,
 * part way through its folded text (a pattern's letters), or part way through its octets (a
 * pattern's `?`s); a letter never starts inside a character, as no octet of one is ASCII.
 */
function wildcardMatches(parts: readonly PatternPart[], value: string): boolean {
  const hay = units(value);
  // State numbers in order of position: each character's start, then its text, then its octets.
  const start: number[] = [];
  const unitOf: number[] = [];
  const textAt: number[] = [];
  const octetAt: number[] = [];
  for (const [j, unit] of hay.entries()) {
    start.push(unitOf.length);
    const slots: Array<[number, number]> = [[0, 0]];
    for (let o = 1; o < unit.text.length; o++) slots.push([o, 0]);
    for (let u = 1; u < unit.octets; u++) slots.push([0, u]);
    for (const [o, u] of slots) {
      unitOf.push(j);
      textAt.push(o);
      octetAt.push(u);
    }
  }
  const end = unitOf.length;
  start.push(end);
  let states = new Uint8Array(end + 1);
  states[0] = 1;
  for (const part of parts) {
    const next = new Uint8Array(end + 1);
    if (part.kind === "any") {
      const first = states.indexOf(1);
      if (first === -1) return false;
      next.fill(1, first);
    } else {
      for (let s = 0; s < end; s++) {
        if (states[s] !== 1) continue;
        const j = unitOf[s]!;
        const unit = hay[j]!;
        const o = textAt[s]!;
        const u = octetAt[s]!;
        if (part.kind === "one") {
          // The octets' states follow the text's: octet u + 1 of character j.
          if (o === 0)
            next[
              u + 1 === unit.octets ? start[j + 1]! : start[j]! + Math.max(unit.text.length - 1, 0) + u + 1
            ] = 1;
        } else if (u === 0 && unit.text[o] === part.char) {
          next[o + 1 >= unit.text.length ? start[j + 1]! : s + 1] = 1;
        }
      }
    }
    states = next;
  }
  return states[end] === 1;
}

/** What a Sieve `header` test compares: each whole field, read from the header when there is one. */
function values(condition: TextCondition, message: RuleMessage): readonly string[] {
  const header = message.header;
  switch (condition.field) {
    case "from":
      return header ? header("from") : [message.from];
    case "to":
      if (header) return [...header("to"), ...header("cc")];
      return typeof message.to === "string" ? [message.to] : message.to;
    case "subject":
      return header ? header("subject") : [message.subject];
    case "header":
      return header?.(condition.header ?? "") ?? [];
  }
}

export function conditionHolds(condition: RuleCondition, message: RuleMessage): boolean {
  switch (condition.kind) {
    case "size":
      if (message.size === undefined) return false;
      return condition.over ? message.size > condition.bytes : message.size < condition.bytes;
    case "attachment":
      return (message.hasAttachment ?? false) !== condition.not;
    case "text": {
      // The value as the script holds it, spaces and all; the field without its ends' spaces.
      const needle = foldForMatch(condition.value);
      const pattern = condition.match === "matches" ? parsePattern(needle) : null;
      const any = values(condition, message).some((raw) => {
        if (pattern) return wildcardMatches(pattern, raw.trim());
        const hay = foldForMatch(raw.trim());
        if (condition.match === "is") return hay === needle;
        return needle !== "" && hay.includes(needle);
      });
      return any !== condition.not;
    }
  }
}

export function ruleHolds(rule: Rule, message: RuleMessage): boolean {
  return rule.match === "all"
    ? rule.conditions.every((c) => conditionHolds(c, message))
    : rule.conditions.some((c) => conditionHolds(c, message));
}

export function runRules(rules: readonly Rule[], message: RuleMessage): RulesOutcome {
  let folder: string | null = null;
  let markRead = false;
  let flag = false;
  // The flags the message was moved with (RFC 5232: fileinto takes the flags set so far; a
  // later addflag is for a later fileinto or the keeping).
  let filed: { markRead: boolean; flag: boolean } | null = null;
  let discard = false;
  const matchedRuleIds: string[] = [];
  for (const rule of rules) {
    if (!rule.enabled || !ruleHolds(rule, message)) continue;
    matchedRuleIds.push(rule.id);
    let stop = false;
    for (const action of rule.actions) {
      if (action.type === "move" && folder === null) {
        folder = action.folder;
        filed = { markRead, flag };
      } else if (action.type === "markRead") markRead = true;
      else if (action.type === "flag") flag = true;
      else if (action.type === "discard") discard = true;
      else if (action.type === "stop" || action.type === "reject") stop = true;
    }
    if (stop) break;
  }
  // RFC 5228 4.5: discard cancels the implicit keep only; a message filed stays filed.
  if (filed !== null) return { folder, ...filed, discard: false, matchedRuleIds };
  return { folder, markRead, flag, discard, matchedRuleIds };
}
