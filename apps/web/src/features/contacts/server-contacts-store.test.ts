import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  MAX_SERVER_BOOK_BYTES,
  bookBytes,
  emptyAddressBook,
  mergeAddressBooks,
  noteAddresses,
  saveContact,
  type AddressBook,
} from "@pismo/protocol/contacts";
import {
  AddressBookFullError,
  serverContactsStore,
  type BookCache,
  type ServerBook,
} from "./server-contacts-store";

// The store's timing and merging against a server kept in memory; the real server round trip
// (gateway, Dovecot, two browsers) is in e2e/tests/contacts.spec.ts.

function memoryServer(initial: AddressBook | null = null) {
  const state = { book: initial, loads: 0, saves: 0 };
  const server: ServerBook = {
    load: () => {
      state.loads += 1;
      return Promise.resolve(state.book === null ? null : structuredClone(state.book));
    },
    // As the gateway does: merged with what is stored, and the result is the answer.
    save: (book) => {
      state.saves += 1;
      state.book = structuredClone(state.book ? mergeAddressBooks(book, state.book) : book);
      return Promise.resolve(structuredClone(state.book));
    },
  };
  return { state, server };
}

function memoryCache(json: string | null = null): BookCache & { json: string | null } {
  const cache = {
    json,
    get: () => cache.json,
    set: (v: string) => {
      cache.json = v;
    },
  };
  return cache;
}

const read = (book: AddressBook, address: string) =>
  noteAddresses(book, [{ name: address.split("@")[0] ?? "", address }], "read", Date.now());

describe("server-backed address book (IMAP)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("applies each harvest at once and saves them together, a few seconds after the last", async () => {
    const { state, server } = memoryServer();
    const cache = memoryCache();
    const store = serverContactsStore(server, cache, { delayMs: 3_000 });
    for (let i = 0; i < 20; i++) {
      await store.update((b) => read(b, `p${i}@x.rs`));
      await vi.advanceTimersByTimeAsync(500);
    }
    expect((await store.read()).contacts).toHaveLength(20);
    expect(JSON.parse(cache.json ?? "null").contacts).toHaveLength(20);
    expect(state.saves).toBe(0);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(state.saves).toBe(1);
    expect(state.book?.contacts).toHaveLength(20);
    store.dispose();
  });

  it("a change is one save, whose answer brings what another device saved meanwhile", async () => {
    let other = read(emptyAddressBook(), "bob@x.rs");
    const { state, server } = memoryServer(other);
    const store = serverContactsStore(server, memoryCache(), { delayMs: 1_000 });
    await store.sync();
    expect((await store.read()).contacts.map((c) => c.emails[0])).toEqual(["bob@x.rs"]);
    expect(state.loads).toBe(1);
    await store.update((b) => read(b, "ana@x.rs"));
    // The other device adds Cica before this one's save goes out.
    other = read(state.book ?? emptyAddressBook(), "cica@x.rs");
    state.book = other;
    await vi.advanceTimersByTimeAsync(1_000);
    const saved = (state.book?.contacts ?? []).map((c) => c.emails[0]).sort();
    expect(saved).toEqual(["ana@x.rs", "bob@x.rs", "cica@x.rs"]);
    expect((await store.read()).contacts).toHaveLength(3);
    expect(state.loads).toBe(1);
    expect(state.saves).toBe(1);
    store.dispose();
  });

  it("a new device's first harvest keeps the contact another device curated (review C1)", async () => {
    vi.setSystemTime(1_000_000);
    const curated = saveContact(emptyAddressBook(), {
      id: "c-bob",
      name: "Bob Smith",
      emails: ["bob@work.rs", "bob@home.rs"],
      note: "Ana's brother",
      groups: ["Family"],
    });
    const { state, server } = memoryServer(curated);
    vi.setSystemTime(2_000_000);
    // A new phone: nothing cached, and nothing has asked for the book yet (no sync).
    const phone = serverContactsStore(server, memoryCache(), { delayMs: 3_000 });
    await phone.update((b) =>
      noteAddresses(b, [{ name: "Bob", address: "bob@home.rs" }], "read", Date.now()),
    );
    await vi.advanceTimersByTimeAsync(3_000);
    const bob = state.book?.contacts.find((c) => c.emails.includes("bob@work.rs"));
    expect(bob?.name).toBe("Bob Smith");
    expect(bob?.note).toBe("Ana's brother");
    expect(bob?.groups).toEqual(["Family"]);
    expect(state.book?.contacts).toHaveLength(1);
    // And the phone now completes the curated Bob too.
    expect((await phone.read()).contacts).toEqual(state.book?.contacts);
    phone.dispose();
  });

  it("never saves a book it has not merged with the server's: the first save reads first", async () => {
    const ana = saveContact(emptyAddressBook(), {
      id: "c-ana",
      name: "Ana",
      emails: ["ana@x.rs"],
      note: "",
      groups: [],
    });
    // A server that keeps what it is given, as a gateway without the merge would.
    const calls: string[] = [];
    let stored: AddressBook | null = structuredClone(ana);
    const server: ServerBook = {
      load: () => {
        calls.push("load");
        return Promise.resolve(structuredClone(stored));
      },
      save: (book) => {
        calls.push("save");
        stored = structuredClone(book);
        return Promise.resolve(structuredClone(book));
      },
    };
    const store = serverContactsStore(server, memoryCache(), { delayMs: 1_000 });
    await store.update((b) => read(b, "bob@x.rs"));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toEqual(["load", "save"]);
    expect((stored as AddressBook | null)?.contacts.map((c) => c.emails[0]).sort()).toEqual([
      "ana@x.rs",
      "bob@x.rs",
    ]);
    // Merged once, later changes are one save each.
    await store.update((b) => read(b, "cica@x.rs"));
    await store.flush();
    expect(calls).toEqual(["load", "save", "save"]);
    store.dispose();
  });

  it("moves a book kept only in this browser to the server once, and then saves nothing unchanged", async () => {
    const before = saveContact(emptyAddressBook(), {
      id: "c-ana",
      name: "Ana",
      emails: ["ana@x.rs"],
      note: "iz starog",
      groups: [],
    });
    const { state, server } = memoryServer();
    const store = serverContactsStore(server, memoryCache(JSON.stringify(before)));
    expect((await store.read()).contacts[0]?.note).toBe("iz starog");
    await store.sync();
    expect(state.saves).toBe(1);
    expect(state.book?.contacts[0]?.note).toBe("iz starog");
    await store.sync();
    await store.flush();
    expect(state.loads).toBe(2);
    expect(state.saves).toBe(1);
    store.dispose();
  });

  it("saves at once when flushed (the page is hidden), not after the delay", async () => {
    const { state, server } = memoryServer();
    const store = serverContactsStore(server, memoryCache(), { delayMs: 60_000 });
    await store.update((b) => read(b, "ana@x.rs"));
    await store.flush();
    expect(state.saves).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(state.saves).toBe(1);
    store.dispose();
  });

  it("never fails a harvest for size: the least used correspondents make room", async () => {
    const now = Date.now();
    const big: AddressBook = { contacts: [], usage: [] };
    // The book's size is counted as it grows (ASCII: a character is a byte; a comma between
    // entries): measuring the whole book after every entry made this loop quadratic.
    let bytes = bookBytes(big);
    for (let i = 0; big.contacts.length < 5000 && bytes <= MAX_SERVER_BOOK_BYTES; i++) {
      const address = `correspondent.number.${i}@example.rs`;
      const contact = {
        id: `c-${i}`,
        name: `Correspondent ${i}`,
        emails: [address],
        note: "",
        groups: [],
        edited: now,
      };
      const usage = { address, score: 0.5, last: now - i * 60_000, count: 1 };
      big.contacts.push(contact);
      big.usage.push(usage);
      bytes += JSON.stringify(contact).length + JSON.stringify(usage).length + (i > 0 ? 2 : 0);
    }
    expect(bookBytes(big)).toBe(bytes);
    expect(bytes).toBeGreaterThan(MAX_SERVER_BOOK_BYTES);
    const { server } = memoryServer();
    const store = serverContactsStore(server, memoryCache(JSON.stringify(big)));
    const after = await store.update((b) => read(b, "nova@x.rs"));
    expect(bookBytes(after)).toBeLessThanOrEqual(MAX_SERVER_BOOK_BYTES);
    expect(after.contacts.map((c) => c.emails[0])).toContain("nova@x.rs");
    expect(after.contacts.map((c) => c.id)).toContain("c-0");
    store.dispose();
  });

  it("refuses a change when what the user kept would not fit, and keeps the book as it was", async () => {
    const { state, server } = memoryServer();
    const store = serverContactsStore(server, memoryCache());
    await store.update((b) => read(b, "ana@x.rs"));
    const ana = (await store.read()).contacts[0]!;
    const huge = { ...ana, note: "x".repeat(MAX_SERVER_BOOK_BYTES) };
    await expect(store.update((b) => saveContact(b, huge))).rejects.toBeInstanceOf(AddressBookFullError);
    expect((await store.read()).contacts[0]?.note).toBe("");
    await store.flush();
    expect(state.book?.contacts[0]?.note).toBe("");
    store.dispose();
  });
});
