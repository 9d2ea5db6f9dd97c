import type { ImapFlow } from "imapflow";
import {
  parseMessageIdList,
  threadEnvelopes,
  threadsFromAttributes,
  type Thread,
  type ThreadEnvelope,
} from "@pismo/protocol/threads";
import { execRaw } from "./raw-command";
import { dateOf } from "./to-domain";

/**
 * `UID THREAD REFS UTF-8 ALL` where offered (Dovecot's: references only, no joining of
 * unrelated messages by subject, and twice as fast as REFERENCES on 100,000 messages), else
 * `UID THREAD REFERENCES` (RFC 5256; imapflow has no method for it, so it goes out raw as SORT
 * does); read with the protocol's parser.
 */
export async function serverThreads(client: ImapFlow): Promise<Thread<number>[]> {
  const algorithm = client.capabilities.has("THREAD=REFS") ? "REFS" : "REFERENCES";
  let threads: Thread<number>[] = [];
  let problem: string | null = null;
  await execRaw(
    client,
    "UID THREAD",
    [
      { type: "ATOM", value: algorithm },
      { type: "ATOM", value: "UTF-8" },
      { type: "ATOM", value: "ALL" },
    ],
    {
      THREAD: (untagged: { attributes?: unknown }) => {
        const parsed = threadsFromAttributes(untagged.attributes);
        if (parsed.ok) threads = parsed.threads;
        else problem = parsed.error.message;
        return Promise.resolve();
      },
    },
  );
  if (problem !== null) throw new Error(problem);
  return threads;
}

/** JWZ over every envelope of the folder (one FETCH of ENVELOPE and the References header),
 * for servers without THREAD. */
export async function localThreads(client: ImapFlow): Promise<Thread<number>[]> {
  const rows = await client.fetchAll("1:*", {
    uid: true,
    envelope: true,
    internalDate: true,
    headers: ["references"],
  });
  const envelopes: ThreadEnvelope[] = rows.map((r) => {
    const date = dateOf(r.envelope?.date) ?? dateOf(r.internalDate);
    return {
      id: String(r.uid),
      messageId: r.envelope?.messageId ?? null,
      inReplyTo: r.envelope?.inReplyTo ?? null,
      references: referencesOf(r.headers),
      subject: r.envelope?.subject ?? "",
      date: date ? Date.parse(date) : 0,
      arrival: r.uid,
    };
  });
  return threadEnvelopes(envelopes).map((t) => ({
    rootKey: t.rootKey,
    messageIds: t.messageIds.map(Number),
    depths: t.depths,
  }));
}

/** The newest arrival (the largest UID) first: what "newest conversation" means without dates. */
export function sortNewestFirst(threads: Thread<number>[]): Thread<number>[] {
  const newest = new Map<Thread<number>, number>();
  for (const t of threads) {
    let max = 0;
    for (const uid of t.messageIds) if (uid > max) max = uid;
    newest.set(t, max);
  }
  return threads.sort((a, b) => (newest.get(b) ?? 0) - (newest.get(a) ?? 0));
}

/** The Message-IDs of the References header, from the raw header block imapflow returns for
 * `headers: ["references"]` (the envelope carries In-Reply-To but not References). */
export function referencesOf(block: Buffer | undefined): string[] {
  return parseMessageIdList(headerValue(block, "references"));
}

/** One header's unfolded value from a raw header block. */
function headerValue(block: Buffer | undefined, name: string): string | null {
  if (!block) return null;
  const text = block.toString("latin1").replace(/\r?\n[ \t]+/gu, " ");
  const prefix = `${name.toLowerCase()}:`;
  for (const line of text.split(/\r?\n/u))
    if (line.toLowerCase().startsWith(prefix)) return line.slice(prefix.length).trim();
  return null;
}
