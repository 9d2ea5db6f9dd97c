import { describe, expect, it } from "vitest";
import type { MessageView } from "@pismo/protocol/mime";
import { parsedMessage } from "./message-view-fixture";
import { messageRow } from "./message-row";
import { displayPop3Message } from "./pop3-display";

const row = {
  ...messageRow(
    {
      uid: "u1",
      folderId: "inbox",
      from: "Ana",
      fromAddress: "ana@primer.rs",
      to: "me@pismo.test",
      subject: "Izveštaj",
      date: "2026-06-02T07:00:00.000Z",
      size: 1234,
      seen: true,
      hasAttachment: true,
      headersOnly: false,
      onServer: true,
    },
    0,
  ),
  flagged: true,
};

function view(patch: Partial<MessageView> = {}): MessageView {
  return parsedMessage({
    subject: "Izveštaj",
    text: "plain",
    html: '<p><img src="cid:logo@x"></p>',
    attachments: [
      {
        id: "2",
        filename: "logo.png",
        mimeType: "image/png",
        size: 10,
        disposition: "inline",
        contentId: "logo@x",
        isMessage: false,
      },
      {
        id: "3",
        filename: null,
        mimeType: "application/pdf",
        size: 20,
        disposition: "attachment",
        contentId: null,
        isMessage: false,
      },
    ],
    ...patch,
  });
}

describe("displayPop3Message", () => {
  it("before the bytes are parsed, shows what the list row knows and no body yet", () => {
    const d = displayPop3Message(row, null);
    expect(d).toMatchObject({
      subject: "Izveštaj",
      from: null,
      fromText: "Ana",
      to: [],
      cc: [],
      seen: true,
      flagged: true,
      body: null,
      attachments: [],
      inlineImages: [],
    });
  });

  it("shows the HTML part when there is one, and the image it shows by cid: is no chip", () => {
    const d = displayPop3Message(row, view());
    expect(d.body).toEqual({ kind: "html", content: '<p><img src="cid:logo@x"></p>' });
    expect(d.from).toEqual({ name: "Ana", address: "ana@primer.rs" });
    expect(d.cc).toEqual([{ name: "Bob", address: "bob@primer.rs" }]);
    expect(d.attachments.map((a) => a.id)).toEqual(["3"]);
    expect(d.inlineImages.map((a) => a.id)).toEqual(["2"]);
  });

  it("falls back to the text part, then to no body", () => {
    expect(displayPop3Message(row, view({ html: null })).body).toEqual({ kind: "text", content: "plain" });
    expect(displayPop3Message(row, view({ html: null, text: null })).body).toEqual({
      kind: "none",
      content: "",
    });
  });

  it("turns the parser's notes into the charset and truncation notes", () => {
    const d = displayPop3Message(
      row,
      view({
        notes: [
          { code: "CHARSET_GUESSED", detail: "windows-1252 assumed." },
          { code: "TRUNCATED_BODY", detail: "cut" },
        ],
      }),
    );
    // The cut has its own line: its detail is not said in the charset's.
    expect(d.charsetNote).toEqual({ unknown: [] });
    expect(d.truncated).toBe(true);
    expect(
      displayPop3Message(row, view({ notes: [{ code: "TRUNCATED_BODY", detail: "cut" }] })).charsetNote,
    ).toBeNull();
  });
});
