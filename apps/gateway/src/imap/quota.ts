import type { Quota } from "@pismo/protocol/schemas";
import type { ImapContext } from "./context";

/** The account's storage quota (RFC 9208 GETQUOTAROOT on the Inbox), or null when the server
 * has no QUOTA or sets no storage limit. Asked for with the first screen, it goes after the
 * first rows' FETCH: the quota is shown beside the rows, the rows are what the reader waits for. */
export async function readQuota(ctx: ImapContext): Promise<Quota | null> {
  await ctx.afterFirstWindow();
  return ctx.onClient(async (client) => {
    if (!client.capabilities.has("QUOTA")) return null;
    const q = await client.getQuota("INBOX");
    if (!q || !q.storage || !q.storage.limit) return null;
    return { usedBytes: q.storage.usage ?? 0, limitBytes: q.storage.limit };
  });
}
