import type { Rule } from "@pismo/protocol/rules";

/**
 * One change the user made to the list of rules, as what they meant ("turn rule A off"), not
 * the whole list they saw: applied to whatever the list is by the time it is saved, after
 * changes still on their way, or after another device's, it keeps those.
 */
export type RulesChange = (rules: readonly Rule[]) => Rule[];

/** On or off, as the switch was set (not "the other way": made twice, it stays so). */
export const setEnabled =
  (id: string, enabled: boolean): RulesChange =>
  (rules) =>
    rules.map((r) => (r.id === id ? { ...r, enabled } : r));

export const removeRule =
  (id: string): RulesChange =>
  (rules) =>
    rules.filter((r) => r.id !== id);

/** The rule as edited, in its place; a new one (or one deleted meanwhile) last. */
export const putRule =
  (rule: Rule): RulesChange =>
  (rules) =>
    rules.some((r) => r.id === rule.id) ? rules.map((r) => (r.id === rule.id ? rule : r)) : [...rules, rule];

/** The rule to place `to` (0 first), within the list; a rule no longer there changes nothing. */
export const moveRule =
  (id: string, to: number): RulesChange =>
  (rules) => {
    const moved = rules.find((r) => r.id === id);
    if (!moved) return [...rules];
    const rest = rules.filter((r) => r !== moved);
    rest.splice(Math.max(0, Math.min(rest.length, to)), 0, moved);
    return rest;
  };
