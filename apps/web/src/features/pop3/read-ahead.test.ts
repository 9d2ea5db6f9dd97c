import { describe, expect, it, vi } from "vitest";
import { freshStore, rawMessage } from "./pop3-test-store";
import { readAhead, readyMessage, viewOf } from "./read-ahead";
import * as parsePool from "./parse-pool";

async function storeOf(count: number) {
  const store = freshStore();
  const items = Array.from({ length: count }, (_, i) => {
    const raw = rawMessage(i + 1);
    return { uid: `u${i + 1}`, raw, size: raw.length, mode: "full" as const };
  });
  await store.storeMessages(items, 1);
  return store;
}

describe("reading POP3 messages ahead", () => {
  it("keeps a neighbour's row, bytes and parsed view ready for the reading view", async () => {
    const store = await storeOf(2);
    expect(readyMessage(store, "u1")).toBeUndefined();
    await readAhead(store, ["u1"]);
    const ready = readyMessage(store, "u1");
    expect(ready?.meta.uid).toBe("u1");
    expect(ready?.view.subject).toBe("poruka 1");
    expect(ready?.view.text?.trim()).toBe("Šaša");
    expect([...(ready?.raw ?? [])]).toEqual([...(await store.raw("u1"))!]);
    // Another store's messages are its own.
    expect(readyMessage(await storeOf(1), "u1")).toBeUndefined();
  });

  it("skips what the store no longer holds, and keeps only a few", async () => {
    const store = await storeOf(9);
    // Deleted from the Trash: only a tombstone is left.
    await store.remove(["u2"]);
    await store.remove(["u2"]);
    expect((await store.get("u2"))?.deletedLocally).toBe(true);
    await readAhead(store, ["u2", "nothing"]);
    expect(readyMessage(store, "u2")).toBeUndefined();
    expect(readyMessage(store, "nothing")).toBeUndefined();
    await readAhead(store, ["u1", "u3", "u4", "u5", "u6", "u7", "u8", "u9"]);
    const kept = ["u1", "u3", "u4", "u5", "u6", "u7", "u8", "u9"].filter((u) => readyMessage(store, u));
    expect(kept).toEqual(["u4", "u5", "u6", "u7", "u8", "u9"]);
  });

  it("forgets what was read long ago (it may have changed since)", async () => {
    const store = await storeOf(1);
    await readAhead(store, ["u1"]);
    vi.useFakeTimers({ now: Date.now() + 31_000, toFake: ["Date"] });
    try {
      expect(readyMessage(store, "u1")).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it("parses a message pressed and then opened once: the view takes the read in progress", async () => {
    const store = await storeOf(1);
    const parse = vi.spyOn(parsePool, "parseView");
    try {
      const raw = (await store.raw("u1"))!;
      // Pressed, then opened while its read is still in flight.
      const pressed = readAhead(store, ["u1"]);
      const view = await viewOf(store, "u1", raw);
      await pressed;
      expect(view.subject).toBe("poruka 1");
      expect(parse).toHaveBeenCalledTimes(1);
      // Bytes other than those read ahead (a headers-only copy completed since) are parsed anew.
      const longer = new Uint8Array([...raw, 0x61]);
      await viewOf(store, "u1", longer);
      expect(parse).toHaveBeenCalledTimes(2);
    } finally {
      parse.mockRestore();
    }
  });
});
