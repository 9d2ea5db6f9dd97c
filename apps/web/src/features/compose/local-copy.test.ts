import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  forgetLocalCopy,
  forgetUnsent,
  keepGoneWindowCopy,
  LOCAL_KEY,
  readLocalCopy,
  readUnsent,
  UNSENT_KEY,
  type LocalCopy,
} from "./local-copy";
import type { ComposeFields } from "./initial-draft";

/** A Storage over a Map (Node has no localStorage); `full` makes every write throw, as a full one does. */
function memoryStorage() {
  const data = new Map<string, string>();
  const storage = {
    full: false,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (storage.full) throw new DOMException("full", "QuotaExceededError");
      data.set(k, v);
    },
    removeItem: (k: string) => void data.delete(k),
  };
  return storage;
}

const copy = (
  writer: string,
  subject: string,
  account = "ana@primer.rs",
): LocalCopy & { writer: string } => ({
  account,
  fields: { subject } as unknown as ComposeFields,
  draftUid: null,
  savedAt: 1,
  writer,
});

let storage: ReturnType<typeof memoryStorage>;
beforeEach(() => {
  storage = memoryStorage();
  vi.stubGlobal("localStorage", storage);
});
afterEach(() => vi.unstubAllGlobals());

describe("the copies of messages kept in this browser", () => {
  it("a gone window's message takes the slot when it is free or its own", () => {
    expect(keepGoneWindowCopy(copy("w1", "prva"))).toBe(true);
    expect(readLocalCopy("ana@primer.rs")?.fields.subject).toBe("prva");
    expect(keepGoneWindowCopy(copy("w1", "prva, izmenjena"))).toBe(true);
    expect(readLocalCopy("ana@primer.rs")?.fields.subject).toBe("prva, izmenjena");
    expect(readUnsent("ana@primer.rs")).toEqual([]);
  });

  it("with another window's copy in the slot, it is kept apart and pushes nothing out", () => {
    storage.setItem(LOCAL_KEY, JSON.stringify(copy("open", "otvorena")));
    expect(keepGoneWindowCopy(copy("gone1", "neposlata 1"))).toBe(true);
    expect(keepGoneWindowCopy(copy("gone2", "neposlata 2"))).toBe(true);
    expect(keepGoneWindowCopy(copy("gone1", "neposlata 1 opet"))).toBe(true);
    expect(readLocalCopy("ana@primer.rs")?.fields.subject).toBe("otvorena");
    expect(readUnsent("ana@primer.rs").map((c) => c.fields.subject)).toEqual([
      "neposlata 2",
      "neposlata 1 opet",
    ]);
    expect(readUnsent("bob@primer.rs")).toEqual([]);
    forgetUnsent("gone2");
    expect(readUnsent("ana@primer.rs").map((c) => c.writer)).toEqual(["gone1"]);
    forgetUnsent("gone1");
    expect(storage.getItem(UNSENT_KEY)).toBeNull();
  });

  it("a window forgets only its own copy; a full storage says it kept nothing", () => {
    storage.setItem(LOCAL_KEY, JSON.stringify(copy("open", "otvorena")));
    forgetLocalCopy("other");
    expect(readLocalCopy("ana@primer.rs")).not.toBeNull();
    forgetLocalCopy("open");
    expect(readLocalCopy("ana@primer.rs")).toBeNull();
    storage.full = true;
    expect(keepGoneWindowCopy(copy("gone", "neposlata"))).toBe(false);
  });

  it("reads nothing from a list written by hand or broken", () => {
    storage.setItem(UNSENT_KEY, "{not json");
    expect(readUnsent("ana@primer.rs")).toEqual([]);
    storage.setItem(UNSENT_KEY, JSON.stringify({ not: "a list" }));
    expect(readUnsent("ana@primer.rs")).toEqual([]);
  });
});
