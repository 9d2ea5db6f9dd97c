// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "@pismo/protocol/search";
import { summarize } from "./parse-pool";
import { bodyText } from "./pulled-summary";
import { INBOX } from "./pop3-store";
import { freshStore, rawMessage } from "./pop3-test-store";

const withAttachment = new TextEncoder().encode(
  [
    "From: Ana Petrović <ana@primer.rs>",
    "To: Marko <marko@primer.rs>",
    "Cc: ivan@primer.rs",
    "Subject: Račun za novembar",
    "Date: Mon, 30 Nov 2026 10:00:00 +0100",
    "Message-ID: <racun-11@primer.rs>",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b"',
    "",
    "--b",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "U prilogu je račun.",
    "--b",
    'Content-Type: application/pdf; name="racun.pdf"',
    'Content-Disposition: attachment; filename="racun.pdf"',
    "Content-Transfer-Encoding: base64",
    "",
    "JVBERi0xLjQK",
    "--b--",
    "",
  ].join("\r\n"),
);

describe("the parse of a pulled message (in the Worker, or here without one)", () => {
  it("gives the row's fields, the addresses the filters match and the search text", async () => {
    const summary = await summarize("u1", withAttachment);
    expect(summary.fields).toMatchObject({
      from: "Ana Petrović",
      fromAddress: "ana@primer.rs",
      subject: "Račun za novembar",
      hasAttachment: true,
      messageId: "racun-11@primer.rs",
    });
    expect(summary.from).toBe("Ana Petrović <ana@primer.rs>");
    expect(summary.to).toEqual(["Marko <marko@primer.rs>", "ivan@primer.rs"]);
    expect(summary.text).toMatchObject({ uid: "u1", subject: "Račun za novembar" });
    expect(summary.text.body.trim()).toBe("U prilogu je račun.");
  });

  it("stores a batch with parses started as the messages arrived, and indexes their text", async () => {
    const store = freshStore();
    const items = [1, 2, 3].map((i) => {
      const raw = rawMessage(i);
      return { uid: `p${i}`, raw, size: raw.length, mode: "full" as const, summary: summarize(`p${i}`, raw) };
    });
    const stored = await store.storeMessages(items, 5000);
    expect(stored.map((m) => m.subject)).toEqual(["poruka 1", "poruka 2", "poruka 3"]);
    expect((await store.list(INBOX)).map((m) => m.uid).sort()).toEqual(["p1", "p2", "p3"]);
    const parsed = parseSearchQuery("subject:poruka", { now: Date.UTC(2026, 10, 30) });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const found = await store.search.search(parsed.query, INBOX, (id) => id);
    expect(found.map((m) => m.uid).sort()).toEqual(["p1", "p2", "p3"]);
  });

  it("says the batch is committed before it writes the search texts (the pull acknowledges there)", async () => {
    const store = freshStore();
    const raw = rawMessage(1);
    const order: string[] = [];
    const noteTexts = store.search.noteTexts.bind(store.search);
    store.search.noteTexts = async (texts) => {
      order.push("search texts");
      await noteTexts(texts);
    };
    await store.storeMessages([{ uid: "c1", raw, size: raw.length, mode: "full" }], 1, (stored) => {
      order.push(`committed ${stored.map((m) => m.uid).join()}`);
    });
    expect(order).toEqual(["committed c1", "search texts"]);
    expect(await store.get("c1")).toBeDefined();
  });

  it("reads numeric character references that name no character as U+FFFD instead of throwing", () => {
    const html = (body: string) => bodyText({ text: null, html: `<p>${body}</p>` }).trim();
    expect(html("a &#99999999; b &#x110000; c &#xD800; d &#0;")).toBe("a \ufffd b \ufffd c \ufffd d \ufffd");
    expect(html("&#269;&#x161; &#128231;")).toBe("čš 📧");
  });

  it("stores a hostile message in the same batch as the others: one message cannot stop every pull", async () => {
    const hostile = new TextEncoder().encode(
      [
        "From: x@primer.rs",
        "To: marko@primer.rs",
        "Subject: Ne otvaraj",
        "MIME-Version: 1.0",
        "Content-Type: text/html; charset=utf-8",
        "",
        "<p>&#99999999;&#x7FFFFFFF;</p>",
        "",
      ].join("\r\n"),
    );
    const store = freshStore();
    const items = [
      {
        uid: "h1",
        raw: hostile,
        size: hostile.length,
        mode: "full" as const,
        summary: summarize("h1", hostile),
      },
      ...[2, 3].map((i) => {
        const raw = rawMessage(i);
        return { uid: `p${i}`, raw, size: raw.length, mode: "full" as const };
      }),
    ];
    const stored = await store.storeMessages(items, 5000);
    expect(stored.map((m) => m.subject)).toEqual(["Ne otvaraj", "poruka 2", "poruka 3"]);
  });
});
