import type { TFunction } from "@/i18n/translate";
import { sieveNeeds, type Rule, type RuleActionsProblem } from "@pismo/protocol/rules";
import { extensionList } from "./rule-words";
import { lacking, type SieveExtensions, type Unsupported } from "./sieve-support";

/**
 * A save refused with words already said to the user (the section's alert): a rule editor
 * waiting for the save says the same, not a generic failure.
 */
export class RefusalInWords extends Error {
  override readonly name = "RefusalInWords";
  constructor(
    readonly words: string,
    options?: { cause?: unknown },
  ) {
    super(words, options);
  }
}

/** What the protocol's schemas report of a value they refuse (a zod issue, structurally). */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly code: string;
  readonly message: string;
  /** A custom issue's own details (the rule schema's `problem` of the actions together). */
  readonly params?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * A rule the rule schema refused, said in the user's language and in the words of the form:
 * which condition or action, and what it lacks. The schema's own messages are English and
 * name fields by their path ("conditions.0.value"), for the gateway's logs, not for people.
 */
export function ruleProblem(issue: SchemaIssue | undefined, t: TFunction): string {
  const [part, index, field] = issue?.path ?? [];
  const n = typeof index === "number" ? index + 1 : 0;
  if (part === "conditions" && index === undefined) return t("filters.problems.noCondition");
  if (part === "conditions" && field === "header") return t("filters.problems.header", { n });
  if (part === "conditions" && field === "bytes") return t("filters.problems.size", { n });
  if (part === "conditions") return t("filters.problems.conditionValue", { n });
  if (part === "actions" && index === undefined) return actionsProblem(issue, t);
  if (part === "actions" && field === "folder") return t("filters.problems.folder");
  if (part === "actions" && field === "address") return t("filters.problems.forwardAddress");
  if (part === "actions" && field === "message") return t("filters.problems.rejectMessage");
  if (part === "name") return t("filters.problems.name");
  return t("filters.problems.other");
}

/** What is wrong with a rule's actions together: none, or a pair that cannot go together. */
function actionsProblem(issue: SchemaIssue | undefined, t: TFunction): string {
  if (issue?.code === "too_small") return t("filters.problems.noAction");
  const problem = issue?.params?.["problem"] as RuleActionsProblem | undefined;
  switch (problem) {
    case "rejectAlone":
      return t("filters.problems.rejectAlone");
    case "discardAlone":
      return t("filters.problems.discardAlone");
    case "twice": {
      const action = issue?.params?.["action"];
      return t("filters.problems.actionTwice", {
        action: typeof action === "string" ? t(`filters.${action}`) : "",
      });
    }
    default:
      return t("filters.problems.other");
  }
}

/** The same for the out-of-office reply; `addresses` are the ones it was given, to name the bad one. */
export function vacationProblem(
  issue: SchemaIssue | undefined,
  addresses: readonly string[],
  t: TFunction,
): string {
  const [part, index] = issue?.path ?? [];
  if (part === "message") return t("filters.problems.vacationMessage");
  if (part === "lastDay" || part === "firstDay") return t("filters.problems.vacationDays");
  if (part === "days") return t("filters.problems.vacationInterval");
  if (part === "subject") return t("filters.problems.vacationSubject");
  if (part === "addresses" && typeof index === "number")
    return t("filters.problems.notAnAddress", { address: addresses[index] ?? "" });
  if (part === "addresses") return t("filters.problems.tooManyAddresses");
  return t("filters.problems.other");
}

/**
 * The first part of `rule` that needs a Sieve extension the server does not run, in the words
 * of the form (which condition or action, and what to do); null when none does, or when the
 * server's extensions are not known.
 */
export function unsupportedInRule(rule: Rule, extensions: SieveExtensions, t: TFunction): string | null {
  for (const [i, c] of rule.conditions.entries()) {
    const missing = lacking(extensions, sieveNeeds.condition[c.kind]);
    if (missing.length > 0)
      return t("filters.problems.conditionUnsupported", { n: i + 1, extensions: extensionList(missing, t) });
  }
  for (const a of rule.actions) {
    const missing = lacking(extensions, sieveNeeds.action[a.type]);
    if (missing.length > 0)
      return t("filters.problems.actionUnsupported", {
        action: t(`filters.${a.type}`),
        extensions: extensionList(missing, t),
      });
  }
  return null;
}

/** Why a rule set was not sent (UnsupportedBySieve's first part): which rule, or the reply. */
export function unsupportedInSet(part: Unsupported, t: TFunction): string {
  const extensions = extensionList(part.extensions, t);
  if (part.part === "vacation") return t("filters.vacationNotSaved", { extensions });
  const name = part.rule.name || t("filters.unnamed", { n: part.index + 1 });
  return t("filters.ruleNotSaved", { name, extensions });
}
