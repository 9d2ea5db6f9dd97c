import { describe, expect, it } from "vitest";
import { emptyDraft } from "@pismo/protocol/compose";
import type { LocalCopy } from "../compose/local-copy";
import { offerableCopy } from "./local-draft";
import { looksLikePdf, mayPreviewAsPdf } from "./pdf";
import { buildPrintDocument } from "./print-document";
import { sourceText } from "./raw-source";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("sourceText", () => {
  it("shows the whole of a small message as text, CRLF as new lines", () => {
    const raw = bytes("Subject: Zdravo\r\n\r\n<script>alert(1)</script>\r\n");
    expect(sourceText(raw, raw.length)).toEqual({
      text: "Subject: Zdravo\n\n<script>alert(1)</script>\n",
      total: raw.length,
      truncated: false,
      shown: raw.length,
    });
  });
  it("cuts above the cap and says how much there is", () => {
    const raw = bytes("x".repeat(100));
    const shown = sourceText(raw, 5000, 10);
    expect(shown.text).toBe("x".repeat(10));
    expect(shown).toMatchObject({ total: 5000, truncated: true, shown: 10 });
  });
  it("is truncated when the gateway sent less than the whole", () => {
    expect(sourceText(bytes("abc"), 10).truncated).toBe(true);
  });
  it("shows control characters as their pictures and bad bytes as U+FFFD", () => {
    const text = sourceText(new Uint8Array([0x41, 0x00, 0x1b, 0xff, 0x09, 0x42]), 6).text;
    expect(text).toBe("A\u2400\u241b\ufffd\tB");
  });
});

describe("PDF preview", () => {
  it("is offered for PDFs by type, or by name with a generic type", () => {
    expect(mayPreviewAsPdf({ mimeType: "application/pdf", filename: null })).toBe(true);
    expect(mayPreviewAsPdf({ mimeType: "Application/PDF", filename: "a" })).toBe(true);
    expect(mayPreviewAsPdf({ mimeType: "application/octet-stream", filename: "račun.PDF" })).toBe(true);
  });
  it("is never offered for types that can run script", () => {
    for (const mimeType of ["text/html", "image/svg+xml", "application/xhtml+xml", "text/xml"])
      expect(mayPreviewAsPdf({ mimeType, filename: "fake.pdf" })).toBe(false);
  });
  it("needs the bytes to be a PDF", () => {
    expect(looksLikePdf(bytes("%PDF-1.7\n..."))).toBe(true);
    expect(looksLikePdf(bytes(`${" ".repeat(500)}%PDF-1.4`))).toBe(true);
    expect(looksLikePdf(bytes("<html><script>alert(1)</script>"))).toBe(false);
    expect(looksLikePdf(bytes(`${" ".repeat(1100)}%PDF-1.4`))).toBe(false);
    expect(looksLikePdf(bytes("%PD"))).toBe(false);
  });
});

describe("buildPrintDocument", () => {
  it("escapes the headers and plain text, and forbids script and remote loads", () => {
    const doc = buildPrintDocument({
      subject: "<img src=x onerror=alert(1)>",
      headers: [
        { label: "From", value: 'Eve "<b>" <eve@pismo.test>' },
        { label: "Cc", value: "" },
      ],
      body: { kind: "text", text: "<script>alert(1)</script>" },
    });
    expect(doc).not.toContain("<img");
    expect(doc).not.toContain("<script");
    expect(doc).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(doc).toContain("Eve &quot;&lt;b&gt;&quot; &lt;eve@pismo.test&gt;");
    expect(doc).not.toContain("<dt>Cc</dt>");
    expect(doc).toContain("script-src 'none'");
    expect(doc).not.toMatch(/img-src[^;]*https?:/);
  });
  it("puts sanitised HTML in as it is", () => {
    const doc = buildPrintDocument({
      subject: "S",
      headers: [],
      body: { kind: "html", sanitizedHtml: "<p>Zdravo</p>" },
    });
    expect(doc).toContain("<main><p>Zdravo</p></main>");
  });
});

describe("offerableCopy", () => {
  const fields = { ...emptyDraft(), to: "", cc: "", bcc: "", html: "", rich: true, answering: null };
  const copy = (patch: Partial<LocalCopy["fields"]>): LocalCopy => ({
    account: "a@pismo.test",
    fields: { ...fields, ...patch },
    draftUid: null,
    savedAt: 0,
  });
  it("offers a copy with something written in it", () => {
    expect(offerableCopy(copy({ text: "Zdravo" }))).not.toBeNull();
    expect(offerableCopy(copy({ to: "b@pismo.test" }))).not.toBeNull();
  });
  it("does not offer an empty one, or none", () => {
    expect(offerableCopy(copy({ text: "  \n" }))).toBeNull();
    expect(offerableCopy(null)).toBeNull();
  });
});
