import { gatewayFetch } from "@/lib/gateway-http";
import { gatewayHttpUrl } from "@/trpc/client";
import { SOURCE_CAP_BYTES } from "./raw-source";
import type { RawSource } from "./source-dialog";

/** The gateway's route for one IMAP message's source (BODY.PEEK[]: no \Seen flag set). */
export function imapMessageUrl(
  folder: string,
  uid: number,
  opts: { name?: string; max?: number } = {},
): string {
  const q = new URLSearchParams({ folder, uid: String(uid) });
  if (opts.name) q.set("name", opts.name);
  if (opts.max !== undefined) q.set("max", String(opts.max));
  return gatewayHttpUrl(`/api/message?${q.toString()}`);
}

/** The first bytes of an IMAP message, up to Show original's cap, and the whole size. */
export async function loadImapSource(folder: string, uid: number): Promise<RawSource> {
  const res = await gatewayFetch(imapMessageUrl(folder, uid, { max: SOURCE_CAP_BYTES }));
  const bytes = new Uint8Array(await res.arrayBuffer());
  const total = Number(res.headers.get("X-Message-Size"));
  return { bytes, total: Number.isInteger(total) && total > 0 ? total : bytes.length };
}
