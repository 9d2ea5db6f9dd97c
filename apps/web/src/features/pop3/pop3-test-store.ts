import "fake-indexeddb/auto";
import { afterEach } from "vitest";
import { Pop3Store, pop3DatabaseName } from "./pop3-store";

// For the POP3 store's tests: a fresh database per test (fake-indexeddb), wiped afterwards.

const enc = new TextEncoder();
let n = 0;
const stores: Pop3Store[] = [];

afterEach(async () => {
  for (const s of stores.splice(0)) await s.wipe();
});

export function freshStore(): Pop3Store {
  n += 1;
  const store = new Pop3Store(
    pop3DatabaseName({ email: `test${n}@pismo.test`, server: { host: "mail.test", port: 110 } }),
  );
  stores.push(store);
  return store;
}

/** Opens an existing database again; wiped after the test like the others. */
export function reopen(name: string): Pop3Store {
  const store = new Pop3Store(name);
  stores.push(store);
  return store;
}

/** A windows-1250 message numbered i, with "Šaša" as its body, stored byte for byte. */
export function rawMessage(
  i: number,
  extra: { from?: string; subject?: string; to?: string } = {},
): Uint8Array {
  const bytes = [
    ...enc.encode(
      `From: ${extra.from ?? `Pošiljalac ${i} <sender${i}@primer.rs>`}\r\nTo: ${extra.to ?? "me@pismo.test"}\r\nSubject: ${extra.subject ?? `poruka ${i}`}\r\nDate: Mon, ${i} Jun 2026 10:00:00 +0200\r\n`,
    ),
    ...enc.encode("Content-Type: text/plain; charset=windows-1250\r\n\r\n"),
    0x8a,
    0x61,
    0x9a,
    0x61,
    0x0d,
    0x0a,
  ];
  return new Uint8Array(bytes);
}
