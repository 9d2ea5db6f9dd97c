import { describe, expect, it } from "vitest";
import { draftAttachmentSchema } from "../schemas/compose";
import { hasHeaderControl } from "../mime/header-values";
import { MAX_ATTACHMENT_NAME, safeAttachmentName } from "./attachment-name";

/** Whether the draft (and so every save and Send) takes `filename` for a forwarded part. */
const draftTakes = (filename: string) =>
  draftAttachmentSchema.safeParse({
    kind: "forward",
    folder: "INBOX",
    uid: 1,
    part: "2",
    filename,
    contentType: "application/pdf",
    size: 1,
  }).success;

describe("safeAttachmentName", () => {
  it("leaves an ordinary name as it is", () => {
    for (const name of ["plan.pdf", "Izveštaj za 2026. godinu.xlsx", "Извештај.docx", "a  b.txt"])
      expect(safeAttachmentName(name)).toBe(name);
  });

  it("turns control characters (a decoded CR/LF, TAB, NUL, DEL, C1) and direction overrides into spaces", () => {
    expect(safeAttachmentName("racun\r\nBcc: x@y.rs.pdf")).toBe("racun Bcc: x@y.rs.pdf");
    expect(safeAttachmentName("a\tb\u0000c\u007fd\u0085e.txt")).toBe("a b c d e.txt");
    expect(safeAttachmentName("invoice\u202Efdp.exe")).toBe("invoice fdp.exe");
    expect(safeAttachmentName("\r\n plan.pdf \n")).toBe("plan.pdf");
    expect(safeAttachmentName("\r\n\t")).toBe("");
  });

  it("shortens a name too long to the draft's bound, its extension kept", () => {
    const long = `${"izveštaj ".repeat(100)}.pdf`;
    const short = safeAttachmentName(long);
    expect(short).toHaveLength(MAX_ATTACHMENT_NAME);
    expect(short.endsWith("izveštaj.pdf") || short.endsWith(".pdf")).toBe(true);
    expect(short.startsWith("izveštaj izveštaj")).toBe(true);
    // No extension to keep: the end goes.
    expect(safeAttachmentName("x".repeat(400))).toBe("x".repeat(MAX_ATTACHMENT_NAME));
    // What follows the last dot is a sentence, not an extension: cut like the rest.
    expect(safeAttachmentName(`a.${"b ".repeat(300)}`)).toBe(`a.${"b ".repeat(126)}b`);
  });

  it("never cuts a character in two (an emoji is two UTF-16 units)", () => {
    const short = safeAttachmentName(`${"😀".repeat(200)}.png`);
    expect(short.endsWith("😀.png")).toBe(true);
    expect(short.length).toBeLessThanOrEqual(MAX_ATTACHMENT_NAME);
    expect(short).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it("gives names the draft takes, where the originals were refused", () => {
    const hostile = ["racun\r\n.pdf", `${"a".repeat(300)}.pdf`, `${"ш".repeat(256)}.txt`, "x\ny"];
    for (const name of hostile) {
      expect(draftTakes(name), name).toBe(false);
      expect(draftTakes(safeAttachmentName(name)), name).toBe(true);
    }
  });

  it("leaves none of the characters the gateway refuses in a header", () => {
    for (let code = 0; code <= 0x9f; code++) {
      const name = `a${String.fromCharCode(code)}b.pdf`;
      expect(hasHeaderControl(safeAttachmentName(name)), `U+${code.toString(16)}`).toBe(false);
    }
  });
});
