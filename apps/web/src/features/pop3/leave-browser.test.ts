// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { leaveBrowser } from "./leave-browser";
import { freshStore, rawMessage, reopen } from "./pop3-test-store";

// "Remove mail from this browser" on sign-out: mail a pull removed from the server while the
// dialog was open exists only here, and must not be removed unseen.

const unguarded = () => Promise.resolve(() => undefined);

describe("leaving this browser on sign-out", () => {
  it("removes nothing when a pull stopped on the way out left mail only here that the dialog did not show", async () => {
    const store = freshStore();
    // The dialog showed 0. The pull running meanwhile stores a message and, told of its DELE
    // as it stops, counts it as off the server.
    const stopPull = async () => {
      await store.storeMessage("u1", rawMessage(1), { size: 100, mode: "full" });
      await store.forgetOnServer(["u1"]);
    };
    const outcome = await leaveBrowser(store, { wipe: true, shown: 0, stopPull, lock: unguarded });
    expect(outcome).toBe("more-only-here");
    expect(await store.countOnlyHere()).toBe(1);
  });

  it("removes the mail once the user saw how much of it is only here", async () => {
    const store = freshStore();
    await store.storeMessage("u1", rawMessage(1), { size: 100, mode: "full" });
    await store.forgetOnServer(["u1"]);
    const outcome = await leaveBrowser(store, {
      wipe: true,
      shown: 1,
      stopPull: () => Promise.resolve(),
      lock: unguarded,
    });
    expect(outcome).toBe("left");
    expect(await reopen(store.name).countOnlyHere()).toBe(0);
  });

  it("removes nothing while another tab holds the pull lock", async () => {
    const store = freshStore();
    await store.storeMessage("u1", rawMessage(1), { size: 100, mode: "full" });
    const outcome = await leaveBrowser(store, {
      wipe: true,
      shown: 0,
      stopPull: () => Promise.resolve(),
      lock: () => Promise.resolve(null),
    });
    expect(outcome).toBe("busy");
    expect(await store.count("inbox")).toBe(1);
  });
});
