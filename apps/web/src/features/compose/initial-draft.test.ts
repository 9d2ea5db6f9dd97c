// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { threadHeaders } from "@pismo/protocol/compose";
import { draftAttachmentSchema } from "@pismo/protocol/schemas";
import { initialFields, picturesShown, sourceOfDetail } from "./initial-draft";
import { i18n } from "@/i18n";
import { messageDetail } from "../imap/message-detail-fixture";

const detail = messageDetail({
  subject: "Slika u tekstu",
  body: { kind: "html", content: '<p>Vidi <img src="cid:logo@x"></p>', charsetNote: null, truncated: false },
  attachments: [
    {
      part: "2",
      filename: "",
      mimeType: "image/png",
      size: 10,
      contentId: "logo@x",
      inline: true,
      isMessage: false,
    },
    {
      part: "3",
      filename: "plan.pdf",
      mimeType: "application/pdf",
      size: 20,
      contentId: null,
      inline: false,
      isMessage: false,
    },
    // A Content-ID that could not go out again (a space), and an SVG (a document, with
    // script, never shown in the app's own page): plain files.
    {
      part: "5",
      filename: "",
      mimeType: "image/png",
      size: 5,
      contentId: "slika 1@x",
      inline: true,
      isMessage: false,
    },
    {
      part: "6",
      filename: "",
      mimeType: "image/svg+xml",
      size: 5,
      contentId: "crtez@x",
      inline: true,
      isMessage: false,
    },
    // A Content-ID on a file that is not shown inline: an ordinary attachment.
    {
      part: "4",
      filename: "a.txt",
      mimeType: "text/plain",
      size: 5,
      contentId: "a@x",
      inline: false,
      isMessage: false,
    },
  ],
});

describe("what a forward of an IMAP message carries", () => {
  it("the images its HTML shows by cid:, under their Content-IDs, beside its files", () => {
    const { attachments } = sourceOfDetail(detail);
    expect(attachments).toEqual([
      expect.objectContaining({ part: "2", filename: "image-2.png", contentId: "logo@x" }),
      expect.objectContaining({ part: "3", filename: "plan.pdf" }),
      expect.objectContaining({ part: "5", filename: "image-5.png" }),
      expect.objectContaining({ part: "6", filename: "attachment-6" }),
      expect.objectContaining({ part: "4", filename: "a.txt" }),
    ]);
    for (const a of attachments.slice(1)) expect(a).not.toHaveProperty("contentId");
    // What the gateway is sent passes its schema, Content-ID included.
    for (const a of attachments) expect(draftAttachmentSchema.parse(a)).toEqual(a);
  });
});

describe("a forwarded part's name", () => {
  it("is one the draft takes, whatever its sender named it (a decoded CR/LF, a control character, too long)", () => {
    const part = (part: string, filename: string) => ({
      part,
      filename,
      mimeType: "application/pdf",
      size: 1,
      contentId: null,
      inline: false,
      isMessage: false,
    });
    const { attachments } = sourceOfDetail(
      messageDetail({
        attachments: [
          part("2", "racun\r\nX-Injected: 1.pdf"),
          part("3", "plan\u0007.pdf"),
          part("4", `${"izveštaj ".repeat(40)}final.pdf`),
          part("5", "\r\n"),
        ],
      }),
    );
    expect(attachments.map((a) => a.filename)).toEqual([
      "racun X-Injected: 1.pdf",
      "plan .pdf",
      expect.stringMatching(/^izveštaj izveštaj .*\.pdf$/),
      "attachment-5",
    ]);
    expect(attachments[2]!.filename.length).toBeLessThanOrEqual(255);
    for (const a of attachments) expect(draftAttachmentSchema.parse(a)).toEqual(a);
  });
});

describe("what a reply carries", () => {
  it("the pictures its quote shows by cid:, not the original's files", () => {
    for (const mode of ["reply", "replyAll"] as const) {
      const fields = initialFields(mode, sourceOfDetail(detail), "me@x", i18n.t, "en");
      expect(fields.attachments).toEqual([
        expect.objectContaining({ kind: "forward", part: "2", contentId: "logo@x" }),
      ]);
      expect(fields.html).toContain('src="cid:logo@x"');
    }
  });

  it("keeps a picture only while the text shows it, and none in plain text", () => {
    const [logo] = initialFields("reply", sourceOfDetail(detail), "me@x", i18n.t, "en").attachments;
    const amp = { ...logo!, contentId: "a&b@x" };
    const file = {
      kind: "upload" as const,
      id: "u".repeat(16),
      filename: "plan.pdf",
      contentType: "application/pdf",
      size: 1,
    };
    expect(picturesShown([logo!, file], '<p><img src="cid:logo@x"></p>')).toEqual([logo, file]);
    expect(picturesShown([logo!, file], "<p>OK</p>")).toEqual([file]);
    expect(picturesShown([logo!, file], null)).toEqual([file]);
    // As the editor writes the attribute: an ampersand escaped.
    expect(picturesShown([amp], '<img src="cid:a&amp;b@x">')).toEqual([amp]);
  });

  it("nothing when the original is plain text", () => {
    const text = sourceOfDetail({ ...detail, body: { ...detail.body, kind: "text", content: "Vidi" } });
    expect(initialFields("reply", text, "me@x", i18n.t, "en").attachments).toEqual([]);
  });
});

describe("a reply's thread", () => {
  it("follows the original's In-Reply-To when it has no References (RFC 5322 §3.6.4)", () => {
    const source = sourceOfDetail(
      messageDetail({ messageId: "<m@x>", inReplyTo: "<first@x>", references: [] }),
    );
    expect(threadHeaders(source)).toEqual({ inReplyTo: "<m@x>", references: ["<first@x>", "<m@x>"] });
  });
});
