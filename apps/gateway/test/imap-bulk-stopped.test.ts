import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { undoRequest, type MailActionRequest } from "@pismo/protocol/actions";
import { uidsInRanges } from "@pismo/protocol/selection";
import { STEP } from "../src/imap/in-steps";
import { startCountingProxy, type CountingProxy } from "@pismo/mail-harness";
import { codeOf, connectClient, makeUsers, signIn, startStack, type TestStack } from "./helpers";

// A large action goes in steps (STEP messages a command), and a step can fail part-way: the
// mailbox fills up, the target folder is deleted on another device. What the steps before it
// did stays done; the answer says which messages moved (so Undo can take those back) and why
// the rest stayed. The server is a real Dovecot; the one failing command is answered by a proxy
// in front of it (as a full mailbox answers: `NO [OVERQUOTA]`), so the test knows which step.
const OVERQUOTA = "[OVERQUOTA] Quota exceeded (mailbox for user is full)";
const COUNT = STEP * 3 + 10;

describe("a large action a step of which the server refuses", () => {
  const [user] = makeUsers(1);
  let proxy: CountingProxy;
  let stack: TestStack;
  let page: ReturnType<typeof connectClient>;

  beforeAll(async () => {
    // The gateway's IMAP server is the proxy, in front of Dovecot.
    proxy = await startCountingProxy();
    stack = await startStack({ env: { PISMO_IMAP_PORT: String(proxy.port) }, mail: { users: [user!] } });
    proxy.targetPort = stack.mail.imapPort;
    await stack.mail.seed(user!.email, {
      count: 0,
      folders: { INBOX: COUNT, Projekti: 2 },
      user: user!.email,
      seed: 5,
    });
    page = connectClient(stack.gateway.url, await signIn(stack, user!.email, user!.password));
  }, 60_000);
  afterAll(async () => {
    void page?.close();
    await stack?.stop();
    await proxy?.close();
  });

  const messagesIn = async (folder: string) => (await stack.mail.counts(user!.email, folder)).messages;
  const inboxUids = async () => uidsInRanges(await page.client.imap.uids.query({ folder: "INBOX" }));

  it("a move stopped at its second step answers the first step's messages and the reason; Undo brings those back", async () => {
    const uids = await inboxUids();
    expect(uids).toHaveLength(COUNT);
    proxy.refuse = { command: /^\S+ UID MOVE /i, nth: 2, text: OVERQUOTA };
    const request: MailActionRequest = { kind: "move", folder: "INBOX", uids, to: "Projekti" };
    const result = await page.client.actions.act.mutate(request);
    proxy.refuse = null;

    expect(result.stopped).toEqual({ code: "QUOTA_EXCEEDED", message: "The mailbox is full" });
    expect(result.to).toBe("Projekti");
    // Exactly the first step's messages, each with its UID in Projekti (UIDPLUS).
    expect(result.moved).toHaveLength(STEP);
    expect(result.moved.map((m) => m.uid)).toEqual(uids.slice(0, STEP));
    expect(result.moved.every((m) => m.newUid !== null)).toBe(true);
    // On the server: the first step moved, the others still in the Inbox; none lost.
    expect(await messagesIn("Projekti")).toBe(2 + STEP);
    expect(await messagesIn("INBOX")).toBe(COUNT - STEP);
    expect((await inboxUids()).sort((a, b) => a - b)).toEqual(uids.slice(STEP).sort((a, b) => a - b));

    const back = undoRequest(request, result);
    expect(back).toMatchObject({ kind: "move", folder: "Projekti", to: "INBOX" });
    const undone = await page.client.actions.act.mutate(back!);
    expect(undone.stopped).toBeUndefined();
    expect(undone.moved).toHaveLength(STEP);
    expect(await messagesIn("INBOX")).toBe(COUNT);
    expect(await messagesIn("Projekti")).toBe(2);
  });

  it("a spam report stopped part-way leaves the messages that stayed in the Inbox without $Junk", async () => {
    const uids = await inboxUids();
    const withJunk = async (folder: string) =>
      (await stack.mail.doveadm(["search", "-u", user!.email, "mailbox", folder, "keyword", "$Junk"]))
        .split("\n")
        .filter((line) => line.trim() !== "").length;
    proxy.refuse = { command: /^\S+ UID MOVE /i, nth: 2, text: OVERQUOTA };
    const request: MailActionRequest = { kind: "spam", folder: "INBOX", uids, spam: true };
    const result = await page.client.actions.act.mutate(request);
    proxy.refuse = null;
    expect(result.stopped?.code).toBe("QUOTA_EXCEEDED");
    expect(result.keyword).toBe("$Junk");
    expect(result.moved).toHaveLength(STEP);
    expect(await withJunk("Junk")).toBe(STEP);
    // The second step's messages were marked before its MOVE was refused: the mark is taken back.
    expect(await messagesIn("INBOX")).toBe(COUNT - STEP);
    expect(await withJunk("INBOX")).toBe(0);

    await page.client.actions.act.mutate(undoRequest(request, result)!);
    expect(await messagesIn("INBOX")).toBe(COUNT);
    expect(await withJunk("INBOX")).toBe(0);
  });

  it("a move refused at its first step does nothing and fails with the reason", async () => {
    const uids = await inboxUids();
    proxy.refuse = { command: /^\S+ UID MOVE /i, nth: 1, text: OVERQUOTA };
    const failed = await page.client.actions.act
      .mutate({ kind: "move", folder: "INBOX", uids, to: "Projekti" })
      .then(
        () => null,
        (error: unknown) => error,
      );
    proxy.refuse = null;
    expect(codeOf(failed)).toBe("QUOTA_EXCEEDED");
    expect(await messagesIn("INBOX")).toBe(COUNT);
    expect(await messagesIn("Projekti")).toBe(2);
  });

  it("a delete for good in Trash stopped part-way answers what it deleted and the reason", async () => {
    const uids = await inboxUids();
    const toTrash = await page.client.actions.act.mutate({ kind: "delete", folder: "INBOX", uids });
    expect(toTrash.stopped).toBeUndefined();
    expect(toTrash.to).toBe("Trash");
    expect(await messagesIn("Trash")).toBe(COUNT);
    const inTrash = uidsInRanges(await page.client.imap.uids.query({ folder: "Trash" }));

    // The third step's \Deleted mark is refused: two steps gone for good, the rest kept.
    proxy.refuse = { command: /^\S+ UID STORE \S+ \+FLAGS.*\\Deleted/i, nth: 3, text: OVERQUOTA };
    const result = await page.client.actions.act.mutate({ kind: "delete", folder: "Trash", uids: inTrash });
    proxy.refuse = null;
    expect(result.to).toBeNull();
    expect(result.stopped?.code).toBe("QUOTA_EXCEEDED");
    expect(result.moved.map((m) => m.uid)).toEqual(inTrash.slice(0, 2 * STEP));
    expect(result.moved.every((m) => m.newUid === null)).toBe(true);
    expect(undoRequest({ kind: "delete", folder: "Trash", uids: inTrash }, result)).toBeNull();
    expect(await messagesIn("Trash")).toBe(COUNT - 2 * STEP);
  });

  it("Empty Trash stopped part-way answers how many it deleted of how many, and the reason", async () => {
    // Trash holds COUNT - 2 * STEP (210) after the test before: two steps.
    const before = await messagesIn("Trash");
    expect(before).toBeGreaterThan(STEP);
    proxy.refuse = { command: /^\S+ UID STORE \S+ \+FLAGS.*\\Deleted/i, nth: 2, text: OVERQUOTA };
    const result = await page.client.imap.emptyFolder.mutate({ path: "Trash" });
    proxy.refuse = null;
    expect(result).toEqual({
      total: before,
      deleted: STEP,
      stopped: { code: "QUOTA_EXCEEDED", message: "The mailbox is full" },
    });
    expect(await messagesIn("Trash")).toBe(before - STEP);
    // Emptied again, with nothing refused: all of it, and said so.
    expect(await page.client.imap.emptyFolder.mutate({ path: "Trash" })).toEqual({
      total: before - STEP,
      deleted: before - STEP,
    });
    expect(await messagesIn("Trash")).toBe(0);
  });

  it("a delete for good whose EXPUNGE is refused part-way leaves the messages it kept unmarked", async () => {
    await stack.mail.seed(user!.email, {
      count: 0,
      folders: { Trash: STEP + 10 },
      user: user!.email,
      seed: 6,
    });
    const inTrash = uidsInRanges(await page.client.imap.uids.query({ folder: "Trash" }));
    expect(inTrash).toHaveLength(STEP + 10);

    // The second step's \Deleted mark is stored, its UID EXPUNGE refused.
    proxy.refuse = { command: /^\S+ UID EXPUNGE /i, nth: 2, text: OVERQUOTA };
    const result = await page.client.actions.act.mutate({ kind: "delete", folder: "Trash", uids: inTrash });
    proxy.refuse = null;
    expect(result.stopped?.code).toBe("QUOTA_EXCEEDED");
    expect(result.moved.map((m) => m.uid)).toEqual(inTrash.slice(0, STEP));
    expect(await messagesIn("Trash")).toBe(10);
    // None of the ten kept carries the mark another client's EXPUNGE would delete them by.
    const marked = await stack.mail.doveadm(["search", "-u", user!.email, "mailbox", "Trash", "DELETED"]);
    expect(marked.trim()).toBe("");
  });
});
