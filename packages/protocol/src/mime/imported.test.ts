import { describe, expect, it } from "vitest";
import { startsAsMessage, writtenAt } from "./imported";

const enc = new TextEncoder();

describe("startsAsMessage", () => {
  it("takes a header block for a message, and refuses what is not one", () => {
    expect(startsAsMessage(enc.encode("Received: by x\r\nSubject: a\r\n\r\nb"))).toBe(true);
    expect(startsAsMessage(enc.encode("X-Mozilla-Status: 0001\nFrom: a@b\n\nc"))).toBe(true);
    expect(startsAsMessage(enc.encode("%PDF-1.4"))).toBe(false);
    expect(startsAsMessage(enc.encode("<html>"))).toBe(false);
    expect(startsAsMessage(enc.encode(""))).toBe(false);
    expect(startsAsMessage(enc.encode("From a@b Mon Jan  1 00:00:00 2026\n"))).toBe(false);
  });
});

describe("writtenAt", () => {
  it("reads the Date field, folded or with a comment, and none when it is missing or bad", () => {
    expect(
      writtenAt(
        enc.encode("Subject: a\r\nDate: Mon, 1 Jun 2026 10:05:00\r\n +0200 (CEST)\r\n\r\nb"),
      )?.toISOString(),
    ).toBe("2026-06-01T08:05:00.000Z");
    expect(writtenAt(enc.encode("Subject: a\r\n\r\nDate: Mon, 1 Jun 2026 10:05:00 +0200\r\n"))).toBeNull();
    expect(writtenAt(enc.encode("Date: yesterday\r\n\r\n"))).toBeNull();
  });
});
