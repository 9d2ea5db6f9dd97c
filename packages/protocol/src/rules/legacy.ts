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
