import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { undoRequest } from "@pismo/protocol/actions";
import { uidsInRanges } from "@pismo/protocol/selection";
import { STEP } from "../src/imap/in-steps";
import {
  collectEvents,
  connectClient,
  makeUsers,
  signIn,
  startStack,
  waitUntil,
  type TestStack,
} from "./helpers";

// A move of a whole folder (Select all N, then Archive): Dovecot with fts-xapian takes about a
// millisecond a message, so the gateway moves in steps of STEP and a message opened
// meanwhile is answered between two steps, not after the whole move; the session's pages get one "changed" per folder
// instead of an expunge per message, and Undo brings every message back.
describe("a move of many messages against Dovecot", () => {
  const COUNT = STEP * 4 + 50;
  let stack: TestStack;
  const [user] = makeUsers(1);
  let page: ReturnType<typeof connectClient>;
  let events: ReturnType<typeof collectEvents>;

  beforeAll(async () => {
    stack = await startStack({ mail: { users: [user!] } });
    await stack.mail.seed(user!.email, {
      count: 0,
      folders: { INBOX: COUNT, Projekti: 3 },
      user: user!.email,
      seed: 7,
    });
    page = connectClient(stack.gateway.url, await signIn(stack, user!.email, user!.password));
    events = collectEvents(page.client);
    await waitUntil(
      () => events.started,
      10_000,
      () => "subscription did not start",
    );
    await page.client.imap.watch.mutate({ folder: "INBOX" });
  }, 60_000);
  afterAll(async () => {
    events?.unsubscribe();
    void page?.close();
    await stack?.stop();
  });

  const messagesIn = async (folder: string) => (await stack.mail.counts(user!.email, folder)).messages;

  it("moves in steps: a message opened meanwhile is answered before the move ends", async () => {
    const uids = uidsInRanges(await page.client.imap.uids.query({ folder: "INBOX" }));
    expect(uids).toHaveLength(COUNT);
    const [other] = (await page.client.imap.list.query({ folder: "Projekti", offset: 0, limit: 10 }))
      .messages;
    const from = events.events.length;
    const order: string[] = [];
    const request = { kind: "archive" as const, folder: "INBOX", uids };
    const moving = page.client.actions.act.mutate(request).then((r) => {
      order.push("moved");
      return r;
    });
    // Once the first step is under way (the server has begun expunging from the Inbox).
    await waitUntil(
      async () => (await messagesIn("INBOX")) < COUNT,
      10_000,
      () => "the move did not start",
    );
    const opened = await page.client.imap.open.query({ folder: "Projekti", uid: other!.uid, peek: true });
    order.push("opened");
    expect(opened.subject).toBe(other!.subject);
    const result = await moving;
    expect(order).toEqual(["opened", "moved"]);

    expect(result.to).toBe("Archive");
    expect(result.moved).toHaveLength(COUNT);
    expect(result.moved.every((m) => typeof m.newUid === "number")).toBe(true);
    expect(await messagesIn("INBOX")).toBe(0);
    expect(await messagesIn("Archive")).toBe(COUNT);
    await events.waitFor("changed", (e) => e.folder === "INBOX", 5000, from);
    await events.waitFor("changed", (e) => e.folder === "Archive", 5000, from);
    // Give a late notice the time to come: no expunge per message reaches the page.
    await new Promise((r) => setTimeout(r, 500));
    expect(events.events.slice(from).filter((e) => e.type === "expunge")).toHaveLength(0);

    // Undo: the same steps back, every message in the Inbox again. The page watching the Inbox
    // asks for its rows part-way (as a page refreshing it does), which selects the Inbox between
    // two steps and counts only those done; the page must then be told once the last step is
    // done, so that the rows it asks for on hearing it count every message.
    const back = undoRequest(request, result);
    expect(back).toMatchObject({ kind: "move", folder: "Archive", to: "INBOX" });
    const fromUndo = events.events.length;
    const undoing = page.client.actions.act.mutate(back!);
    await waitUntil(
      async () => (await messagesIn("Archive")) < COUNT,
      10_000,
      () => "the undo did not start",
    );
    await page.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 25 });
    await events.waitFor("changed", (e) => e.folder === "INBOX", 20_000, fromUndo);
    const onHearing = await page.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 25 });
    expect(onHearing.total).toBe(COUNT);
    expect(onHearing.messages).toHaveLength(25);
    const undone = await undoing;
    expect(undone.moved.every((m) => typeof m.newUid === "number")).toBe(true);
    expect(await messagesIn("INBOX")).toBe(COUNT);
    expect(await messagesIn("Archive")).toBe(0);
  });

  it("deletes to Trash, deletes for good there and empties it in steps: a message opened meanwhile waits for one step", async () => {
    const uids = uidsInRanges(await page.client.imap.uids.query({ folder: "INBOX" }));
    const deleted = await page.client.actions.act.mutate({ kind: "delete", folder: "INBOX", uids });
    expect(deleted.to).toBe("Trash");
    expect(await messagesIn("Trash")).toBe(COUNT);

    const inTrash = uidsInRanges(await page.client.imap.uids.query({ folder: "Trash" }));
    const forGood = inTrash.slice(0, STEP + 10);
    const from = events.events.length;
    const gone = await page.client.actions.act.mutate({ kind: "delete", folder: "Trash", uids: forGood });
    expect(gone).toMatchObject({ to: null, moved: [] });
    expect(await messagesIn("Trash")).toBe(COUNT - forGood.length);

    const left = COUNT - forGood.length;
    const [other] = (await page.client.imap.list.query({ folder: "Projekti", offset: 0, limit: 10 }))
      .messages;
    const order: string[] = [];
    const emptying = page.client.imap.emptyFolder.mutate({ path: "Trash" }).then(() => order.push("emptied"));
    await waitUntil(
      async () => (await messagesIn("Trash")) < left,
      10_000,
      () => "emptying did not start",
    );
    await page.client.imap.open.query({ folder: "Projekti", uid: other!.uid, peek: true });
    order.push("opened");
    await emptying;
    expect(order).toEqual(["opened", "emptied"]);
    expect(await messagesIn("Trash")).toBe(0);
    await events.waitFor("changed", (e) => e.folder === "Trash", 5000, from);
    await new Promise((r) => setTimeout(r, 500));
    expect(events.events.slice(from).filter((e) => e.type === "expunge")).toHaveLength(0);
  });
});
