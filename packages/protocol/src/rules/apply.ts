import { foldForMatch } from "../filters/normalize";
import type { Rule, RuleCondition, TextCondition } from "./schema";

/**
 * Runs rules on one message here, as POP3 needs (its mail is only in the browser). Same model
 * as the Sieve the server runs for IMAP; the matching is kinder than Sieve's
 * `i;ascii-casemap`: case, diacritics and Cyrillic/Latin are folded (`foldForMatch`), so
 * "sasa" matches "Saša" and "Саша".
 *
 * - A header test holds when any of its values matches (RFC 5228 5.7); "to" is To and Cc.
 * - Rules run in order; `stop` ends the run. A message lives in one local folder: the first
 *   move decides it. Copy, forward and reject need a server and do nothing here.
 */

export interface RuleMessage {
  /** The From header as written: name and address. */
  readonly from: string;
  /** To and Cc recipients. */
  readonly to: string | readonly string[];
  readonly subject: string;
  /** Every value of a header field (case-insensitive name); optional for callers that have none. */
  readonly header?: (name: string) => readonly string[];
  readonly size?: number;
  readonly hasAttachment?: boolean;
}

export interface RulesOutcome {
  /** Where the first matching move sends it; null leaves it where it arrives. */
  readonly folder: string | null;
  readonly markRead: boolean;
  readonly flag: boolean;
  /** A matching rule deletes it (locally: to the Trash). */
  readonly discard: boolean;
  readonly matchedRuleIds: readonly string[];
}

/** RFC 5228 2.7.1 `:matches`: `*` any run, `?` one character, `\` quotes the next one. */
function wildcard(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\" && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
    else if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else source += escapeRegExp(ch);
  }
  return new RegExp(`^${source}$`, "u");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function values(condition: TextCondition, message: RuleMessage): readonly string[] {
  switch (condition.field) {
    case "from":
      return [message.from];
    case "to":
      return typeof message.to === "string" ? [message.to] : message.to;
    case "subject":
      return [message.subject];
    case "header":
      return message.header?.(condition.header ?? "") ?? [];
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
      const needle = foldForMatch(condition.value.trim());
      const pattern = condition.match === "matches" ? wildcard(needle) : null;
      const any = values(condition, message).some((raw) => {
        const hay = foldForMatch(raw.trim());
        if (condition.match === "is") return hay === needle;
        if (pattern) return pattern.test(hay);
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
  let discard = false;
  const matchedRuleIds: string[] = [];
  for (const rule of rules) {
    if (!rule.enabled || !ruleHolds(rule, message)) continue;
    matchedRuleIds.push(rule.id);
    let stop = false;
    for (const action of rule.actions) {
      if (action.type === "move" && folder === null) folder = action.folder;
      else if (action.type === "markRead") markRead = true;
      else if (action.type === "flag") flag = true;
      else if (action.type === "discard") discard = true;
      else if (action.type === "stop") stop = true;
    }
    if (stop) break;
  }
  return { folder, markRead, flag, discard, matchedRuleIds };
}
