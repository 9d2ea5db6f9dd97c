// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { MboxReader, importedFromMbox, mboxMessage, type ImportedMessage } from "../shared/mbox";
import { leftOutOfExport, mboxEntries } from "./pop3-export";
import { INBOX, type Pop3Store, type StoredMessage } from "./pop3-store";
import { freshStore, rawMessage } from "./pop3-test-store";

// Export folder writes this browser's messages as an mbox; importing that file here again (or
// on another computer) must bring each message back once, whole.

const enc = new TextEncoder();

/** A message as a server delivers it: with a Message-ID, and its verdict header. */
function delivered(i: number): Uint8Array {
  return enc.encode(
    `Authentication-Results: mx.pismo.test; dkim=pass header.d=primer.rs\r\nMessage-ID: <m${i}@primer.rs>\r\nFrom: sender${i}@primer.rs\r\nTo: me@pismo.test\r\nSubject: poruka ${i}\r\nDate: Mon, ${i} Jun 2026 10:00:00 +0200\r\n\r\nTelo poruke ${i}.\r\n`,
  );
}

/** The rows as an exported mbox file, read back as an import reads it. */
async function exportedAndReadBack(
  store: Pop3Store,
  rows: readonly StoredMessage[],
): Promise<ImportedMessage[]> {
  const reader = new MboxReader();
  const read: Array<Uint8Array | null> = [];
  for await (const entry of mboxEntries(store, rows)) read.push(...reader.push(mboxMessage(entry)));
  read.push(...reader.end());
  return read.flatMap((raw) => {
    const message = raw && importedFromMbox(raw);
    return message ? [message] : [];
  });
}

describe("POP3 export and import", () => {
  it("brings back no second copy of pulled mail exported and imported into its folder", async () => {
    const store = freshStore();
    // The size the server listed, not the stored bytes' (which an import's renamed verdict
    // header and the mbox's line ends change anyway).
    await store.storeMessage("u1", delivered(1), { size: 4321, mode: "full" });
    await store.storeMessage("u2", delivered(2), { size: delivered(2).length, mode: "full" });
    const file = await exportedAndReadBack(store, await store.list(INBOX));
    expect(file).toHaveLength(2);
    expect(await store.importMessages(INBOX, file)).toEqual({ stored: 0, already: 2 });
    expect(await store.count(INBOX)).toBe(2);
  });

  it("imports again a message without a Message-ID: nothing tells it from another", async () => {
    const store = freshStore();
    await store.storeMessage("u1", rawMessage(1), { size: 100, mode: "full" });
    const file = await exportedAndReadBack(store, await store.list(INBOX));
    expect(await store.importMessages(INBOX, file)).toEqual({ stored: 1, already: 0 });
  });

  it("leaves out of an export the messages only whose headers are here, and counts them", async () => {
    const store = freshStore();
    await store.storeMessage("whole", delivered(1), { size: 500, mode: "full" });
    // Pulled with "download only headers above N KB": its body is still on the server.
    const text = new TextDecoder().decode(delivered(2));
    const head = enc.encode(text.slice(0, text.indexOf("\r\n\r\n") + 4));
    await store.storeMessage("headers", head, { size: 900_000, mode: "headers" });
    const rows = await store.list(INBOX);
    const exported: string[] = [];
    for await (const entry of mboxEntries(store, rows))
      exported.push(/^Subject: (.*)$/m.exec(new TextDecoder().decode(entry.raw))?.[1] ?? "");
    expect(exported).toEqual(["poruka 1"]);
    expect(leftOutOfExport(rows)).toBe(1);
  });

  it("takes the whole copy of a message only whose headers are here", async () => {
    const store = freshStore();
    const text = new TextDecoder().decode(delivered(3));
    await store.storeMessage("headers", enc.encode(text.slice(0, text.indexOf("\r\n\r\n") + 4)), {
      size: 900_000,
      mode: "headers",
    });
    const whole = importedFromMbox(delivered(3));
    expect(await store.importMessages(INBOX, whole ? [whole] : [])).toEqual({ stored: 1, already: 0 });
  });

  it("keeps two messages that share a Message-ID but have no Date", async () => {
    const store = freshStore();
    const undated = (subject: string) =>
      enc.encode(
        `Message-ID: <same@primer.rs>\r\nFrom: a@primer.rs\r\nSubject: ${subject}\r\n\r\n${subject}\r\n`,
      );
    await store.storeMessage("u1", undated("prva"), { size: 100, mode: "full" });
    const second = importedFromMbox(undated("druga"));
    expect(await store.importMessages(INBOX, second ? [second] : [])).toEqual({ stored: 1, already: 0 });
  });
});
