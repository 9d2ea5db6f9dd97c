import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyDraft } from "@pismo/protocol/compose";
import type { collectEvents, connectClient } from "./helpers";
import { listeningPages, makeUsers, signIn, startStack, testMessage, type TestStack } from "./helpers";

// Two tabs of one browser: one session (one cookie), two WebSockets on one gateway. What one
// tab changes is told to the other ("changed"), so it refetches what it shows; not back to the
// tab that made the change, which updates itself from the answer. Compose (one ComposeSession
// per session) is no different: its drafts are told to the other tab, not to the composing one.
describe("two pages of one session on one gateway", () => {
  let stack: TestStack;
  const [user] = makeUsers(1);
  let acting: ReturnType<typeof connectClient>;
  let sibling: ReturnType<typeof connectClient>;
  let actingEvents: ReturnType<typeof collectEvents>;
  let siblingEvents: ReturnType<typeof collectEvents>;

  beforeAll(async () => {
    stack = await startStack({ mail: { users: [user!], smtp: true } });
    for (let i = 1; i <= 4; i++) await stack.mail.deliver(user!.email, testMessage(`Poruka ${i}`));
    const cookie = await signIn(stack, user!.email, user!.password);
    const pages = await listeningPages(stack.gateway.url, [cookie, cookie]);
    acting = pages[0]!;
    sibling = pages[1]!;
    actingEvents = pages[0]!.events;
    siblingEvents = pages[1]!.events;
  }, 60_000);
  afterAll(async () => {
    actingEvents?.unsubscribe();
    siblingEvents?.unsubscribe();
    void acting?.close();
    void sibling?.close();
    await stack?.stop();
  });

  it("tells the other page of a move of several messages, not the page that made it", async () => {
    await acting.client.imap.createFolder.mutate({ parentPath: null, name: "Projekti" });
    const rows = (await acting.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 10 })).messages;
    const uids = rows.slice(0, 3).map((m) => m.uid);
    const fromSibling = siblingEvents.events.length;
    await acting.client.actions.act.mutate({ kind: "move", folder: "INBOX", uids, to: "Projekti" });
    await siblingEvents.waitFor("changed", (e) => e.folder === "Projekti", 5000, fromSibling);
    await siblingEvents.waitFor("changed", (e) => e.folder === "INBOX", 5000, fromSibling);
    expect((await stack.mail.counts(user!.email, "Projekti")).messages).toBe(3);

    // A late notice has the time to come: the acting page hears none of its own changes.
    await new Promise((r) => setTimeout(r, 500));
    expect(actingEvents.events.filter((e) => e.type === "changed")).toEqual([]);
  });

  it("tells the other page of a draft saved, not the page that composes it", async () => {
    const fromActing = actingEvents.events.length;
    const fromSibling = siblingEvents.events.length;
    // What the web's autosave sends (server-draft-store): a save, one that replaces it, a discard.
    const draft = {
      ...emptyDraft(),
      to: [{ name: "Ana", address: "ana@example.test" }],
      subject: "Nacrt",
      text: "Prvi red.",
    };
    const first = await acting.client.compose.saveDraft.mutate({ draft, replaceUid: null });
    expect(first).not.toBeNull();
    const drafts = first!.folder;
    await siblingEvents.waitFor("changed", (e) => e.folder === drafts, 5000, fromSibling);
    const again = siblingEvents.events.length;
    const second = await acting.client.compose.saveDraft.mutate({
      draft: { ...draft, text: "Prvi red.\nDrugi red." },
      replaceUid: first!.uid,
    });
    await siblingEvents.waitFor("changed", (e) => e.folder === drafts, 5000, again);
    expect((await stack.mail.counts(user!.email, drafts)).messages).toBe(1);
    const discarded = siblingEvents.events.length;
    await acting.client.compose.discardDraft.mutate({ uid: second!.uid });
    await siblingEvents.waitFor("changed", (e) => e.folder === drafts, 5000, discarded);
    expect((await stack.mail.counts(user!.email, drafts)).messages).toBe(0);

    // Not told back to the composing page, which settles its Drafts list from the answer.
    await new Promise((r) => setTimeout(r, 500));
    const told = actingEvents.events.slice(fromActing);
    expect(told.filter((e) => e.type === "changed" && e.folder === drafts)).toEqual([]);
  });
});
