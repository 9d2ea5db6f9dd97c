import {
  defaultVacation,
  ruleSetSchema,
  type Rule,
  type RuleAction,
  type RuleCondition,
  type RuleSet,
  type RuleSetInput,
  type Vacation,
} from "./schema";
import {
  parseSieve,
  quoteSieve,
  quoteSieveList,
  SieveSyntaxError,
  type SieveArgument,
  type SieveCommand,
  type SieveTest,
} from "./sieve-syntax";

/**
 * Rules to a Sieve script (RFC 5228) and back.
 *
 * The script Pismo writes starts with `PISMO_SCRIPT_HEADER`; each rule is one `if` preceded by
 * a `# rule [id] name` comment, the out-of-office reply one `if` preceded by `# vacation`. A
 * disabled rule keeps its conditions behind `allof (false, ...)`, so it comes back as it was.
 *
 * Reading back accepts exactly what Pismo writes: the script is parsed, turned into rules, and
 * those rules compiled again must give the same text. Anything else (a script from another
 * client, or Pismo's changed by hand) is "not written by Pismo" and is shown as text, never
 * rewritten.
 */

export const PISMO_SCRIPT_HEADER = "# Pismo rules v1";
/** The script name Pismo saves its rules under on the server. */
export const PISMO_SCRIPT_NAME = "pismo";

const HEADER_COMMENT = "# Written by Pismo. Changed by hand, it is shown in Pismo as text.";
const INDENT = "  ";

/** The extensions in the order `require` lists them. */
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
type Extension = (typeof EXTENSIONS)[number];

function fieldHeaders(condition: Extract<RuleCondition, { kind: "text" }>): string[] {
  switch (condition.field) {
    case "from":
      return ["from"];
    case "to":
      return ["to", "cc"];
    case "subject":
      return ["subject"];
    case "header":
      return [condition.header ?? ""];
  }
}

function compileCondition(condition: RuleCondition, need: Set<Extension>): string {
  switch (condition.kind) {
    case "text": {
      const test = `header :${condition.match} ${quoteSieveList(fieldHeaders(condition))} ${quoteSieve(condition.value)}`;
      return condition.not ? `not ${test}` : test;
    }
    case "size":
      return `size :${condition.over ? "over" : "under"} ${condition.bytes}`;
    case "attachment": {
      // RFC 5703 section 4.2: the header of any MIME part; an attachment is a part whose
      // Content-Disposition says so.
      need.add("mime");
      const test = 'header :mime :anychild :contains "Content-Disposition" "attachment"';
      return condition.not ? `not ${test}` : test;
    }
  }
}

function compileAction(action: RuleAction, need: Set<Extension>): string {
  switch (action.type) {
    case "markRead":
      need.add("imap4flags");
      return 'addflag "\\\\Seen";';
    case "flag":
      need.add("imap4flags");
      return 'addflag "\\\\Flagged";';
    case "move":
      need.add("fileinto");
      return `fileinto ${quoteSieve(action.folder)};`;
    case "copy":
      need.add("fileinto");
      need.add("copy");
      return `fileinto :copy ${quoteSieve(action.folder)};`;
    case "forward":
      need.add("copy");
      return `redirect :copy ${quoteSieve(action.address)};`;
    case "discard":
      return "discard;";
    case "reject":
      need.add("reject");
      return `reject ${quoteSieve(action.message)};`;
    case "stop":
      return "stop;";
  }
}

function ruleTest(rule: Rule, need: Set<Extension>): string {
  const tests = rule.conditions.map((c) => compileCondition(c, need));
  return `${rule.match === "all" ? "allof" : "anyof"} (${tests.join(", ")})`;
}

/** The script's shape: `current`, or `v1` as Pismo wrote it before refusals were guarded. */
type Form = "current" | "v1";

const refuses = (rule: Rule): boolean => rule.actions.some((a) => a.type === "reject");
const stops = (rule: Rule): boolean => rule.actions.some((a) => a.type === "stop");
/** RFC 5429 section 2.1: the actions a reject cannot be combined with (Pigeonhole fails the
 * script at run time, "reject action conflicts with other action"). Flags and discard can. */
const delivers = (rule: Rule): boolean =>
  rule.actions.some((a) => a.type === "move" || a.type === "copy" || a.type === "forward");

/**
 * Tests of which any holds when a message reaching `rules[from]` will be refused: an enabled
 * refusing rule from there on matches it, and no enabled rule with `stop` between them does
 * (that one ends the run first; a refusing rule ends it too, see compileRule).
 */
function refusedFrom(rules: readonly Rule[], from: number, need: Set<Extension>): string[] {
  const refusals: string[] = [];
  const stoppers: string[] = [];
  for (const rule of rules.slice(from)) {
    if (!rule.enabled) continue;
    const test = ruleTest(rule, need);
    if (refuses(rule))
      refusals.push(stoppers.length > 0 ? `allof (${test}, not anyof (${stoppers.join(", ")}))` : test);
    else if (stops(rule)) stoppers.push(test);
  }
  return refusals;
}

function compileRule(rules: readonly Rule[], index: number, need: Set<Extension>, form: Form): string {
  const rule = rules[index]!;
  const joined = ruleTest(rule, need);
  let test = rule.enabled ? joined : `allof (false, ${joined})`;
  const actions = rule.actions.map((a) => compileAction(a, need));
  if (form === "current" && rule.enabled) {
    // A refused message can be nothing else: a later rule filing, forwarding or refusing it
    // again would fail the whole script for it (RFC 5429 section 2.1), so refusing ends the run.
    if (refuses(rule) && !stops(rule)) actions.push("stop;");
    // Nor can an earlier rule without `stop` have filed or forwarded it: such a rule does not act
    // on a message a later rule refuses. The refusal wins, as it would in the rules' order.
    const refused = delivers(rule) && !stops(rule) ? refusedFrom(rules, index + 1, need) : [];
    if (refused.length > 0) test = `allof (${joined}, not anyof (${refused.join(", ")}))`;
  }
  const body = actions.map((a) => `${INDENT}${a}\n`).join("");
  return `# rule [${rule.id}] ${rule.name}\nif ${test} {\n${body}}\n`;
}

/**
 * The out-of-office reply. RFC 5429 section 2.1: a reject cannot be combined with an action that
 * sends a response, and Pigeonhole then fails the whole script for that message (it is kept in
 * the Inbox, neither refused nor answered, and no other rule acts on it). So the reply is not
 * sent to a message a rule will refuse: one the run reaches, not one an earlier rule with
 * `stop` has already taken (form v1 left out every message a refusing rule matched).
 */
function compileVacation(v: Vacation, rules: readonly Rule[], need: Set<Extension>, form: Form): string {
  need.add("vacation");
  const guards = [v.enabled ? "true" : "false"];
  const refused =
    form === "v1"
      ? rules.filter((r) => r.enabled && refuses(r)).map((r) => ruleTest(r, need))
      : refusedFrom(rules, 0, need);
  if (v.firstDay !== null || v.lastDay !== null) {
    need.add("date");
    need.add("relational");
  }
  // RFC 5260 section 5: currentdate compares today's "date" part (YYYY-MM-DD) as text.
  if (v.firstDay !== null) guards.push(`currentdate :value "ge" "date" ${quoteSieve(v.firstDay)}`);
  if (v.lastDay !== null) guards.push(`currentdate :value "le" "date" ${quoteSieve(v.lastDay)}`);
  if (refused.length > 0) guards.push(`not anyof (${refused.join(", ")})`);
  const tags = [`:days ${v.days}`];
  if (v.subject !== "") tags.push(`:subject ${quoteSieve(v.subject)}`);
  if (v.addresses.length > 0) tags.push(`:addresses [${v.addresses.map(quoteSieve).join(", ")}]`);
  return `# vacation\nif allof (${guards.join(", ")}) {\n${INDENT}vacation ${tags.join(" ")} ${quoteSieve(v.message)};\n}\n`;
}

function isDefaultVacation(v: Vacation): boolean {
  return JSON.stringify(v) === JSON.stringify(defaultVacation);
}

/** The script for a rule set. The set is validated first (a bad rule throws a ZodError). */
export function compileSieve(input: RuleSetInput): string {
  return compileSet(ruleSetSchema.parse(input), "current");
}

function compileSet(set: RuleSet, form: Form): string {
  const need = new Set<Extension>();
  const sections: string[] = [];
  // Out of office first: a later rule's `stop` or `discard` must not silence it.
  if (!isDefaultVacation(set.vacation)) sections.push(compileVacation(set.vacation, set.rules, need, form));
  set.rules.forEach((_, index) => sections.push(compileRule(set.rules, index, need, form)));
  const required = EXTENSIONS.filter((e) => need.has(e));
  const head = [PISMO_SCRIPT_HEADER, HEADER_COMMENT];
  if (required.length > 0) head.push(`require [${required.map(quoteSieve).join(", ")}];`);
  return [`${head.join("\n")}\n`, ...sections].join("\n");
}

export type ReadScriptResult = { kind: "pismo"; rules: RuleSet } | { kind: "foreign"; reason: string };

class NotPismo extends Error {}

function fail(reason: string): never {
  throw new NotPismo(reason);
}

function stringArg(arg: SieveArgument | undefined): string {
  if (arg?.kind === "string") return arg.value;
  return fail("expected a string");
}

function stringsArg(arg: SieveArgument | undefined): string[] {
  if (arg?.kind === "string") return [arg.value];
  if (arg?.kind === "strings") return arg.values;
  return fail("expected a string list");
}

function tagName(arg: SieveArgument | undefined): string | null {
  return arg?.kind === "tag" ? arg.name : null;
}

function readCondition(test: SieveTest): RuleCondition {
  let not = false;
  if (test.name === "not") {
    if (test.tests.length !== 1) fail("not takes one test");
    not = true;
    test = test.tests[0]!;
  }
  if (test.name === "size" && !not) {
    const over = tagName(test.args[0]);
    const bytes = test.args[1];
    if ((over !== "over" && over !== "under") || bytes?.kind !== "number") fail("unexpected size test");
    return { kind: "size", over: over === "over", bytes: bytes.value };
  }
  if (test.name !== "header") fail(`unexpected test "${test.name}"`);
  if (tagName(test.args[0]) === "mime") return { kind: "attachment", not };
  const match = tagName(test.args[0]);
  if (match !== "contains" && match !== "is" && match !== "matches") fail("unexpected match type");
  const header = stringsArg(test.args[1]);
  const value = stringArg(test.args[2]);
  // Exactly as fieldHeaders writes them: a rule on the header "From" (so spelled) is a header
  // condition, and reads back as one, so that the script recompiles to itself.
  const key = header.join(",");
  if (key === "from" || key === "subject") return { kind: "text", field: key, match, not, value };
  if (key === "to,cc") return { kind: "text", field: "to", match, not, value };
  if (header.length !== 1) fail("unexpected header list");
  return { kind: "text", field: "header", header: header[0]!, match, not, value };
}

function readAction(command: SieveCommand): RuleAction {
  const [a0, a1] = command.args;
  switch (command.name) {
    case "addflag": {
      const flag = stringArg(a0);
      if (flag === "\\Seen") return { type: "markRead" };
      if (flag === "\\Flagged") return { type: "flag" };
      return fail("unexpected flag");
    }
    case "fileinto":
      return tagName(a0) === "copy"
        ? { type: "copy", folder: stringArg(a1) }
        : { type: "move", folder: stringArg(a0) };
    case "redirect":
      return { type: "forward", address: stringArg(a1) };
    case "discard":
      return { type: "discard" };
    case "reject":
      return { type: "reject", message: stringArg(a0) };
    case "stop":
      return { type: "stop" };
    default:
      return fail(`unexpected command "${command.name}"`);
  }
}

function readRule(command: SieveCommand, id: string, name: string): Rule | RuleSetInput["rules"][number] {
  let test = command.tests[0];
  if (command.tests.length !== 1 || test === undefined) fail("if takes one test");
  let enabled = true;
  if (test.name === "allof" && test.tests[0]?.name === "false" && test.tests.length === 2) {
    enabled = false;
    test = test.tests[1]!;
  }
  // The guard against the rules after it that refuse the message is theirs, written again from
  // them (compileRule). A rule's own test is allof or anyof, never one of its conditions.
  const [own, guard] = test.tests;
  if (
    test.name === "allof" &&
    test.tests.length === 2 &&
    (own?.name === "allof" || own?.name === "anyof") &&
    guard?.name === "not"
  )
    test = own;
  if (test.name !== "allof" && test.name !== "anyof") fail("a rule's test is allof or anyof");
  return {
    id,
    name,
    enabled,
    match: test.name === "allof" ? "all" : "any",
    conditions: test.tests.map(readCondition),
    actions: (command.block ?? []).map(readAction),
  };
}

function readVacation(command: SieveCommand): Vacation {
  const test = command.tests[0];
  if (test?.name !== "allof") fail("unexpected vacation guard");
  const [first, ...dates] = test.tests;
  if (first?.name !== "true" && first?.name !== "false") fail("unexpected vacation guard");
  let firstDay: string | null = null;
  let lastDay: string | null = null;
  for (const date of dates) {
    // The guard against the rules that refuse mail is theirs, written again from them.
    if (date === dates.at(-1) && date.name === "not") continue;
    if (date.name !== "currentdate") fail("unexpected vacation guard");
    const relation = stringArg(date.args[1]);
    const day = stringArg(date.args[3]);
    if (relation === "ge") firstDay = day;
    else if (relation === "le") lastDay = day;
    else fail("unexpected date relation");
  }
  const action = command.block?.[0];
  if (command.block?.length !== 1 || action?.name !== "vacation") fail("unexpected vacation body");
  let days = defaultVacation.days;
  let subject = "";
  let addresses: string[] = [];
  const args = action.args;
  let i = 0;
  for (; i < args.length - 1; i++) {
    const tag = tagName(args[i]);
    const value = args[i + 1];
    if (tag === "days" && value?.kind === "number") days = value.value;
    else if (tag === "subject") subject = stringArg(value);
    else if (tag === "addresses") addresses = stringsArg(value);
    else fail("unexpected vacation argument");
    i++;
  }
  return {
    enabled: first.name === "true",
    subject,
    message: stringArg(args[args.length - 1]),
    firstDay,
    lastDay,
    addresses,
    days,
  };
}

const RULE_COMMENT = /^ rule \[([A-Za-z0-9_-]+)\] (.*)$/;

/**
 * Reads a script back into rules when Pismo wrote it, byte for byte; otherwise says why not
 * (the UI then shows the script as text).
 */
export function readSieve(script: string): ReadScriptResult {
  const text = script.replace(/\r\n/g, "\n");
  if (!text.startsWith(`${PISMO_SCRIPT_HEADER}\n`))
    return { kind: "foreign", reason: "not written by Pismo" };
  try {
    const commands = parseSieve(text);
    let vacation: Vacation = defaultVacation;
    const rules: RuleSetInput["rules"] = [];
    commands.forEach((command, index) => {
      if (command.name === "require" && index === 0) return;
      if (command.name !== "if") fail(`unexpected command "${command.name}"`);
      const comment = command.comments[command.comments.length - 1] ?? "";
      if (comment === " vacation" && rules.length === 0) {
        vacation = readVacation(command);
        return;
      }
      const m = RULE_COMMENT.exec(comment);
      if (!m) fail("a rule without its comment");
      rules.push(readRule(command, m[1]!, m[2]!));
    });
    const parsed = ruleSetSchema.safeParse({ rules, vacation });
    if (!parsed.success) fail("the rules in it are not valid");
    // Written as Pismo writes it now, or as it wrote it before (read as Pismo's, saved anew).
    if (compileSet(parsed.data, "current") !== text && compileSet(parsed.data, "v1") !== text)
      fail("changed by hand");
    // A refusing rule's `stop` is implied (compileRule writes it): shown as the rule was made.
    const shown = parsed.data.rules.map((rule) =>
      refuses(rule) ? { ...rule, actions: rule.actions.filter((x) => x.type !== "stop") } : rule,
    );
    return { kind: "pismo", rules: { ...parsed.data, rules: shown } };
  } catch (error) {
    if (error instanceof NotPismo) return { kind: "foreign", reason: error.message };
    if (error instanceof SieveSyntaxError) return { kind: "foreign", reason: error.message };
    throw error;
  }
}
