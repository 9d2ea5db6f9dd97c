import { foldForMatch } from "./normalize";
import type { FilterField, FilterRule } from "./schema";

/**
 * The local filter engine: POP3 has only local folders, so sorting is done here, on
 * arrival.
 *
 * Semantics, chosen to be predictable:
 * - A rule matches when its field contains its text after folding (`foldForMatch`: case,
 *   diacritics and Cyrillic/Latin insensitive; "sasa" matches "Saša" and "Саша").
 * - "from" is the From header as written (name and address), "to" is To and Cc together,
 *   "subject" the decoded subject.
 * - Every matching rule applies, in order. A message lives in one folder, so the first
 *   matching rule that moves it decides the folder; later moves are ignored. markRead from
 *   any matching rule marks it read.
 */

export interface FilterableMessage {
  readonly from: string;
  /** To and Cc recipients, as one string or a list. */
  readonly to: string | readonly string[];
  readonly subject: string;
}

export interface FilterOutcome {
  /** Folder id to move to, or null to leave it in the inbox. */
  readonly folderId: string | null;
  readonly markRead: boolean;
  /** Ids of every rule that matched, in order. */
  readonly matchedRuleIds: readonly string[];
}

function fieldText(message: FilterableMessage, field: FilterField): string {
  if (field === "to") return typeof message.to === "string" ? message.to : message.to.join(", ");
  return message[field];
}

export function ruleMatches(rule: FilterRule, message: FilterableMessage): boolean {
  const needle = foldForMatch(rule.contains.trim());
  if (needle === "") return false;
  return foldForMatch(fieldText(message, rule.field)).includes(needle);
}

export function applyFilters(rules: readonly FilterRule[], message: FilterableMessage): FilterOutcome {
  let folderId: string | null = null;
  let markRead = false;
  const matchedRuleIds: string[] = [];
  for (const rule of rules) {
    if (!ruleMatches(rule, message)) continue;
    matchedRuleIds.push(rule.id);
    if (folderId === null && rule.action.moveTo !== undefined) folderId = rule.action.moveTo;
    if (rule.action.markRead === true) markRead = true;
  }
  return { folderId, markRead, matchedRuleIds };
}
