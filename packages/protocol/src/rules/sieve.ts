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
import { MailError } from "../errors";
import {
  parseSieve,
  quoteSieve,
  quoteSieveList,
  SieveSyntaxError,
  type SieveArgument,
  type SieveCommand,
  type SieveTest,
} from "./sieve-syntax";
import { isDefaultVacation, scriptNeeds, sieveNeeds } from "./sieve-needs";

/**
 * Rules to a Sieve script (RFC 5228) and back.
 *
 * The script Pismo writes starts with `PISMO_SCRIPT_HEADER`; each rule is one `if` preceded by
 * a `# rule [id] name` comment, the out-of-office reply one `if` preceded by `# vacation`. A
 * disabled rule keeps its conditions behind `allof (false, ...)`, so it comes back as it was.
 * When a rule refuses mail, an `if`/`elsif` chain preceded by `# refusal` comes first: whether
 * the run will refuse the message, decided once (compileRefusal), for the reply and the rules
 * that file or forward to read. The script is at most MAX_SCRIPT_BYTES, counted as it is built.
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

/** Each condition and action is written with the extensions sieveNeeds gives its kind, which the
 * script `require`s (scriptNeeds); sieve-needs.test.ts holds the two to each other. */
function compileCondition(condition: RuleCondition): string {
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
      const test = 'header :mime :anychild :contains "Content-Disposition" "attachment"';
      return condition.not ? `not ${test}` : test;
    }
  }
}

function compileAction(action: RuleAction): string {
  switch (action.type) {
    case "markRead":
      return 'addflag "\\\\Seen";';
    case "flag":
      return 'addflag "\\\\Flagged";';
    case "move":
      return `fileinto ${quoteSieve(action.folder)};`;
    case "copy":
      return `fileinto :copy ${quoteSieve(action.folder)};`;
    case "forward":
      return `redirect :copy ${quoteSieve(action.address)};`;
    case "discard":
      return "discard;";
    case "reject":
      return `reject ${quoteSieve(action.message)};`;
    case "stop":
      return "stop;";
  }
}

function ruleTest(rule: Rule): string {
  const tests = rule.conditions.map(compileCondition);
  return `${rule.match === "all" ? "allof" : "anyof"} (${tests.join(", ")})`;
}

/**
 * The script's shape: `current`; `v2` as Pismo wrote it before, each rule that files or forwards
 * repeating the tests of the refusing rules after it (and they those of the rules with `stop`
 * before them: a script that grew with the cube of the rules); `v1` before refusals were
 * guarded at all. The older two are only written to compare a script read back with them.
 */
type Form = "current" | "v2" | "v1";

/**
 * Pigeonhole's default `sieve_max_script_size` (1M): the server refuses a larger script anyway,
 * and building one is work (and memory) on the gateway that nobody asked for.
 */
export const MAX_SCRIPT_BYTES = 1024 * 1024;

/** More text than allowed: counted as the script is built, so a large one is never built. */
class TooLarge extends Error {}

/** The length of `text` in UTF-8, as the server counts a script. */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // Two bytes below U+0800, three above; a surrogate pair (two units) four.
    if (unit >= 0x80) bytes += unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}

/** A count of the bytes written so far, against a limit. */
class Budget {
  #left: number;
  constructor(limit: number) {
    this.#left = limit;
  }
  spend(text: string): string {
    this.#left -= utf8Length(text);
    if (this.#left < 0) throw new TooLarge();
    return text;
  }
}

const refuses = (rule: Rule): boolean => rule.actions.some((a) => a.type === "reject");
const stops = (rule: Rule): boolean => rule.actions.some((a) => a.type === "stop");
/** RFC 5429 section 2.1: the actions a reject cannot be combined with (Pigeonhole fails the
 * script at run time, "reject action conflicts with other action"). Flags and discard can. */
const delivers = (rule: Rule): boolean =>
  rule.actions.some((a) => a.type === "move" || a.type === "copy" || a.type === "forward");

/**
 * The keyword the script marks a message with that it will refuse, in the run's own list of
 * flags (RFC 5232 section 3, the internal variable; `hasflag` reads it). It never reaches a
 * mailbox: a refused message is filed nowhere, and a rule that would file it does not run.
 */
const REFUSED_FLAG = "$PismoRefused";
const NOT_REFUSED = `not hasflag ${quoteSieve(REFUSED_FLAG)}`;

/**
 * Form `current`: whether the run will refuse the message, decided once before the rules. The
 * rules' tests only read the message, which no rule changes, so the run ends at the first
 * enabled rule with `stop` or a refusal that matches (a refusal ends it too, see compileRule):
 * the message is refused when that rule refuses. One `if`/`elsif` branch per such rule, up to
 * the last refusing one; each rule's test written once more, not once per later rule.
 */
function compileRefusal(rules: readonly Rule[], c: Compiling): string {
  const branches = rules
    .slice(0, c.lastRefusal + 1)
    .filter((r) => r.enabled && (refuses(r) || stops(r)))
    .map(
      (r) => `if ${ruleTest(r)} {\n${refuses(r) ? `${INDENT}addflag ${quoteSieve(REFUSED_FLAG)};\n` : ""}}`,
    );
  return `# refusal\n${branches.join(" els")}\n`;
}

/**
 * Form `v2`'s tests of which any holds when a message reaching `rules[from]` will be refused: an
 * enabled refusing rule from there on matches it, and no enabled rule with `stop` between them
 * does. `budget` bounds the text built: each refusal is written into the script.
 */
function refusedFrom(rules: readonly Rule[], from: number, c: Compiling): string[] {
  const refusals: string[] = [];
  const stoppers: string[] = [];
  // Only the rules that refuse or stop, up to the last refusal: the others' tests are not
  // written here, and building them for every filing rule made reading a long script back slow.
  for (const rule of rules.slice(from, c.lastRefusal + 1)) {
    if (!rule.enabled) continue;
    if (refuses(rule)) {
      const test = ruleTest(rule);
      refusals.push(
        c.guards.spend(stoppers.length > 0 ? `allof (${test}, not anyof (${stoppers.join(", ")}))` : test),
      );
    } else if (stops(rule)) stoppers.push(ruleTest(rule));
  }
  return refusals;
}

interface Compiling {
  form: Form;
  /** The index of the last enabled rule that refuses, or -1. */
  lastRefusal: number;
  /** Form `v2`'s refusals, counted as they are built (see refusedFrom). */
  guards: Budget;
}

function compileRule(rules: readonly Rule[], index: number, c: Compiling): string {
  const rule = rules[index]!;
  const joined = ruleTest(rule);
  let test = rule.enabled ? joined : `allof (false, ${joined})`;
  const actions = rule.actions.map(compileAction);
  if (c.form !== "v1" && rule.enabled) {
    // A refused message can be nothing else: a later rule filing, forwarding or refusing it
    // again would fail the whole script for it (RFC 5429 section 2.1), so refusing ends the run.
    if (refuses(rule) && !stops(rule)) actions.push("stop;");
    // Nor can an earlier rule without `stop` have filed or forwarded it: such a rule does not act
    // on a message a later rule refuses. The refusal wins, as it would in the rules' order.
    if (delivers(rule) && !stops(rule)) {
      if (c.form === "v2") {
        const refused = refusedFrom(rules, index + 1, c);
        if (refused.length > 0) test = `allof (${joined}, not anyof (${refused.join(", ")}))`;
      } else if (index < c.lastRefusal) {
        // Reached, the run has passed every rule that could end it earlier: it will refuse the
        // message exactly when compileRefusal marked it.
        test = `allof (${joined}, ${NOT_REFUSED})`;
      }
    }
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
function compileVacation(v: Vacation, rules: readonly Rule[], c: Compiling): string {
  const guards = [v.enabled ? "true" : "false"];
  let refused: string | null = null;
  if (c.form === "current") {
    if (c.lastRefusal >= 0) refused = NOT_REFUSED;
  } else {
    const tests =
      c.form === "v1" ? rules.filter((r) => r.enabled && refuses(r)).map(ruleTest) : refusedFrom(rules, 0, c);
    if (tests.length > 0) refused = `not anyof (${tests.join(", ")})`;
  }
  // RFC 5260 section 5: currentdate compares today's "date" part (YYYY-MM-DD) as text.
  if (v.firstDay !== null) guards.push(`currentdate :value "ge" "date" ${quoteSieve(v.firstDay)}`);
  if (v.lastDay !== null) guards.push(`currentdate :value "le" "date" ${quoteSieve(v.lastDay)}`);
  if (refused !== null) guards.push(refused);
  const tags = [`:days ${v.days}`];
  if (v.subject !== "") tags.push(`:subject ${quoteSieve(v.subject)}`);
  if (v.addresses.length > 0) tags.push(`:addresses [${v.addresses.map(quoteSieve).join(", ")}]`);
  return `# vacation\nif allof (${guards.join(", ")}) {\n${INDENT}vacation ${tags.join(" ")} ${quoteSieve(v.message)};\n}\n`;
}

/**
 * The script for a rule set. The set is validated first (a bad rule throws a ZodError); a script
 * of more than MAX_SCRIPT_BYTES is refused (BAD_INPUT) before it is built. `imap4flags: false`:
 * the server lacks the extension the current form's refusal chain needs (RFC 5232), so the
 * form before it is written (each filing rule repeating the refusals after it), which any
 * server with `reject` runs; read back as Pismo's all the same.
 */
/** Whether a server whose SIEVE capability lists `extensions` runs RFC 5232's flags, which the
 * current form's refusal chain uses; one that names no extensions at all is taken to (Pigeonhole
 * always has it). */
export function runsImap4flags(extensions: readonly string[]): boolean {
  return extensions.length === 0 || sieveNeeds.refusal.every((e) => extensions.includes(e));
}

export function compileSieve(input: RuleSetInput, opts: { imap4flags?: boolean } = {}): string {
  try {
    return compileSet(
      ruleSetSchema.parse(input),
      opts.imap4flags === false ? "v2" : "current",
      MAX_SCRIPT_BYTES,
    );
  } catch (error) {
    if (error instanceof TooLarge)
      throw new MailError(
        "BAD_INPUT",
        "These rules make a Sieve script of more than 1 MiB, more than a server takes; fewer or shorter rules fit",
      );
    throw error;
  }
}

/** Whether the rule set's script fits MAX_SCRIPT_BYTES, in the form compileSieve writes for the
 * server (`imap4flags` as there): the page asks before it saves, so that it can say why a save
 * would be refused. */
export function fitsSieve(set: RuleSet, opts: { imap4flags?: boolean } = {}): boolean {
  try {
    compileSet(set, opts.imap4flags === false ? "v2" : "current", MAX_SCRIPT_BYTES);
    return true;
  } catch (error) {
    if (error instanceof TooLarge) return false;
    throw error;
  }
}

/** The script in `form`; throws TooLarge past `limit` bytes. */
function compileSet(set: RuleSet, form: Form, limit: number): string {
  const lastRefusal = set.rules.findLastIndex((r) => r.enabled && refuses(r));
  const c: Compiling = { form, lastRefusal, guards: new Budget(limit) };
  const budget = new Budget(limit);
  const sections: string[] = [];
  const add = (section: string) => {
    budget.spend("\n"); // the blank line before it
    sections.push(budget.spend(section));
  };
  const vacation = !isDefaultVacation(set.vacation);
  // Whether the run will refuse the message, for the reply and the rules that file or forward
  // before a refusing rule (compileRule) to read.
  const guarded = (r: Rule, i: number) => r.enabled && delivers(r) && !stops(r) && i < lastRefusal;
  const refusal = form === "current" && lastRefusal >= 0 && (vacation || set.rules.some(guarded));
  if (refusal) add(compileRefusal(set.rules, c));
  // Out of office first: a later rule's `stop` or `discard` must not silence it.
  if (vacation) add(compileVacation(set.vacation, set.rules, c));
  set.rules.forEach((_, index) => add(compileRule(set.rules, index, c)));
  const required = scriptNeeds(set, refusal);
  const head = [PISMO_SCRIPT_HEADER, HEADER_COMMENT];
  if (required.length > 0) head.push(`require [${required.map(quoteSieve).join(", ")}];`);
  return [budget.spend(`${head.join("\n")}\n`), ...sections].join("\n");
}

/**
 * Why a script is not read as Pismo's: it does not start as Pismo's do (`notPismo`), it does but
 * is not what Pismo writes (`changed`, by hand or by another client), or it is not valid Sieve
 * (`syntax`, at `line`). The UI says it in the user's language; `detail` is for logs and tests.
 */
export const foreignReasons = ["notPismo", "changed", "syntax"] as const;
export type ForeignReason = (typeof foreignReasons)[number];

export type ReadScriptResult =
  | { kind: "pismo"; rules: RuleSet }
  | { kind: "foreign"; reason: ForeignReason; line?: number; detail: string };

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

/** Whether `text` is `set` written in `form`, built no longer than `text`. */
function writtenAs(set: RuleSet, form: Form, text: string, bytes: number): boolean {
  try {
    return compileSet(set, form, bytes) === text;
  } catch (error) {
    if (error instanceof TooLarge) return false;
    throw error;
  }
}

/**
 * Reads a script back into rules when Pismo wrote it, byte for byte (in any form it has
 * written); otherwise says why not (the UI then shows the script as text).
 */
export function readSieve(script: string): ReadScriptResult {
  const text = script.replace(/\r\n/g, "\n");
  if (!text.startsWith(`${PISMO_SCRIPT_HEADER}\n`))
    return { kind: "foreign", reason: "notPismo", detail: "not written by Pismo" };
  try {
    const commands = parseSieve(text);
    let vacation: Vacation = defaultVacation;
    const rules: RuleSetInput["rules"] = [];
    // Where the decision whether the run refuses the message is (compileRefusal): 0 before it,
    // 1 in its if/elsif chain, 2 after it.
    let refusal = 0;
    let chain = false;
    commands.forEach((command, index) => {
      if (command.name === "require" && index === 0) return;
      const comment = command.comments[command.comments.length - 1] ?? "";
      // The rules' own tests written again from them: not read, but compared below.
      if (refusal === 0 && command.name === "if" && comment === " refusal") {
        refusal = 1;
        chain = true;
        return;
      }
      if (refusal === 1 && command.name === "elsif" && command.comments.length === 0) return;
      refusal = 2;
      if (command.name !== "if") fail(`unexpected command "${command.name}"`);
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
    // Only the forms the text can be: a `# refusal` chain is the current form's alone, and the
    // v2 form differs from the others only by its guards (`not anyof (`), the costly ones.
    const bytes = utf8Length(text);
    const forms: Form[] = chain
      ? ["current"]
      : text.includes("not anyof (")
        ? ["current", "v2", "v1"]
        : ["current", "v1"];
    if (!forms.some((form) => writtenAs(parsed.data, form, text, bytes))) fail("changed by hand");
    // A refusing rule's `stop` is implied (compileRule writes it): shown as the rule was made.
    const shown = parsed.data.rules.map((rule) =>
      refuses(rule) ? { ...rule, actions: rule.actions.filter((x) => x.type !== "stop") } : rule,
    );
    return { kind: "pismo", rules: { ...parsed.data, rules: shown } };
  } catch (error) {
    if (error instanceof NotPismo) return { kind: "foreign", reason: "changed", detail: error.message };
    if (error instanceof SieveSyntaxError)
      return { kind: "foreign", reason: "syntax", line: error.line, detail: error.message };
    throw error;
  }
}
