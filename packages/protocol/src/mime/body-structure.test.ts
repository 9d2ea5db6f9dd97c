// @vitest-environment node
import { describe, expect, it } from "vitest";
import { bodyStructureSchema, pickDisplayParts } from "./body-structure";
import type { BodyStructureNode } from "./body-structure";

describe("pickDisplayParts", () => {
  it("takes the whole body of a single-part message as part 1", () => {
    const structure: BodyStructureNode = {
      type: "text/plain",
      parameters: { charset: "windows-1250" },
      encoding: "quoted-printable",
      size: 120,
    };
    expect(pickDisplayParts(structure)).toEqual({
      text: { part: "1", charset: "windows-1250", encoding: "quoted-printable", size: 120 },
      inlineImages: [],
      attachments: [],
      notes: [],
    });
  });

  it("prefers HTML in alternative, collects cid images, attachments and attached messages", () => {
    // The shape imapflow gives for mixed(alternative(plain, related(html, png)), pdf, rfc822)
    const structure: BodyStructureNode = {
      type: "multipart/mixed",
      parameters: { boundary: "o" },
      childNodes: [
        {
          part: "1",
          type: "multipart/alternative",
          childNodes: [
            { part: "1.1", type: "text/plain", parameters: { charset: "utf-8" }, encoding: "7bit", size: 10 },
            {
              part: "1.2",
              type: "multipart/related",
              childNodes: [
                {
                  part: "1.2.1",
                  type: "text/html",
                  parameters: { charset: "iso-8859-2" },
                  encoding: "base64",
                  size: 300,
                },
                { part: "1.2.2", type: "image/png", id: "<logo@x>", encoding: "base64", size: 2048 },
              ],
            },
          ],
        },
        {
          part: "2",
          type: "application/pdf",
          disposition: "attachment",
          dispositionParameters: { filename: "račun.pdf" },
          size: 5000,
        },
        {
          part: "3",
          type: "message/rfc822",
          size: 900,
          envelope: { subject: "x" },
          childNodes: [{ part: "3", type: "text/plain" }],
        },
        {
          part: "4",
          type: "text/plain",
          disposition: "attachment",
          parameters: { name: "=?utf-8?B?xb51cmthLnR4dA==?=" },
          size: 5,
        },
      ],
    };
    expect(bodyStructureSchema.safeParse(structure).success).toBe(true);
    expect(pickDisplayParts(structure)).toEqual({
      text: { part: "1.1", charset: "utf-8", encoding: "7bit", size: 10 },
      html: { part: "1.2.1", charset: "iso-8859-2", encoding: "base64", size: 300 },
      inlineImages: [{ part: "1.2.2", contentId: "logo@x", mimeType: "image/png", size: 2048 }],
      attachments: [
        {
          part: "2",
          filename: "račun.pdf",
          mimeType: "application/pdf",
          size: 5000,
          contentId: null,
          disposition: "attachment",
          isMessage: false,
        },
        {
          part: "3",
          filename: null,
          mimeType: "message/rfc822",
          size: 900,
          contentId: null,
          disposition: "attachment",
          isMessage: true,
        },
        {
          part: "4",
          filename: "žurka.txt",
          mimeType: "text/plain",
          size: 5,
          contentId: null,
          disposition: "attachment",
          isMessage: false,
        },
      ],
      notes: [],
    });
  });

  it("falls back to plain text and computes missing part numbers", () => {
    const structure: BodyStructureNode = {
      type: "multipart/mixed",
      childNodes: [
        {
          type: "multipart/alternative",
          childNodes: [{ type: "text/plain" }, { type: "text/calendar", parameters: { method: "REQUEST" } }],
        },
        { type: "image/jpeg", disposition: "inline", dispositionParameters: { filename: "a.jpg" } },
      ],
    };
    expect(pickDisplayParts(structure)).toEqual({
      text: { part: "1.1", charset: null, encoding: null, size: null },
      inlineImages: [],
      attachments: [
        {
          part: "1.2",
          filename: null,
          mimeType: "text/calendar",
          size: null,
          contentId: null,
          disposition: "attachment",
          isMessage: false,
        },
        {
          part: "2",
          filename: "a.jpg",
          mimeType: "image/jpeg",
          size: null,
          contentId: null,
          disposition: "inline",
          isMessage: false,
        },
      ],
      notes: [],
    });
  });

  it("shows the root's body (TEXT) of a multipart without a boundary, with a MALFORMED note", () => {
    // What Dovecot 2.3 reports for "Content-Type: multipart/mixed" with no boundary parameter:
    // one invented, empty text/plain child. The text is the root's body, fetched as BODY[TEXT].
    const structure: BodyStructureNode = {
      type: "multipart/alternative",
      parameters: { charset: "utf-8" },
      childNodes: [
        {
          part: "1",
          type: "text/plain",
          parameters: { charset: "us-ascii" },
          encoding: "7bit",
          size: 0,
          lineCount: 0,
        },
      ],
    };
    expect(pickDisplayParts(structure)).toEqual({
      text: { part: "TEXT", charset: "utf-8", encoding: null, size: null },
      inlineImages: [],
      attachments: [],
      notes: [
        {
          code: "MALFORMED",
          detail:
            "A multipart/alternative part has no parts (it has no boundary parameter); its body is shown as plain text.",
        },
      ],
    });
  });

  it("shows a nested multipart without a boundary by its own part number", () => {
    const structure: BodyStructureNode = {
      type: "multipart/mixed",
      parameters: { BOUNDARY: "o" },
      childNodes: [
        {
          part: "1",
          type: "multipart/related",
          encoding: "quoted-printable",
          childNodes: [{ part: "1.1", type: "text/plain", size: 0 }],
        },
        { part: "2", type: "application/pdf", parameters: { name: "a.pdf" }, size: 9 },
      ],
    };
    const parts = pickDisplayParts(structure);
    expect(parts.text).toEqual({ part: "1", charset: null, encoding: "quoted-printable", size: null });
    expect(parts.attachments.map((a) => a.part)).toEqual(["2"]);
    expect(parts.notes.map((n) => n.code)).toEqual(["MALFORMED"]);
  });

  it("leaves a multipart with a boundary alone, even with one empty part", () => {
    const structure: BodyStructureNode = {
      type: "multipart/mixed",
      parameters: { boundary: "zzz" },
      childNodes: [{ part: "1", type: "text/plain", parameters: { charset: "us-ascii" }, size: 0 }],
    };
    const parts = pickDisplayParts(structure);
    expect(parts.text?.part).toBe("1");
    expect(parts.notes).toEqual([]);
  });

  it("stays bounded on absurd structures", () => {
    let node: BodyStructureNode = { type: "text/html" };
    for (let i = 0; i < 1000; i++) node = { type: "multipart/mixed", childNodes: [node] };
    expect(pickDisplayParts(node).html).toBeUndefined();
    const wide: BodyStructureNode = {
      type: "multipart/mixed",
      childNodes: Array.from({ length: 5000 }, () => ({ type: "application/octet-stream" })),
    };
    expect(pickDisplayParts(wide).attachments.length).toBeLessThan(500);
  });
});
