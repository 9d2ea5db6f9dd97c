import { undoRequest } from "@pismo/protocol/actions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstRows, makeUsers, signedInClient, startStack, testMessage, type TestStack } from "./helpers";

const msg = (subject: string) => testMessage(subject, { from: "spammer@example.org" });

describe("undoable actions against Dovecot (UIDPLUS, keywords)", () => {
  let stack: TestStack;
  const [user] = makeUsers(1);
  let browser: Awaited<ReturnType<typeof signedInClient>>;

  beforeAll(async () => {
    stack = await startStack({ mail: { users: [user!] } });
    for (let i = 1; i <= 4; i++) await stack.mail.deliver(user!.email, msg(`Poruka ${i}`));
    browser = await signedInClient(stack, user!);
  }, 60_000);
  afterAll(async () => {
    void browser?.close();
    await stack?.stop();
  });

  const list = (folder: string) => firstRows(browser.client, folder);
  /** The server's own view, not the gateway's: subject and flags of every message in a folder. */
  const onServer = async (folder: string) =>
    (
      await stack.mail.doveadm([
        "-f",
        "tab",
        "fetch",
        "-u",
        user!.email,
        "hdr.subject flags",
        "mailbox",
        folder,
        "all",
      ])
    )
      .split("\n")
      .slice(1)
      .filter(Boolean);

  it("deletes to Trash and Undo puts the message back in the Inbox, on the server", async () => {
    const [m] = await list("INBOX");
    const request = { kind: "delete" as const, folder: "INBOX", uids: [m!.uid] };
    const result = await browser.client.actions.act.mutate(request);
    expect(result.to).toBe("Trash");
    expect(result.moved[0]?.newUid).toEqual(expect.any(Number));
    expect((await onServer("Trash")).join("\n")).toContain(m!.subject);
    const undo = undoRequest(request, result);
    expect(undo).toMatchObject({ kind: "move", folder: "Trash", to: "INBOX" });
    await browser.client.actions.act.mutate(undo!);
    expect((await onServer("INBOX")).join("\n")).toContain(m!.subject);
    expect(await onServer("Trash")).toEqual([]);
  });

  it("reports spam to \\Junk with $Junk, and Not spam back to the Inbox with $NotJunk", async () => {
    const [m] = await list("INBOX");
    const result = await browser.client.actions.act.mutate({
      kind: "spam",
      folder: "INBOX",
      uids: [m!.uid],
      spam: true,
    });
    expect(result).toMatchObject({ to: "Junk", keyword: "$Junk" });
    const junk = await onServer("Junk");
    expect(junk).toHaveLength(1);
    expect(junk[0]).toContain("$Junk");
    const back = await browser.client.actions.act.mutate({
      kind: "spam",
      folder: "Junk",
      uids: [result.moved[0]!.newUid!],
      spam: false,
    });
    expect(back).toMatchObject({ to: "INBOX", keyword: "$NotJunk" });
    const row = (await onServer("INBOX")).find((l) => l.includes(m!.subject));
    expect(row).toContain("$NotJunk");
    expect(row).not.toContain("$Junk\t");
    expect(row?.split(/\s+/)).not.toContain("$Junk");
  });

  it("undo of a spam report moves back and takes the keyword away", async () => {
    const [m] = await list("INBOX");
    const request = { kind: "spam" as const, folder: "INBOX", uids: [m!.uid], spam: true };
    const result = await browser.client.actions.act.mutate(request);
    await browser.client.actions.act.mutate(undoRequest(request, result)!);
    const row = (await onServer("INBOX")).find((l) => l.includes(m!.subject));
    expect(row?.split(/\s+/)).not.toContain("$Junk");
    expect(await onServer("Junk")).toEqual([]);
  });

  it("archives to \\Archive; a delete in Trash is for good and has no undo", async () => {
    const [m] = await list("INBOX");
    const archived = await browser.client.actions.act.mutate({
      kind: "archive",
      folder: "INBOX",
      uids: [m!.uid],
    });
    expect(archived).toMatchObject({ to: "Archive", created: false });
    expect((await onServer("Archive")).join("\n")).toContain(m!.subject);
    const trashed = await browser.client.actions.act.mutate({
      kind: "delete",
      folder: "Archive",
      uids: [archived.moved[0]!.newUid!],
    });
    const request = { kind: "delete" as const, folder: "Trash", uids: [trashed.moved[0]!.newUid!] };
    const gone = await browser.client.actions.act.mutate(request);
    expect(gone.to).toBeNull();
    expect(undoRequest(request, gone)).toBeNull();
    expect(await onServer("Trash")).toEqual([]);
  });
});
