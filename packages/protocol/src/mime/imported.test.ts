import { describe, expect, it } from "vitest";
import { importIdentity, startsAsMessage, withoutServerVerdicts, writtenAt } from "./imported";

const enc = new TextEncoder();
const latin1 = new TextDecoder("latin1");

describe("startsAsMessage", () => {
  it("takes a header block with a message's fields for a message", () => {
    expect(startsAsMessage(enc.encode("Received: by x\r\n\tfolded\r\nSubject: a\r\n\r\nb"))).toBe(true);
    expect(startsAsMessage(enc.encode("X-Mozilla-Status: 0001\nFrom: a@b\n\nc"))).toBe(true);
    expect(startsAsMessage(enc.encode("\ufeffFrom: a@b\r\nSubject: s\r\n\r\nc"))).toBe(true);
  });
  it("refuses what is not one: a PDF, HTML, a vCard, YAML, an mbox separator, nothing", () => {
    for (const text of [
      "%PDF-1.4",
      "<html>",
      "",
      "From a@b Mon Jan  1 00:00:00 2026\n",
      "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana\r\nEND:VCARD\r\n",
      "name: pismo\nversion: 1\n",
      "Note: this is text\nand more text\n",
    ])
      expect(startsAsMessage(enc.encode(text)), text).toBe(false);
  });
});

describe("writtenAt", () => {
  it("reads the Date field, folded or with a comment", () => {
    expect(
      writtenAt(
        enc.encode("Subject: a\r\nDate: Mon, 1 Jun 2026 10:05:00\r\n +0200 (CEST)\r\n\r\nb"),
      )?.toISOString(),
    ).toBe("2026-06-01T08:05:00.000Z");
  });
  it("gives none for a Date in the body, a bad one, or one no server would take", () => {
    const now = Date.parse("2026-12-05T00:00:00Z");
    expect(
      writtenAt(enc.encode("Subject: a\r\n\r\nDate: Mon, 1 Jun 2026 10:05:00 +0200\r\n"), now),
    ).toBeNull();
    expect(writtenAt(enc.encode("Date: yesterday\r\n\r\n"), now)).toBeNull();
    expect(writtenAt(enc.encode("Date: Sat, 1 Jan 12026 00:00:00 +0000\r\n\r\n"), now)).toBeNull();
    expect(writtenAt(enc.encode("Date: Thu, 1 Jan 1960 00:00:00 +0000\r\n\r\n"), now)).toBeNull();
  });
});

describe("withoutServerVerdicts", () => {
  it("renames the header block's Authentication-Results and keeps every other byte", () => {
    const raw = enc.encode(
      "Authentication-Results: mail.pismo.test; dmarc=pass header.from=banka.example\r\n" +
        "From: Banka <info@banka.example>\r\nSubject: čćšđž\r\n\r\n" +
        "Authentication-Results: in the body stays\r\n",
    );
    const kept = latin1.decode(withoutServerVerdicts(raw));
    expect(kept).toMatch(/^X-Imported-Authentication-Results: mail\.pismo\.test; dmarc=pass/);
    expect(kept).toContain("\r\n\r\nAuthentication-Results: in the body stays\r\n");
    expect(kept.replace("X-Imported-", "")).toBe(latin1.decode(raw));
    const plain = enc.encode("From: a@b\r\n\r\nx");
    expect(withoutServerVerdicts(plain)).toBe(plain);
  });
});

describe("importIdentity", () => {
  it("is the Message-ID's angle-bracketed part and the Date as written; none without a Message-ID", () => {
    const msg = (head: string) => enc.encode(`${head}\r\nSubject: s\r\n\r\nMessage-ID: <in-body@x>\r\n`);
    expect(
      importIdentity(
        msg(
          "Message-ID:\r\n  <abc.123@primer.rs> (comment)\r\nDate: Tue, 12 Mar 2019\r\n 09:30:00 +0100 (CET)",
        ),
      ),
    ).toEqual({ messageId: "<abc.123@primer.rs>", date: "Tue, 12 Mar 2019 09:30:00 +0100" });
    // A date with no zone, or before 1970: as written, the same wherever it is read.
    expect(importIdentity(msg("message-id: <x@y>\r\nDate: 1 Jan 1960 10:00:00"))).toEqual({
      messageId: "<x@y>",
      date: "1 Jan 1960 10:00:00",
    });
    expect(importIdentity(msg("message-id: <x@y>"))).toEqual({ messageId: "<x@y>", date: null });
    // Only the header's: a body line is not the message's identity.
    expect(importIdentity(msg("From: a@b"))).toBeNull();
    expect(importIdentity(msg("Message-ID: no brackets"))).toBeNull();
    // Too long to ask a server about: none.
    expect(importIdentity(msg(`Message-ID: <${"a".repeat(300)}@x>`))).toBeNull();
  });
});
