/** Saves bytes as a file through a temporary object URL (no server round trip: works offline). */
export function downloadBlob(parts: BlobPart[], type: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  // The click has started the download; give the browser a moment before revoking.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
