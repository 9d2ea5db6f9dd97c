const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

/**
 * An attachment that may be offered for preview in the browser's PDF viewer: said to be a PDF
 * (by type, or by name when the sender wrote a generic type). Only a PDF: another type shown
 * from a blob URL of the app's own origin could run script there.
 */
export function mayPreviewAsPdf(a: { mimeType: string; filename: string | null }): boolean {
  const type = a.mimeType.toLowerCase();
  if (type === "application/pdf") return true;
  return type === "application/octet-stream" && /\.pdf$/i.test(a.filename ?? "");
}

/**
 * The bytes really are a PDF: the header "%PDF-" within the first 1024 bytes (ISO 32000-1
 * §7.5.2 readers accept it there). A file that only claims to be one is not previewed.
 */
export function looksLikePdf(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length - PDF_MAGIC.length, 1024);
  for (let i = 0; i <= end; i++) {
    if (PDF_MAGIC.every((b, j) => bytes[i + j] === b)) return true;
  }
  return false;
}
