import type { FilterRule } from "../schemas/filters";
import type { Rule, RuleAction, RuleActionType } from "./schema";

/** What a rule can do where nothing runs on the server (POP3: the browser sorts on arrival). */
export const localActionTypes: readonly RuleActionType[] = ["move", "markRead", "flag", "discard", "stop"];

/**
 * A filter from before the shared rule model (one field, "contains", move and/or mark read),
 * as stored by POP3 accounts and in version 1 settings files, as a rule.
 */
export function ruleFromLegacyFilter(filter: FilterRule): Rule {
  const actions: RuleAction[] = [];
  if (filter.action.markRead === true) actions.push({ type: "markRead" });
  if (filter.action.moveTo !== undefined) actions.push({ type: "move", folder: filter.action.moveTo });
  return {
    id: filter.id.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 100) || "rule",
    name: "",
    enabled: true,
    match: "all",
    conditions: [
      { kind: "text", field: filter.field, match: "contains", not: false, value: filter.contains },
    ],
    actions,
  };
}

/** The same rule as an old-style filter, when it fits one (for older copies of Pismo); else null. */
export function legacyFilterFromRule(rule: Rule): FilterRule | null {
  const [condition] = rule.conditions;
  if (!rule.enabled || rule.conditions.length !== 1 || condition?.kind !== "text") return null;
  if (condition.match !== "contains" || condition.not || condition.field === "header") return null;
  if (rule.actions.some((a) => a.type !== "move" && a.type !== "markRead")) return null;
  const move = rule.actions.find((a) => a.type === "move");
  const markRead = rule.actions.some((a) => a.type === "markRead");
  return {
    id: rule.id,
    field: condition.field,
    contains: condition.value,
    action: {
      ...(move?.type === "move" ? { moveTo: move.folder } : {}),
      ...(markRead ? { markRead: true } : {}),
    },
  };
}
