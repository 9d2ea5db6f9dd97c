import { describe, expect, it } from "vitest";
import { emptyDraft } from "@pismo/protocol/compose";
import { parsedMessage } from "./message-view-fixture";
import { fieldsFromDraft } from "../compose/initial-draft";
import { draftRow, messageRow, receivedFields, sentRow } from "./message-row";
import { DRAFTS, SENT } from "./pop3-database";

const view = parsedMessage;

const attachment = {
  id: "2",
  filename: "a.pdf",
  mimeType: "application/pdf",
  size: 10,
  contentId: null,
  isMessage: false,
} as const;

describe("the list row of a stored message", () => {
  it("orders by the Date header, or by when it was stored when there is none", () => {
    const base = {
      uid: "u",
      folderId: "inbox",
      from: "",
      fromAddress: "",
      to: "",
      subject: "",
      size: 1,
      seen: false,
      hasAttachment: false,
      headersOnly: false,
      onServer: true,
    };
    expect(messageRow({ ...base, date: "2026-06-02T07:00:00.000Z" }, 5).sortKey).toBe(
      Date.parse("2026-06-02T07:00:00.000Z"),
    );
    expect(messageRow({ ...base, date: null }, 5)).toMatchObject({
      sortKey: 5,
      storedAt: 5,
      flagged: false,
      deletedLocally: false,
    });
  });

  it("shows a received message's sender by name and lists To and Cc with addresses", () => {
    expect(receivedFields(view())).toEqual({
      from: "Ana",
      fromAddress: "ana@primer.rs",
      to: "me@pismo.test, Bob <bob@primer.rs>",
      subject: "Račun",
      date: "2026-06-02T07:00:00.000Z",
      hasAttachment: false,
      // Kept for conversations, without the angle brackets.
      messageId: "m@x",
      inReplyTo: null,
      references: [],
    });
  });

  it("marks only real attachments, not inline images", () => {
    const inline = { ...attachment, disposition: "inline" as const, contentId: "img" };
    expect(receivedFields(view({ attachments: [inline] })).hasAttachment).toBe(false);
    const real = { ...attachment, disposition: "attachment" as const };
    expect(receivedFields(view({ attachments: [real] })).hasAttachment).toBe(true);
  });

  it("lists a sent copy by its recipients, Bcc included, read and never on the server", () => {
    const row = sentRow("s1", view({ bcc: [{ name: "", address: "tajna@primer.rs" }] }), 42, 7);
    expect(row).toMatchObject({
      uid: "s1",
      folderId: SENT,
      from: "me@pismo.test, Bob, tajna@primer.rs",
      fromAddress: "ana@primer.rs",
      size: 42,
      seen: true,
      onServer: false,
    });
  });

  it("lists a draft by its recipients as typed, dated when it was saved", () => {
    const fields = { ...fieldsFromDraft(emptyDraft(), false), to: " bob@primer.rs ", subject: "Nacrt" };
    expect(draftRow("d1", fields, 1_000)).toMatchObject({
      uid: "d1",
      folderId: DRAFTS,
      from: "bob@primer.rs",
      to: "bob@primer.rs",
      subject: "Nacrt",
      date: new Date(1_000).toISOString(),
      sortKey: 1_000,
      seen: true,
      hasAttachment: false,
    });
  });
});
