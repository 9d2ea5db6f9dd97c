/**
 * A random id in the form of a version 4 UUID, from `crypto.getRandomValues`. Not
 * `crypto.randomUUID`: browsers have it only in a secure context (HTTPS, or localhost), and a
 * self-hosted Pismo may be opened over plain HTTP at a LAN address, where it is missing.
 */
export function randomId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
