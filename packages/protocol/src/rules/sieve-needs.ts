import { defaultVacation, type Rule, type RuleActionType, type RuleCondition, type Vacation } from "./schema";

/**
 * Which Sieve extensions Pismo's rules need of a server: the one table of them. compileSieve
 * writes its `require` from it (scriptNeeds), and the page reads it to offer only what the
 * server runs (RFC 5804 section 1.7: the SIEVE capability lists the extensions), to mark a rule
 * that needs more, and to refuse a save naming the extension (the server's own refusal would
 * name only a `require`). sieve-needs.test.ts holds the table to the commands the scripts use.
 * Each list is in the order the page names them.
 */

/** The extensions Pismo's scripts may `require`, in the order `require` lists them. */
const EXTENSIONS = [
  "copy",
  "date",
  "fileinto",
  "imap4flags",
  "mime",
  "reject",
  "relational",
  "vacation",
] as const;
export type SieveExtension = (typeof EXTENSIONS)[number];

type Needs = readonly SieveExtension[];

export const sieveNeeds: {
  readonly action: Readonly<Record<RuleActionType, Needs>>;
  readonly condition: Readonly<Record<RuleCondition["kind"], Needs>>;
  /** The out-of-office reply, once it is in the script (RFC 5230). */
  readonly vacation: Needs;
  /** Its first or last day: RFC 5260's currentdate, with RFC 5231's relational `:value "ge"`. */
  readonly vacationDays: Needs;
  /** The current form's `# refusal` chain: the run's flag for a message it will refuse
   * (RFC 5232 `addflag`, `hasflag`). A server without it is sent the form before (runsImap4flags). */
  readonly refusal: Needs;
} = {
  action: {
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
  },
  condition: {
    text: [],
    size: [],
    // RFC 5703: `header :mime :anychild`.
    attachment: ["mime"],
  },
  vacation: ["vacation"],
  vacationDays: ["date", "relational"],
  refusal: ["imap4flags"],
};

const union = (lists: ReadonlyArray<readonly SieveExtension[]>): SieveExtension[] => [
  ...new Set(lists.flat()),
];

/** Whether the reply is as it was never set up: the script leaves it out. */
export function isDefaultVacation(v: Vacation): boolean {
  return JSON.stringify(v) === JSON.stringify(defaultVacation);
}

/** What a rule needs, whether or not it is on: a rule turned off is still in the script. */
export function ruleNeeds(rule: Rule): SieveExtension[] {
  return union([
    ...rule.conditions.map((c) => sieveNeeds.condition[c.kind]),
    ...rule.actions.map((a) => sieveNeeds.action[a.type]),
  ]);
}

/** What the out-of-office reply needs: nothing while the script leaves it out, and the dates'
 * extensions for a first or last day (written even while the reply is off). */
export function vacationNeeds(v: Vacation): SieveExtension[] {
  if (isDefaultVacation(v)) return [];
  return v.firstDay !== null || v.lastDay !== null
    ? [...sieveNeeds.vacation, ...sieveNeeds.vacationDays]
    : [...sieveNeeds.vacation];
}

/** What a script of these rules `require`s, in its order; `refusal`: it has the refusal chain. */
export function scriptNeeds(
  set: { readonly rules: readonly Rule[]; readonly vacation: Vacation },
  refusal: boolean,
): SieveExtension[] {
  const needed = new Set<SieveExtension>([
    ...vacationNeeds(set.vacation),
    ...set.rules.flatMap(ruleNeeds),
    ...(refusal ? sieveNeeds.refusal : []),
  ]);
  return EXTENSIONS.filter((e) => needed.has(e));
}
