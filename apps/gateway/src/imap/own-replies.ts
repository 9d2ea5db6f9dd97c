import type { SpecialUse } from "@pismo/protocol/schemas";
import { normalizeMessageId } from "@pismo/protocol/threads";
import type { ImapContext } from "./context";
import { referencesOf } from "./folder-threads";
import { SUMMARY_FETCH_QUERY, toFolder, toSummary } from "./to-domain";

/** The newest messages of Sent and Drafts looked at for the user's own replies. */
export const OWN_FOLDER_WINDOW = 5_000;

/** What a conversation row shows of a message (`toSummary`), and the References header that
 * links a reply to what it answers. */
const OWN_FETCH_QUERY = { ...SUMMARY_FETCH_QUERY, headers: ["references"] };

/** A message of Sent or Drafts, with what links it to the conversations it answers. */
export interface OwnMessage {
  folder: string;
  summary: ReturnType<typeof toSummary>;
  messageId: string | null;
  /** In-Reply-To and References, normalized. */
  refs: string[];
  inReplyTo: string | null;
  references: string[];
}

interface OwnIndex {
  key: string;
  /** Message-ID referenced → the own messages that reference it. */
  byRef: Map<string, OwnMessage[]>;
}

/**
 * The user's own replies, to join to the conversations of another folder: the newest messages
 * of Sent and Drafts, indexed by the Message-IDs they reference (In-Reply-To and References).
 * An index is kept until its folder changes, which its STATUS tells, so a window of the
 * conversation list costs a STATUS per own folder, not a FETCH. Trash and Junk are never
 * looked at, so deleting or junking never pulls a conversation back.
 */
export class OwnReplies {
  private readonly indexes = new Map<string, OwnIndex>();

  constructor(private readonly ctx: ImapContext) {}

  /** The server told of a change in `folder`: its index, if it is one, is built again. */
  forget(folder: string): void {
    this.indexes.delete(folder);
  }

  /** The user's own messages of Sent and Drafts (not the viewed folder), by what they reference. */
  async byReference(viewed: string): Promise<Map<string, OwnMessage[]>> {
    const merged = new Map<string, OwnMessage[]>();
    // One LIST for both (RFC 6154 special-use), not one per folder.
    const folders = await this.ctx
      .onClient((client) => client.list())
      .then((list) => list.map(toFolder))
      .catch(() => []);
    const own: readonly SpecialUse[] = ["sent", "drafts"];
    for (const use of own) {
      const path = folders.find((f) => f.specialUse === use)?.path;
      if (!path || path === viewed) continue;
      const index = await this.index(path).catch((error: unknown) => {
        // A Sent folder that cannot be read leaves the conversations without the user's replies,
        // not the list empty.
        this.ctx.log.debug("imap.own_folder_unreadable", { folder: path, error });
        return null;
      });
      if (!index) continue;
      for (const [ref, list] of index.byRef) merged.set(ref, [...(merged.get(ref) ?? []), ...list]);
    }
    return merged;
  }

  private async index(path: string): Promise<OwnIndex> {
    const status = await this.ctx.must(`read the status of ${path}`, () =>
      this.ctx.onClient((client) =>
        client.status(path, { messages: true, uidNext: true, uidValidity: true, highestModseq: true }),
      ),
    );
    const key = `${String(status.uidValidity)}:${status.messages}:${String(status.uidNext)}:${String(status.highestModseq ?? "")}`;
    const cached = this.indexes.get(path);
    if (cached?.key === key) return cached;
    const byRef = new Map<string, OwnMessage[]>();
    if ((status.messages ?? 0) > 0) {
      await this.ctx.inFolder(path, async (client, mailbox) => {
        const lo = Math.max(1, mailbox.exists - OWN_FOLDER_WINDOW + 1);
        const rows = await client.fetchAll(`${lo}:*`, OWN_FETCH_QUERY);
        for (const r of rows) {
          const inReplyTo = normalizeMessageId(r.envelope?.inReplyTo ?? null);
          const references = referencesOf(r.headers);
          const refs = [...new Set([...(inReplyTo ? [inReplyTo] : []), ...references])];
          if (refs.length === 0) continue;
          const message: OwnMessage = {
            folder: path,
            summary: toSummary(r),
            messageId: normalizeMessageId(r.envelope?.messageId ?? null),
            refs,
            inReplyTo,
            references,
          };
          for (const ref of refs) byRef.set(ref, [...(byRef.get(ref) ?? []), message]);
        }
      });
    }
    const index = { key, byRef };
    this.indexes.set(path, index);
    return index;
  }
}
