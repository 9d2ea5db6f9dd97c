import type { TFunction } from "@/i18n/translate";
import type { Rule, RuleAction, RuleCondition } from "@pismo/protocol/rules";
import { randomId } from "@pismo/protocol/ids";

/** The op a condition shows in the editor: match type and "not" together, in plain words. */
export type TextOp = "contains" | "notContains" | "is" | "isNot" | "matches" | "notMatches";

export function textOp(match: "contains" | "is" | "matches", not: boolean): TextOp {
  if (match === "contains") return not ? "notContains" : "contains";
  if (match === "is") return not ? "isNot" : "is";
  return not ? "notMatches" : "matches";
}

export function fromTextOp(op: TextOp): { match: "contains" | "is" | "matches"; not: boolean } {
  switch (op) {
    case "contains":
      return { match: "contains", not: false };
    case "notContains":
      return { match: "contains", not: true };
    case "is":
      return { match: "is", not: false };
    case "isNot":
      return { match: "is", not: true };
    case "matches":
      return { match: "matches", not: false };
    case "notMatches":
      return { match: "matches", not: true };
  }
}

export function describeCondition(c: RuleCondition, t: TFunction): string {
  if (c.kind === "size")
    return `${t("filters.size")} ${t(c.over ? "filters.larger" : "filters.smaller")} ${Math.round(c.bytes / 1024)} ${t("filters.kb")}`;
  if (c.kind === "attachment") return t(c.not ? "filters.hasNot" : "filters.has");
  const field = c.field === "header" ? (c.header ?? "") : t(`filters.${c.field}`);
  return `${field} ${t(`filters.${textOp(c.match, c.not)}`)} “${c.value}”`;
}

export function describeAction(a: RuleAction, t: TFunction, folderName: (id: string) => string): string {
  switch (a.type) {
    case "move":
      return `${t("filters.move")}: ${folderName(a.folder)}`;
    case "copy":
      return `${t("filters.copy")}: ${folderName(a.folder)}`;
    case "forward":
      return `${t("filters.forward")} ${a.address}`;
    case "reject":
      return t("filters.reject");
    default:
      return t(`filters.${a.type}`);
  }
}

export function describeRule(rule: Rule, t: TFunction, folderName: (id: string) => string): string {
  const conditions = rule.conditions
    .map((c) => describeCondition(c, t))
    .join(t(rule.match === "all" ? "filters.and" : "filters.or"));
  return `${t("filters.summaryWhen", { conditions })} → ${rule.actions.map((a) => describeAction(a, t, folderName)).join(", ")}`;
}

export function newRuleId(): string {
  return `r-${randomId().slice(0, 8)}`;
}

/** An empty rule for the editor: one condition on the subject, nothing chosen yet. */
export function blankRule(): Rule {
  return {
    id: newRuleId(),
    name: "",
    enabled: true,
    match: "all",
    conditions: [{ kind: "text", field: "subject", match: "contains", not: false, value: "" }],
    actions: [],
  };
}

/** "Create rule from message": the sender's address, and its subject. */
export function ruleFromMessage(from: string | null, subject: string | null): Rule {
  const conditions: Rule["conditions"] = [];
  if (from) conditions.push({ kind: "text", field: "from", match: "contains", not: false, value: from });
  if (subject)
    conditions.push({ kind: "text", field: "subject", match: "contains", not: false, value: subject });
  return { ...blankRule(), conditions: conditions.length > 0 ? conditions : blankRule().conditions };
}

/** Sieve extensions by their names (the server's and the RFCs'), each in the language's quotes. */
export function extensionList(extensions: readonly string[], t: TFunction): string {
  return extensions.map((name) => t("filters.quoted", { text: name })).join(", ");
}
