import { defaultVacation, type RuleInput, type RuleSet } from "@pismo/protocol/rules";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitRaw } from "../src/smtp/send-mail";
import { connectClient, makeUsers, rejectionCode, signIn, useStack, type TestClient } from "./helpers";

// An account's server filters as several devices and the folder tree share them: the real
// gateway, Dovecot with Pigeonhole (ManageSieve, Sieve at delivery) and Postfix in front of it.

const [alice, bob] = makeUsers(2, { prefix: "shared-rules" });
const stack = useStack({ mail: { users: [alice!, bob!], smtp: true } });

const into = (id: string, subject: string, type: "move" | "copy", folder: string): RuleInput => ({
  id,
  name: id,
  enabled: true,
  match: "all",
  conditions: [{ kind: "text", field: "subject", match: "contains", not: false, value: subject }],
  actions: [{ type, folder }],
});

const ruleSet = (...rules: RuleInput[]) => ({ rules, vacation: defaultVacation }) as RuleSet;

async function pismoRules(client: TestClient) {
  const read = await client.rules.get.query();
  if (read.kind !== "pismo") throw new Error(`not Pismo's rules: ${read.kind}`);
  return read;
}

/** Messages in a user's folder whose subject contains `text`, waiting for delivery. */
const countIn = (user: string, folder: string, text: string, ms = 15_000) =>
  stack.mail.countWithSubject(user, folder, text, { ms });

describe("two devices saving one account's filters", () => {
  let deviceX: ReturnType<typeof connectClient>;
  let deviceY: ReturnType<typeof connectClient>;
  beforeAll(async () => {
    // Two sign-ins: two sessions, as two devices have.
    deviceX = connectClient(stack.gateway.url, await signIn(stack, alice!.email, alice!.password));
    deviceY = connectClient(stack.gateway.url, await signIn(stack, alice!.email, alice!.password));
  });
  afterAll(() => {
    void deviceX?.close();
    void deviceY?.close();
  });

  it("refuses a save made from rules another device has changed since, and keeps that device's rule", async () => {
    const start = ruleSet(into("news", "[NEWS]", "move", "INBOX"));
    const first = await pismoRules(deviceX.client);
    const saved = await deviceX.client.rules.save.mutate({ set: start, version: first.version });
    // Both devices read the same rules.
    const seenByX = await pismoRules(deviceX.client);
    const seenByY = await pismoRules(deviceY.client);
    expect(seenByY.version).toBe(seenByX.version);
    // The version a save answers is the one a read gives: the next save need not read first.
    expect(saved.version).toBe(seenByX.version);

    const added = ruleSet(...seenByX.set.rules, into("added-on-x", "[X]", "move", "INBOX"));
    const afterX = await deviceX.client.rules.save.mutate({ set: added, version: seenByX.version });

    // Y turns "news" off in the rules it was shown, which have no "added-on-x".
    const toggled = ruleSet(...seenByY.set.rules.map((r) => ({ ...r, enabled: false })));
    const refused = await rejectionCode(() =>
      deviceY.client.rules.save.mutate({ set: toggled, version: seenByY.version }),
    );
    expect(refused.code).toBe("CHANGED");
    expect((await pismoRules(deviceY.client)).set.rules.map((r) => r.id)).toEqual(["news", "added-on-x"]);

    // Read again, Y's change goes in beside X's rule.
    const now = await pismoRules(deviceY.client);
    expect(now.version).toBe(afterX.version);
    await deviceY.client.rules.save.mutate({
      set: ruleSet(...now.set.rules.map((r) => (r.id === "news" ? { ...r, enabled: false } : r))),
      version: now.version,
    });
    expect((await pismoRules(deviceX.client)).set.rules.map((r) => `${r.id} ${r.enabled}`)).toEqual([
      "news false",
      "added-on-x true",
    ]);
  });
});

describe("a folder renamed through Pismo", () => {
  let browser: ReturnType<typeof connectClient>;
  beforeAll(async () => {
    for (const folder of ["Receipts", "Receipts/2026", "Receipts old", "Other"])
      await stack.mail.createFolder(bob!.email, folder);
    browser = connectClient(stack.gateway.url, await signIn(stack, bob!.email, bob!.password));
  });
  afterAll(() => void browser?.close());

  it("takes the rules that file into it, and into folders inside it, along; mail goes on being filed", async () => {
    const before = await pismoRules(browser.client);
    await browser.client.rules.save.mutate({
      set: ruleSet(
        into("receipts", "[RECEIPT]", "move", "Receipts"),
        into("this-year", "[2026]", "move", "Receipts/2026"),
        into("old", "[OLD]", "move", "Receipts old"),
        into("other", "[OTHER]", "copy", "Other"),
      ),
      version: before.version,
    });
    const stale = await pismoRules(browser.client);

    expect(await browser.client.imap.renameFolder.mutate({ path: "Receipts", newName: "Bills" })).toBe(
      "Bills",
    );

    const after = await pismoRules(browser.client);
    expect(after.set.rules.map((r) => r.actions)).toEqual([
      [{ type: "move", folder: "Bills" }],
      [{ type: "move", folder: "Bills/2026" }],
      [{ type: "move", folder: "Receipts old" }],
      [{ type: "copy", folder: "Other" }],
    ]);
    // A page that read the rules before the rename saves them no more over the new paths.
    const refused = await rejectionCode(() =>
      browser.client.rules.save.mutate({ set: stale.set, version: stale.version }),
    );
    expect(refused.code).toBe("CHANGED");

    // The server files by the new paths, with no browser involved.
    for (const subject of ["[RECEIPT] shop", "[2026] tax"])
      await submitRaw(
        { host: stack.mail.host, port: stack.mail.smtpPort!, security: "none" },
        { user: alice!.email, pass: alice!.password },
        { from: alice!.email, to: [bob!.email] },
        Buffer.from(
          `From: <${alice!.email}>\r\nTo: <${bob!.email}>\r\nSubject: ${subject}\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@pismo.test>\r\n\r\nHello.\r\n`,
        ),
      );
    expect(await countIn(bob!.email, "Bills", "RECEIPT")).toBe(1);
    expect(await countIn(bob!.email, "Bills/2026", "2026")).toBe(1);
    expect(await countIn(bob!.email, "INBOX", "RECEIPT", 0)).toBe(0);
  }, 40_000);
});
