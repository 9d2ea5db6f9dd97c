import {
  actionOrder,
  ruleSchema,
  type Rule,
  type RuleAction,
  type RuleActionType,
  type RuleCondition,
} from "@pismo/protocol/rules";

/**
 * The rule editor's own logic, without React: whether what it holds differs from the rule it
 * was opened with, and what a condition becomes when its field is changed (and changed back).
 */

/** The rule as a save would send it: the schema's output (actions in the order they run), or,
 * while it is not valid yet, the same with the actions so ordered. */
function savedForm(rule: Rule): Rule {
  const parsed = ruleSchema.safeParse(rule);
  if (parsed.success) return parsed.data;
  const rank = (a: RuleAction) => actionOrder.indexOf(a.type);
  return { ...rule, actions: [...rule.actions].sort((a, b) => rank(a) - rank(b)) };
}

/** JSON with each object's keys sorted and undefined left out: equal text is an equal value. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Whether closing the editor would lose anything: the rule it holds differs, as it would be
 * saved, from the one it was opened with. By value, not by what was touched: an action turned
 * off and on again, or a field changed and changed back, is no change.
 */
export function ruleEdited(current: Rule, opened: Rule): boolean {
  return canonical(savedForm(current)) !== canonical(savedForm(opened));
}

/** The actions of `type` the rule had when it was turned off, to be turned on as they were. */
export type ActionsAside = Partial<Record<RuleActionType, RuleAction[]>>;

/** An action turned on or off; off, it is kept aside (`aside`), and on again it comes back from
 * there, or as `fresh` when it never was on. */
export function toggleAction(
  rule: Rule,
  aside: ActionsAside,
  fresh: RuleAction,
  on: boolean,
): { rule: Rule; aside: ActionsAside } {
  const { type } = fresh;
  const others = rule.actions.filter((a) => a.type !== type);
  if (!on) {
    const off = rule.actions.filter((a) => a.type === type);
    return { rule: { ...rule, actions: others }, aside: off.length > 0 ? { ...aside, [type]: off } : aside };
  }
  const back = aside[type];
  return { rule: { ...rule, actions: [...others, ...(back?.length ? back : [fresh])] }, aside };
}

/** What a condition's field list offers: a text field, or a kind of its own. */
export type Field = "from" | "to" | "subject" | "header" | "size" | "attachment";

export function fieldOf(c: RuleCondition): Field {
  return c.kind === "text" ? c.field : c.kind;
}

/** What one condition held before its field was changed, by kind, and the header it named. */
export interface ConditionAside {
  text?: Extract<RuleCondition, { kind: "text" }>;
  size?: Extract<RuleCondition, { kind: "size" }>;
  attachment?: Extract<RuleCondition, { kind: "attachment" }>;
  header?: string;
}

/**
 * The condition with its field changed to `field`: a text field keeps the test and value (from
 * the last text it held, when it is a size or an attachment now), the header named before, and
 * a size or attachment its own values from before; what it held is kept aside for the way back.
 */
export function withField(
  c: RuleCondition,
  field: Field,
  aside: ConditionAside = {},
): { condition: RuleCondition; aside: ConditionAside } {
  const kept: ConditionAside =
    c.kind === "text"
      ? { ...aside, text: c, ...(c.field === "header" && c.header !== undefined ? { header: c.header } : {}) }
      : { ...aside, [c.kind]: c };
  if (field === "size")
    return { condition: kept.size ?? { kind: "size", over: true, bytes: 1024 * 1024 }, aside: kept };
  if (field === "attachment")
    return { condition: kept.attachment ?? { kind: "attachment", not: false }, aside: kept };
  const base = kept.text ?? { match: "contains" as const, not: false, value: "" };
  const text = { match: base.match, not: base.not, value: base.value };
  return {
    condition:
      field === "header"
        ? { kind: "text", field, header: kept.header ?? "X-", ...text }
        : { kind: "text", field, ...text },
    aside: kept,
  };
}
