import type { IncomingMessage } from "node:http";
import { MailError } from "@pismo/protocol/errors";

/** Reads a small JSON body; anything larger than `limit` bytes is refused, not buffered. */
export async function readJsonBody(req: IncomingMessage, limit = 16 * 1024): Promise<unknown> {
  if (!(req.headers["content-type"] ?? "").startsWith("application/json")) {
    throw new MailError("BAD_INPUT", "Expected application/json");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new MailError("BAD_INPUT", "Request body too large");
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new MailError("BAD_INPUT", "The request body is not valid JSON");
  }
}
