import {
  defaultVacation,
  type Rule,
  type RuleActionType,
  type RuleCondition,
  type RuleSet,
  type Vacation,
} from "@pismo/protocol/rules";

/**
 * What a Sieve server runs, as the page learns it from the gateway (RFC 5804 section 1.7: the
 * SIEVE capability lists the extensions), and what Pismo's rules need of it: the extensions the
 * script compileSieve writes `require`s for each condition, action and the out-of-office reply
 * (sieve-support.test.ts holds this to the compiler). A server that named none is not known to
 * lack any: everything is offered, as runsImap4flags takes it to run imap4flags.
 */
export type SieveExtensions = ReadonlySet<string> | null;

/** The server's list as the gateway gives it; empty (not reported) is unknown: null. Lower
 * case, as Pismo's needs are written: a server that spells a name otherwise still runs it. */
export function sieveExtensions(list: readonly string[]): SieveExtensions {
  return list.length === 0 ? null : new Set(list.map((name) => name.toLowerCase()));
}

/** The extensions of `needs` the server does not run, in the order given; none when unknown. */
export function lacking(extensions: SieveExtensions, needs: readonly string[]): string[] {
  return extensions === null ? [] : needs.filter((e) => !extensions.has(e));
}

const ACTION_NEEDS: Readonly<Record<RuleActionType, readonly string[]>> = {
  // RFC 5232: addflag.
  markRead: ["imap4flags"],
  flag: ["imap4flags"],
  // RFC 5228 section 4.1: fileinto is an extension; RFC 3894: its :copy.
  move: ["fileinto"],
  copy: ["fileinto", "copy"],
  // A forward keeps the message: `redirect :copy` (RFC 3894).
  forward: ["copy"],
  discard: [],
  // RFC 5429.
  reject: ["reject"],
  stop: [],
};

const CONDITION_NEEDS: Readonly<Record<RuleCondition["kind"], readonly string[]>> = {
  text: [],
  size: [],
  // RFC 5703: `header :mime :anychild`.
  attachment: ["mime"],
};

export function actionNeeds(type: RuleActionType): readonly string[] {
  return ACTION_NEEDS[type];
}

export function conditionNeeds(kind: RuleCondition["kind"]): readonly string[] {
  return CONDITION_NEEDS[kind];
}

const union = (lists: ReadonlyArray<readonly string[]>): string[] => [...new Set(lists.flat())];

/** What a rule needs, whether or not it is on: a rule turned off is still in the script. */
export function ruleNeeds(rule: Rule): string[] {
  return union([
    ...rule.conditions.map((c) => CONDITION_NEEDS[c.kind]),
    ...rule.actions.map((a) => ACTION_NEEDS[a.type]),
  ]);
}

/**
 * What the out-of-office reply needs: nothing while it is as it was never set up (the script
 * leaves it out), RFC 5230's vacation otherwise, and RFC 5260's currentdate (with RFC 5231's
 * relational `:value "ge"`) for a first or last day.
 */
export function vacationNeeds(v: Vacation): string[] {
  if (JSON.stringify(v) === JSON.stringify(defaultVacation)) return [];
  return v.firstDay !== null || v.lastDay !== null ? ["vacation", "date", "relational"] : ["vacation"];
}

/** A part of a rule set that needs what the server does not run, and which extensions. */
export type Unsupported =
  | { part: "rule"; rule: Rule; index: number; extensions: string[] }
  | { part: "vacation"; extensions: string[] };

/** The parts of `set` the server would refuse for an extension it does not run, in order. */
export function unsupportedIn(set: RuleSet, extensions: SieveExtensions): Unsupported[] {
  const found: Unsupported[] = [];
  const reply = lacking(extensions, vacationNeeds(set.vacation));
  if (reply.length > 0) found.push({ part: "vacation", extensions: reply });
  set.rules.forEach((rule, index) => {
    const missing = lacking(extensions, ruleNeeds(rule));
    if (missing.length > 0) found.push({ part: "rule", rule, index, extensions: missing });
  });
  return found;
}

/**
 * A save not sent: the rule set needs an extension the server does not run, and the server would
 * refuse the whole script (its CHECKSCRIPT or PUTSCRIPT) in words that name a `require`, not
 * the rule. `parts` says which, for the page to say so first.
 */
export class UnsupportedBySieve extends Error {
  override readonly name = "UnsupportedBySieve";
  constructor(readonly parts: readonly Unsupported[]) {
    super(`The server does not run the Sieve extensions ${union(parts.map((p) => p.extensions)).join(", ")}`);
  }
}
