import { z } from "zod";
import { senderVerdictSchema } from "../schemas/trust";

/**
 * A pulled message on the pull's body channel: one binary WebSocket frame, so the bytes
 * travel as they are (no base64 in JSON: a third fewer bytes on the wire, and no JSON.parse
 * and atob of every body on the page's thread).
 *
 * Layout: a 4-byte big-endian length, that many bytes of UTF-8 JSON (the message's uid,
 * LIST size, fetch mode and sender verdict), then the message's bytes, exactly as the POP3
 * server stores them.
 */
export const pop3BodyHeaderSchema = z.object({
  uid: z.string().min(1).max(70),
  size: z.number().int().nonnegative(),
  mode: z.enum(["full", "headers"]),
  verdict: senderVerdictSchema.nullable().optional(),
});
export type Pop3BodyHeader = z.infer<typeof pop3BodyHeaderSchema>;

/** A header longer than this is not one this codec wrote (a uid is at most 70 characters). */
const MAX_HEADER_BYTES = 64 * 1024;

export function encodeBodyFrame(header: Pop3BodyHeader, raw: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const frame = new Uint8Array(4 + json.length + raw.length);
  new DataView(frame.buffer).setUint32(0, json.length);
  frame.set(json, 4);
  frame.set(raw, 4 + json.length);
  return frame;
}

/** The header and a view on the message's bytes; throws on a frame this codec did not write. */
export function decodeBodyFrame(frame: Uint8Array): { header: Pop3BodyHeader; raw: Uint8Array } {
  if (frame.length < 4) throw new Error("body frame too short");
  const length = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0);
  if (length > MAX_HEADER_BYTES || 4 + length > frame.length) throw new Error("body frame header too long");
  const header = pop3BodyHeaderSchema.parse(
    JSON.parse(new TextDecoder().decode(frame.subarray(4, 4 + length))) as unknown,
  );
  return { header, raw: frame.subarray(4 + length) };
}
