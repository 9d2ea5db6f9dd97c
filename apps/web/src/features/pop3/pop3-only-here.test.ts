// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { emptyDraft } from "@pismo/protocol/compose";
import { fieldsFromDraft } from "../compose/initial-draft";
import { freshStore, rawMessage } from "./pop3-test-store";

// After a pull removed a message from the server, this browser holds its only copy: signing
// out says how many such messages there are and offers them as an mbox file before they can be
// removed. Messages still on the server, drafts and messages deleted for good are not counted.

describe("messages only in this browser", () => {
  it("counts those removed from the server and those sent from here, oldest first", async () => {
    const store = freshStore();
    for (let i = 1; i <= 4; i += 1)
      await store.storeMessage(`u${i}`, rawMessage(i), { size: 100, mode: "full", now: 1000 });
    expect(await store.countOnlyHere()).toBe(0);
    // A pull confirmed the DELE of three; one of them was then deleted here for good.
    await store.forgetOnServer(["u3", "u1", "u2"]);
    await store.remove(["u2"]);
    await store.remove(["u2"]);
    await store.storeSent(rawMessage(9, { subject: "poslato" }), 5000);
    await store.saveDraft(fieldsFromDraft(emptyDraft(), true), null);
    expect(await store.countOnlyHere()).toBe(3);
    expect((await store.onlyHere()).map((m) => m.subject)).toEqual(["poruka 1", "poruka 3", "poslato"]);
  });
});
