import { describe, expect, it } from "vitest";
import { headerBlock, sameMessage } from "./same-message";

const enc = new TextEncoder();
const message = (head: string, body = "tekst\r\n") => enc.encode(`${head}\r\n\r\n${body}`);

describe("sameMessage", () => {
  const raw = message("Received: by mx; Mon, 1 Jun 2026 10:00:01 +0200\r\nSubject: a\r\nMessage-ID: <a@x>");
  const row = { size: raw.length, messageId: "a@x", date: "2026-06-01T08:00:00.000Z" };

  it("is the same message: same size, Message-ID and Date", () => {
    expect(sameMessage(row, null, { size: raw.length, raw, messageId: "a@x", date: row.date })).toBe(true);
  });

  it("is another message under the same size with another Message-ID", () => {
    const other = message(
      "Received: by mx; Mon, 1 Jun 2026 11:00:01 +0200\r\nSubject: b\r\nMessage-ID: <b@x>",
    );
    expect(other.length).toBe(raw.length);
    expect(sameMessage(row, raw, { size: other.length, raw: other, messageId: "b@x", date: row.date })).toBe(
      false,
    );
  });

  it("is another message when the size differs, whatever its headers", () => {
    expect(sameMessage(row, raw, { size: raw.length + 1, raw, messageId: "a@x", date: row.date })).toBe(
      false,
    );
  });

  it("without a Message-ID, is the same message only by its header block, byte for byte", () => {
    const bare = { size: raw.length, messageId: null, date: null };
    expect(sameMessage(bare, raw, { size: raw.length, raw, messageId: null, date: null })).toBe(true);
    const changed = message(
      "Received: by mx; Mon, 1 Jun 2026 10:00:02 +0200\r\nSubject: a\r\nMessage-ID: <a@x>",
    );
    expect(sameMessage(bare, raw, { size: raw.length, raw: changed, messageId: null, date: null })).toBe(
      false,
    );
    // No bytes here and nothing to tell it by: stored again rather than taken for the old one.
    expect(sameMessage(bare, null, { size: raw.length, raw, messageId: null, date: null })).toBe(false);
  });

  it("compares a headers-only copy's header block with the whole message's", () => {
    const headers = headerBlock(raw);
    expect(new TextDecoder().decode(headers).endsWith("<a@x>\r\n\r\n")).toBe(true);
    const bare = { size: raw.length, messageId: null, date: null };
    expect(sameMessage(bare, headers, { size: raw.length, raw, messageId: null, date: null })).toBe(true);
  });
});
