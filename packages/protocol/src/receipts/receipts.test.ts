import { describe, expect, it } from "vitest";
import { readHeaderFields } from "../trust/header-fields";
import { receiptSendSchema } from "../schemas/compose";
import { bracketedMessageId, receiptReport } from "./report";
import { isDispositionReport, receiptRequestOf } from "./request";

const headers = (...lines: string[]) => readHeaderFields(`${lines.join("\r\n")}\r\n\r\nbody`);
const of = (...lines: string[]) => receiptRequestOf(headers(...lines));

describe("a read-receipt request (Disposition-Notification-To, RFC 8098 §2.1)", () => {
  it("reads the address, and says whether it is the sender's own", () => {
    expect(
      of(
        "Return-Path: <Jelena@Primer.rs>",
        "From: Jelena <jelena@primer.rs>",
        'Disposition-Notification-To: "Jelena P." <jelena@primer.rs>',
      ),
    ).toEqual({ to: ["jelena@primer.rs"], elsewhere: false });
    // Without a Return-Path (a copy put in by APPEND), the From field decides.
    expect(of("From: jelena@primer.rs", "Disposition-Notification-To: <jelena@primer.rs>")).toEqual({
      to: ["jelena@primer.rs"],
      elsewhere: false,
    });
  });

  it("tells a receipt that would go somewhere else than the sender", () => {
    expect(
      of(
        "Return-Path: <jelena@primer.rs>",
        "From: jelena@primer.rs",
        "Disposition-Notification-To: tracker@reklame.example",
      ),
    ).toEqual({ to: ["tracker@reklame.example"], elsewhere: true });
    // A null Return-Path (<>) is no sender: From decides.
    expect(of("Return-Path: <>", "From: a@b.rs", "Disposition-Notification-To: a@b.rs")?.elsewhere).toBe(
      false,
    );
    expect(
      of("From: a@b.rs", "Disposition-Notification-To: a@b.rs, c@d.rs")?.elsewhere,
      "one of two addresses is the sender's",
    ).toBe(true);
  });

  it("asks nothing for a message without one, or of a receipt (no receipt of a receipt)", () => {
    expect(of("From: a@b.rs", "Subject: x")).toBeNull();
    const report = [
      "From: a@b.rs",
      "Disposition-Notification-To: a@b.rs",
      'Content-Type: multipart/report; report-type="disposition-notification";',
      ' boundary="x"',
    ];
    expect(isDispositionReport(headers(...report))).toBe(true);
    expect(of(...report)).toBeNull();
    expect(isDispositionReport(headers("Content-Type: multipart/report; report-type=delivery-status"))).toBe(
      false,
    );
  });

  it("refuses hostile fields: not an address, too many, two fields, an endless one", () => {
    expect(of("From: a@b.rs", "Disposition-Notification-To: nobody")).toBeNull();
    expect(of("From: a@b.rs", "Disposition-Notification-To: <javascript:alert(1)>")).toBeNull();
    expect(of("From: a@b.rs", "Disposition-Notification-To: a@b.rs, x@y.rs, z@w.rs, q@r.rs")).toBeNull();
    expect(
      of("From: a@b.rs", "Disposition-Notification-To: a@b.rs", "Disposition-Notification-To: x@y.rs"),
    ).toBeNull();
    expect(of("From: a@b.rs", `Disposition-Notification-To: ${"a".repeat(3000)}@b.rs`)).toBeNull();
    expect(of("From: a@b.rs", "Disposition-Notification-To: a@b.rs\r\nBcc: x@y.rs")).toEqual({
      to: ["a@b.rs"],
      elsewhere: false,
    });
  });
});

describe("the receipt (RFC 8098 §3)", () => {
  it("says manually sent and displayed, names the reader and the original, in the reader's language", () => {
    const r = receiptReport({
      reader: "milan@primer.rs",
      subject: "Sastanak u\r\nBcc: x@y.rs",
      originalMessageId: "<abc@primer.rs>",
      language: "sr",
    });
    expect(r.subject).toBe("Pročitano: Sastanak u Bcc: x@y.rs");
    expect(r.notification).toBe(
      [
        "Reporting-UA: Pismo",
        "Final-Recipient: rfc822;milan@primer.rs",
        "Original-Message-ID: <abc@primer.rs>",
        "Disposition: manual-action/MDN-sent-manually; displayed",
        "",
      ].join("\r\n"),
    );
    expect(r.text).toContain("milan@primer.rs");
    const en = receiptReport({ reader: "m@p.rs", subject: "Hi", originalMessageId: null, language: "en" });
    expect(en.subject).toBe("Read: Hi");
    expect(en.notification).not.toContain("Original-Message-ID");
  });

  it("names the original by its Message-ID in angle brackets, or not at all", () => {
    expect(bracketedMessageId("abc@primer.rs")).toBe("<abc@primer.rs>");
    expect(bracketedMessageId(" <abc@primer.rs> ")).toBe("<abc@primer.rs>");
    expect(bracketedMessageId(null)).toBeNull();
    expect(bracketedMessageId("a b@c")).toBeNull();
    expect(bracketedMessageId("<a@b>\r\nBcc: x@y")).toBeNull();
  });

  it("takes from the page only addresses and a Message-ID that cannot carry a header", () => {
    const ok = { to: ["a@b.rs"], subject: "x", originalMessageId: "<a@b>", language: "en" };
    expect(receiptSendSchema.safeParse(ok).success).toBe(true);
    expect(receiptSendSchema.safeParse({ ...ok, to: ["a@b.rs\r\nBcc: c@d.rs"] }).success).toBe(false);
    expect(receiptSendSchema.safeParse({ ...ok, to: [] }).success).toBe(false);
    expect(receiptSendSchema.safeParse({ ...ok, originalMessageId: "<a@b>\r\nX: y" }).success).toBe(false);
    expect(receiptSendSchema.safeParse({ ...ok, to: ["a@b.rs", "c@d.rs", "e@f.rs", "g@h.rs"] }).success).toBe(
      false,
    );
  });
});
