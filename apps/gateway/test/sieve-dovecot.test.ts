import net from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { startMailServer, type MailServer } from "@pismo/mail-harness";
import { isMailError } from "@pismo/protocol/errors";
import {
  compileSieve,
  conditionHolds,
  defaultVacation,
  headerValues,
  PISMO_SCRIPT_NAME,
  ruleSchema,
  runRules,
  type RuleAction,
  type RuleCondition,
  type RuleInput,
  type RuleMessage,
  type RuleSetInput,
} from "@pismo/protocol/rules";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SieveClient } from "../src/sieve/client";
import { SieveRules } from "../src/sieve/sieve-rules";
import { submitRaw } from "../src/smtp/send-mail";

// The real Pigeonhole (dovecot-sieve, dovecot-managesieved) behind the harness's Postfix: mail
// arrives over SMTP and LMTP, and Sieve runs on delivery with no client connected.

const ALICE = { name: "alice@pismo.test", password: "alice-pw" };
const BOB = { name: "bob@pismo.test", password: "bob-pw" };
const CAROL = { name: "carol@pismo.test", password: "carol-pw" };
const DAVE = { name: "dave@pismo.test", password: "dave-pw" };
const ERIN = { name: "erin@pismo.test", password: "erin-pw" };
const FRANK = { name: "frank@pismo.test", password: "frank-pw" };
const GINA = { name: "gina@pismo.test", password: "gina-pw" };
const HANK = { name: "hank@pismo.test", password: "hank-pw" };
const IVAN = { name: "ivan@pismo.test", password: "ivan-pw" };
const JUNE = { name: "june@pismo.test", password: "june-pw" };
const KATE = { name: "kate@pismo.test", password: "kate-pw" };

let mail: MailServer;

beforeAll(async () => {
  mail = await startMailServer({
    smtp: true,
    users: [ALICE, BOB, CAROL, DAVE, ERIN, FRANK, GINA, HANK, IVAN, JUNE, KATE],
  });
}, 60_000);
afterAll(async () => {
  await mail?.stop();
});

const connect = async (user = ALICE): Promise<SieveClient> => {
  const client = await SieveClient.connect({ host: mail.host, port: mail.sievePort, security: "none" });
  await client.authenticate(user.name, user.password);
  return client;
};

const rulesOf = (user: { name: string; password: string }) =>
  new SieveRules({
    endpoint: { host: mail.host, port: mail.sievePort, security: "none" },
    user: user.name,
    password: user.password,
    tlsVerify: false,
    applyToFolder: null,
  });

async function send(
  from: { name: string; password: string },
  to: string,
  subject: string,
  headers = "",
): Promise<Buffer> {
  const raw = Buffer.from(
    `From: <${from.name}>\r\n${headers || `To: <${to}>\r\n`}Subject: ${subject}\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@pismo.test>\r\n\r\nHello.\r\n`,
  );
  await submitRaw(
    { host: mail.host, port: mail.smtpPort!, security: "none" },
    { user: from.name, pass: from.password },
    { from: from.name, to: [to] },
    raw,
  );
  return raw;
}

/** A subject as RFC 2047 writes text beyond ASCII. */
const encoded = (text: string): string => `=?UTF-8?B?${Buffer.from(text).toString("base64")}?=`;

/**
 * Where a message marked `X-Case: <tag>` landed, waiting for delivery: its folder and flags.
 * Read from every message (a header search may go to the full-text index, which skips X-Case).
 */
async function landed(user: string, folders: string[], tag: string, ms = 15_000): Promise<string[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found: string[] = [];
    for (const folder of folders) {
      const out = await mail
        .doveadm(["-f", "tab", "fetch", "-u", user, "hdr.x-case flags", "mailbox", folder, "all"])
        .catch(() => "");
      for (const [header, flags] of out
        .split("\n")
        .slice(1)
        .map((line) => line.split("\t")))
        if (header?.trim() === tag)
          found.push(
            [folder, ...(flags ?? "").split(" ").filter((f) => f !== "" && f !== "\\Recent")].join(" "),
          );
    }
    if (found.length > 0 || Date.now() > deadline) return found.sort();
    await delay(100);
  }
}

/** Messages in a user's folder whose subject contains `text`, waiting for delivery. */
const waitFor = (user: string, folder: string, text: string, count = 1, ms = 15_000) =>
  mail.countWithSubject(user, folder, text, { atLeast: count, ms });

describe("ManageSieve client against Pigeonhole", () => {
  it("signs in, lists, stores byte-exact, checks, activates and measures", async () => {
    const client = await connect(CAROL);
    expect(client.extensions).toEqual(expect.arrayContaining(["fileinto", "vacation", "imap4flags", "mime"]));
    expect(await client.listScripts()).toEqual([]);
    const script = `# Ručno, "citat" \\ i tab\t\r\nif header :contains "subject" "Ђорђе \\"x\\"" {\r\n  discard;\r\n}\r\n`;
    expect(await client.putScript("ručni", script)).toBeNull();
    expect(await client.getScript("ručni")).toBe(script);
    await client.setActive("ručni");
    expect(await client.listScripts()).toEqual([{ name: "ručni", active: true }]);
    expect(await client.haveSpace("x", 100)).toBe(true);
    const broken = await client.checkScript("if true { nope; }").catch((e: unknown) => e);
    expect(isMailError(broken) && broken.code).toBe("BAD_INPUT");
    expect((broken as { serverText: string }).serverText).toMatch(/line 1/);
    const missing = await client.getScript("missing").catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: "NOT_FOUND", respCode: "NONEXISTENT" });
    // The session is still usable after a NO.
    expect((await client.listScripts()).length).toBe(1);
    await client.logout();
    expect(client.closed).toBe(true);
  });

  it("refuses a wrong password with AUTH_FAILED and ends the session", async () => {
    const client = await SieveClient.connect({ host: mail.host, port: mail.sievePort, security: "none" });
    const error = await client.authenticate(ALICE.name, "wrong").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "AUTH_FAILED", command: "AUTHENTICATE" });
    expect(client.closed).toBe(true);
  });

  it("refuses STARTTLS where the server offers none, before the password goes out", async () => {
    const error = await SieveClient.connect({
      host: mail.host,
      port: mail.sievePort,
      security: "starttls",
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "TLS_FAILED" });
  });
});

describe("rules on the server", () => {
  const invoice: RuleSetInput = {
    rules: [
      {
        id: "inv",
        name: "Invoices",
        enabled: true,
        match: "all",
        conditions: [{ kind: "text", field: "subject", match: "contains", not: false, value: "[INVOICE]" }],
        actions: [{ type: "move", folder: "Računi/2026" }],
      },
    ],
    vacation: defaultVacation,
  };

  it("files mail delivered over SMTP into the rule's folder, with nobody signed in", async () => {
    await mail.createFolder(ALICE.name, "Računi/2026");
    const rules = rulesOf(ALICE);
    expect(await rules.read()).toMatchObject({ kind: "pismo", set: { rules: [] } });
    expect(await rules.save(invoice as never, { replaceForeign: false })).toMatchObject({
      ok: true,
      message: "",
    });
    const client = await connect();
    expect(await client.listScripts()).toEqual([{ name: PISMO_SCRIPT_NAME, active: true }]);
    expect(await client.getScript(PISMO_SCRIPT_NAME)).toBe(compileSieve(invoice));
    await client.logout();
    await send(BOB, ALICE.name, "[INVOICE] 2026-0042");
    await send(BOB, ALICE.name, "Just hello");
    expect(await waitFor(ALICE.name, "Računi/2026", "[INVOICE]")).toBe(1);
    expect(await waitFor(ALICE.name, "INBOX", "Just hello")).toBe(1);
    expect(await waitFor(ALICE.name, "INBOX", "[INVOICE]", 0)).toBe(0);
    expect(await rules.read()).toMatchObject({ kind: "pismo", set: { rules: [{ id: "inv" }] } });
  });

  it("answers bob once while out of office, however often he writes", async () => {
    const rules = rulesOf(ALICE);
    await rules.save(
      {
        rules: [],
        vacation: {
          ...defaultVacation,
          enabled: true,
          subject: "Odsutna",
          message: "Back on Monday.\nAlice",
          days: 1,
        },
      } as never,
      { replaceForeign: false },
    );
    await send(BOB, ALICE.name, "Are you there? 1");
    await send(BOB, ALICE.name, "Are you there? 2");
    expect(await waitFor(ALICE.name, "INBOX", "Are you there", 2)).toBe(2);
    expect(await waitFor(BOB.name, "INBOX", "Odsutna")).toBe(1);
    // Give a second reply every chance to arrive before counting again.
    await delay(2000);
    expect(await waitFor(BOB.name, "INBOX", "Odsutna", 2, 0)).toBe(1);
  }, 30_000);

  // RFC 5429: reject and vacation cannot both act on one message; Pigeonhole then failed the
  // script for it, so while out of office a refusing rule kept the mail in the Inbox instead.
  it("refuses what a rule refuses while out of office, and answers the rest", async () => {
    await rulesOf(ERIN).save(
      {
        rules: [
          {
            id: "nospam",
            name: "No spam",
            enabled: true,
            match: "all",
            conditions: [{ kind: "text", field: "subject", match: "contains", not: false, value: "[SPAM]" }],
            actions: [{ type: "reject", message: "Not wanted here." }],
          },
        ],
        vacation: { ...defaultVacation, enabled: true, subject: "Na odmoru", message: "Back soon." },
      } as never,
      { replaceForeign: false },
    );
    await send(BOB, ERIN.name, "[SPAM] buy now");
    await send(BOB, ERIN.name, "Ručak sutra?");
    expect(await waitFor(ERIN.name, "INBOX", "Ručak")).toBe(1);
    expect(await waitFor(BOB.name, "INBOX", "Na odmoru")).toBe(1);
    // The refused one is not kept; give it every chance to arrive before looking.
    await delay(1500);
    expect(await waitFor(ERIN.name, "INBOX", "SPAM", 1, 0)).toBe(0);
  }, 30_000);

  const onSubject = (id: string, text: string, actions: RuleAction[]): RuleInput => ({
    id,
    name: id,
    enabled: true,
    match: "all",
    conditions: [{ kind: "text", field: "subject", match: "contains", not: false, value: text }],
    actions,
  });

  // The guard once left out every message a refusing rule matched, also one an earlier rule
  // with stop had filed, which the refusing rule never reaches: no reply where one was due.
  it("answers out of office a message an earlier rule with stop filed, which a later rule would refuse", async () => {
    await mail.createFolder(FRANK.name, "Boss");
    await rulesOf(FRANK).save(
      {
        rules: [
          onSubject("boss", "[BOSS]", [{ type: "move", folder: "Boss" }, { type: "stop" }]),
          onSubject("offers", "offer", [{ type: "reject", message: "No offers, thanks." }]),
        ],
        vacation: { ...defaultVacation, enabled: true, subject: "Frank away", message: "Back soon." },
      } as never,
      { replaceForeign: false },
    );
    await send(BOB, FRANK.name, "[BOSS] the offer we discussed");
    await send(GINA, FRANK.name, "A special offer");
    expect(await waitFor(FRANK.name, "Boss", "[BOSS]")).toBe(1);
    expect(await waitFor(BOB.name, "INBOX", "Frank away")).toBe(1);
    // The refused one is refused and not answered; give a reply every chance to arrive.
    expect(await waitFor(GINA.name, "INBOX", "special offer")).toBe(1);
    await delay(1500);
    expect(await waitFor(GINA.name, "INBOX", "Frank away", 1, 0)).toBe(0);
    expect(await waitFor(FRANK.name, "INBOX", "offer", 1, 0)).toBe(0);
  }, 30_000);

  // RFC 5429 section 2.1: Pigeonhole fails the whole script for a message one rule files and
  // another refuses, in either order (it then lands in the Inbox, no rule applied).
  it("refuses a message a rule refuses, whatever rules before or after it without stop would file", async () => {
    await mail.createFolder(HANK.name, "News");
    await mail.createFolder(HANK.name, "After");
    await rulesOf(HANK).save(
      {
        rules: [
          onSubject("news", "news", [{ type: "move", folder: "News" }]),
          onSubject("spam", "spam", [{ type: "reject", message: "No spam." }]),
          onSubject("after", "spam", [{ type: "move", folder: "After" }]),
        ],
        vacation: defaultVacation,
      } as never,
      { replaceForeign: false },
    );
    await send(BOB, HANK.name, "news and spam");
    await send(GINA, HANK.name, "only spam");
    await send(BOB, HANK.name, "only news");
    expect(await waitFor(HANK.name, "News", "only news")).toBe(1);
    // Each sender is told of the refusal, quoting the message.
    expect(await waitFor(BOB.name, "INBOX", "news and spam")).toBe(1);
    expect(await waitFor(GINA.name, "INBOX", "only spam")).toBe(1);
    for (const folder of ["INBOX", "News", "After"])
      expect(await waitFor(HANK.name, folder, "spam", 1, 0), folder).toBe(0);
  }, 30_000);

  // Whether the run refuses a message is decided once, before the reply and the rules (an
  // if/elsif over the rules that end it, marking the run's own flags): a rule with stop before
  // the refusing one takes the message first, and then it is filed and answered, not refused.
  it("decides once whether a message is refused, as the rules in their order would", async () => {
    await mail.createFolder(JUNE.name, "News");
    await rulesOf(JUNE).save(
      {
        rules: [
          onSubject("news", "news", [{ type: "move", folder: "News" }]),
          onSubject("boss", "boss", [{ type: "flag" }, { type: "stop" }]),
          onSubject("spam", "spam", [{ type: "reject", message: "No spam." }]),
        ],
        vacation: { ...defaultVacation, enabled: true, subject: "June away", message: "Back soon." },
      } as never,
      { replaceForeign: false },
    );
    await send(BOB, JUNE.name, "news from the boss, not spam");
    await send(GINA, JUNE.name, "news and spam");
    expect(await waitFor(JUNE.name, "News", "from the boss")).toBe(1);
    expect(await waitFor(BOB.name, "INBOX", "June away")).toBe(1);
    // Refused, and neither filed nor answered.
    expect(await waitFor(GINA.name, "INBOX", "news and spam")).toBe(1);
    await delay(1500);
    expect(await waitFor(GINA.name, "INBOX", "June away", 1, 0)).toBe(0);
    for (const folder of ["INBOX", "News"])
      expect(await waitFor(JUNE.name, folder, "news and spam", 1, 0), folder).toBe(0);
  }, 30_000);

  // A script the server refuses (here: Pigeonhole finds the forward address invalid) is said in
  // its words, and a retry keeps no second copy of the inactive "pismo" (MAXSCRIPTS).
  it("says in the server's words why it refused the script, and keeps no copy each time it is tried", async () => {
    const rules = rulesOf(KATE);
    await rules.save(invoice as never, { replaceForeign: false });
    const client = await connect(KATE);
    await client.setActive("");
    const refused = {
      rules: [onSubject("fwd", "x", [{ type: "forward", address: "ana@primer..rs" }])],
      vacation: defaultVacation,
    };
    for (let i = 0; i < 2; i++) {
      const error = await rules.save(refused as never, { replaceForeign: false }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "SERVER_REFUSED", message: expect.stringMatching(/line \d+/) });
    }
    expect(await client.listScripts()).toEqual([{ name: PISMO_SCRIPT_NAME, active: false }]);
    await client.logout();
  });

  // What the server does is what the POP3 engine (rules/apply.ts) does with the same rules and
  // the same message: each case is one rule, picked out by the message's X-Case header.
  it("matches and adds up actions as the POP3 engine does", async () => {
    const text = (
      field: "subject" | "to",
      match: "contains" | "is" | "matches",
      value: string,
    ): RuleCondition => ({
      kind: "text",
      field,
      match,
      not: false,
      value,
    });
    const list = "To: Ana <ana@primer.rs>, posao@firma.rs\r\n";
    const cases: Array<{
      tag: string;
      subject: string;
      headers?: string;
      condition: RuleCondition;
      hit: boolean;
    }> = [
      // `?` is one octet of UTF-8 to Pigeonhole's i;ascii-casemap, not one character.
      { tag: "q1", subject: "Đorđe", condition: text("subject", "matches", "?orđe"), hit: false },
      { tag: "q2", subject: "Đorđe", condition: text("subject", "matches", "??orđe"), hit: true },
      { tag: "q3", subject: "𝒳 x", condition: text("subject", "matches", "? x"), hit: false },
      { tag: "q4", subject: "𝒳 x", condition: text("subject", "matches", "???? x"), hit: true },
      { tag: "q5", subject: "Šta", condition: text("subject", "matches", "??ta"), hit: true },
      { tag: "q6", subject: "Šta", condition: text("subject", "matches", "?ta"), hit: false },
      // The value's spaces count; the field's at its ends do not.
      { tag: "s1", subject: "foo bar", condition: text("subject", "contains", "foo "), hit: true },
      { tag: "s2", subject: "xx foo", condition: text("subject", "contains", "foo "), hit: false },
      { tag: "s3", subject: "foo", condition: text("subject", "is", "foo "), hit: false },
      // A header test compares the whole To field, not each address in it.
      {
        tag: "a1",
        subject: "list",
        headers: list,
        condition: text("to", "is", "posao@firma.rs"),
        hit: false,
      },
      {
        tag: "a2",
        subject: "list",
        headers: list,
        condition: text("to", "contains", "posao@firma.rs"),
        hit: true,
      },
      {
        tag: "a3",
        subject: "list",
        headers: list,
        condition: text("to", "is", "Ana <ana@primer.rs>, posao@firma.rs"),
        hit: true,
      },
    ];
    const tagged = (
      tag: string,
      id: string,
      actions: RuleAction[],
      condition?: RuleCondition,
    ): RuleInput => ({
      id,
      name: id,
      enabled: true,
      match: "all",
      conditions: [
        { kind: "text", field: "header", header: "X-Case", match: "is", not: false, value: tag },
        ...(condition ? [condition] : []),
      ],
      actions,
    });
    const hit: RuleAction = { type: "move", folder: "Hit" };
    // How later actions add to an earlier move: where the message lands and with which flags.
    const combos: Array<{ tag: string; rules: RuleAction[][]; lands: string[] }> = [
      { tag: "c1", rules: [[hit], [{ type: "discard" }]], lands: ["Hit"] },
      { tag: "c2", rules: [[{ type: "discard" }], [hit]], lands: ["Hit"] },
      { tag: "c3", rules: [[hit], [{ type: "markRead" }, { type: "flag" }]], lands: ["Hit"] },
      { tag: "c4", rules: [[{ type: "flag" }], [hit], [{ type: "markRead" }]], lands: ["Hit \\Flagged"] },
      { tag: "c5", rules: [[{ type: "flag" }], [{ type: "markRead" }]], lands: ["INBOX \\Flagged \\Seen"] },
    ];
    const rules = [
      ...cases.map((c) => tagged(c.tag, c.tag, [hit], c.condition)),
      ...combos.flatMap((c) => c.rules.map((actions, i) => tagged(c.tag, `${c.tag}-${i}`, actions))),
    ];
    await mail.createFolder(IVAN.name, "Hit");
    await rulesOf(IVAN).save({ rules, vacation: defaultVacation } as never, { replaceForeign: false });

    const sent = new Map<string, Buffer>();
    for (const c of [...cases, ...combos]) {
      const headers = `${"headers" in c && c.headers ? c.headers : `To: <${IVAN.name}>\r\n`}X-Case: ${c.tag}\r\n`;
      const subject = "subject" in c ? encoded(c.subject) : c.tag;
      sent.set(c.tag, await send(BOB, IVAN.name, subject, headers));
    }
    // As the POP3 store hands a pulled message to the rules.
    const local = (raw: Buffer): RuleMessage => ({
      from: headerValues(raw, "from").join(", "),
      to: [...headerValues(raw, "to"), ...headerValues(raw, "cc")],
      subject: headerValues(raw, "subject").join(" "),
      header: (name) => headerValues(raw, name),
    });
    // Every case at once, so that a difference names them all.
    const parsed = rules.map((r) => ruleSchema.parse(r));
    const server: Record<string, string[]> = {};
    const here: Record<string, string[]> = {};
    const expected: Record<string, string[]> = {};
    for (const c of cases) {
      server[c.tag] = await landed(IVAN.name, ["INBOX", "Hit"], c.tag);
      here[c.tag] = [conditionHolds(c.condition, local(sent.get(c.tag)!)) ? "Hit" : "INBOX"];
      expected[c.tag] = [c.hit ? "Hit" : "INBOX"];
    }
    for (const c of combos) {
      server[c.tag] = await landed(IVAN.name, ["INBOX", "Hit"], c.tag);
      const outcome = runRules(parsed, local(sent.get(c.tag)!));
      const flags = [outcome.flag ? "\\Flagged" : "", outcome.markRead ? "\\Seen" : ""].filter(Boolean);
      here[c.tag] = [[outcome.discard ? "Trash" : (outcome.folder ?? "INBOX"), ...flags].join(" ")];
      expected[c.tag] = c.lands;
    }
    expect(server).toEqual(expected);
    expect(here).toEqual(expected);
  }, 60_000);

  it("shows a hand-written script as text and never overwrites it unasked", async () => {
    const client = await connect(CAROL);
    const hand = 'require "fileinto";\r\nif header :contains "from" "boss" { fileinto "INBOX"; }\r\n';
    await client.putScript(PISMO_SCRIPT_NAME, hand);
    await client.setActive(PISMO_SCRIPT_NAME);
    await client.logout();
    const rules = rulesOf(CAROL);
    expect(await rules.read()).toEqual(
      expect.objectContaining({ kind: "foreign", scriptName: PISMO_SCRIPT_NAME, script: hand }),
    );
    const refused = await rules.save(invoice as never, { replaceForeign: false }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "BAD_INPUT" });
    expect(await rules.check("if true { nope; }")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/nope/),
    });
    expect(await rules.saveScript(PISMO_SCRIPT_NAME, "if true { nope; }")).toMatchObject({ ok: false });
    expect(await rules.read()).toMatchObject({ kind: "foreign", script: hand });
    // Replacing on purpose keeps the hand-written one under another name.
    await rules.save(invoice as never, { replaceForeign: true });
    const after = await connect(CAROL);
    expect(await after.getScript(`${PISMO_SCRIPT_NAME}-by-hand`)).toBe(hand);
    await after.logout();
    expect(await rules.read()).toMatchObject({ kind: "pismo" });
  });

  // Turned off in another client (Roundcube's "deactivate"), Pismo's script reads as no rules
  // (none run), and the next save once replaced it: every earlier rule gone.
  it("keeps Pismo's script turned off elsewhere, which it did not show, before new rules take its name", async () => {
    const rules = rulesOf(DAVE);
    await rules.save(invoice as never, { replaceForeign: false });
    const client = await connect(DAVE);
    await client.setActive("");
    const off = await client.getScript(PISMO_SCRIPT_NAME);
    expect(await rules.read()).toMatchObject({ kind: "pismo", set: { rules: [] } });
    const fresh = { ...invoice, rules: [{ ...invoice.rules[0]!, id: "fresh", name: "Fresh" }] };
    await rules.save(fresh as never, { replaceForeign: false });
    expect(await client.getScript(`${PISMO_SCRIPT_NAME}-earlier`)).toBe(off);
    expect(await rules.read()).toMatchObject({ kind: "pismo", set: { rules: [{ id: "fresh" }] } });

    // Another client's script active, Pismo's inactive beside it: replacing the shown one on
    // purpose keeps Pismo's earlier rules under another name.
    const earlier = await client.getScript(PISMO_SCRIPT_NAME);
    await client.putScript(
      "roundcube",
      'require "fileinto";\r\nif header :contains "from" "x" { fileinto "INBOX"; }\r\n',
    );
    await client.setActive("roundcube");
    const other = { ...invoice, rules: [{ ...invoice.rules[0]!, id: "new", name: "New" }] };
    await rules.save(other as never, { replaceForeign: true });
    expect(await client.getScript(`${PISMO_SCRIPT_NAME}-earlier-2`)).toBe(earlier);
    expect(await rules.read()).toMatchObject({ kind: "pismo", set: { rules: [{ id: "new" }] } });
    await client.logout();
  });

  it("says unavailable when the server has no ManageSieve", async () => {
    const rules = new SieveRules({
      endpoint: { host: mail.host, port: mail.imapPort, security: "none" },
      user: ALICE.name,
      password: ALICE.password,
      tlsVerify: false,
      applyToFolder: null,
    });
    expect(await rules.read()).toMatchObject({ kind: "unavailable" });
  });

  // A server that signs the user in and then goes away has ManageSieve: its filters are not
  // to be hidden as if it had none, but the failure said.
  it("says a session cut after signing in is an error, not a server without ManageSieve", async () => {
    const server = net.createServer((socket) => {
      socket.write('"IMPLEMENTATION" "fake"\r\n"SASL" "PLAIN"\r\n"VERSION" "1.0"\r\nOK\r\n');
      socket.on("data", (data) => {
        if (data.toString().startsWith("AUTHENTICATE")) socket.write("OK\r\n");
        else if (data.toString().startsWith("LISTSCRIPTS")) socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const rules = new SieveRules({
        endpoint: { host: "127.0.0.1", port: (server.address() as net.AddressInfo).port, security: "none" },
        user: ALICE.name,
        password: ALICE.password,
        tlsVerify: false,
        applyToFolder: null,
      });
      await expect(rules.read()).rejects.toMatchObject({ code: "SERVER_UNREACHABLE" });
    } finally {
      server.close();
    }
  });
});
