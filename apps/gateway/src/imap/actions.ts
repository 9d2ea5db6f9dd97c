import { MailError } from "@pismo/protocol/errors";
import type { ImapContext } from "./context";
import { specialFolder } from "./folders";
import type { EmptyFolderResult } from "@pismo/protocol/actions";
import { deleteInSteps, inSteps, partWay } from "./in-steps";
import { uidSet } from "./uid-set";
import { uidRanges } from "@pismo/protocol/selection";
import type { UidRanges } from "@pismo/protocol/schemas";
import { importIdentity, importIdentityKey, type ImportIdentity } from "@pismo/protocol/mime";
import { keepsKeyword } from "@pismo/protocol/actions";
import type { MDN_SENT_KEYWORD } from "@pismo/protocol/receipts";
import type { SetFlagsOptions } from "@pismo/protocol/router";

/** The flags set on one message by what is done with it: a reply sent, a read receipt answered. */
export type OneFlag = "\\Answered" | typeof MDN_SENT_KEYWORD;

/** More messages than this in one flag change are stored silently (see setFlags). */
const BULK_FLAGS = 100;

/**
 * Acting on mail, always on the server, so that every device sees the same: flags, move,
 * copy, delete (to Trash first), empty a folder, and the APPEND, expunge and \Answered that
 * drafts and sending need.
 */
export class MailActions {
  constructor(private readonly ctx: ImapContext) {}

  /** Returns the messages whose flag this changed: what an Undo sets back (a page knows the
   * state only of the rows it holds, not of the rest of a folder selected whole). With
   * `whichChanged: false` (a read mark no Undo follows: opening a message, an Undo's own set
   * back) it asks nothing first, stores the flag on all of them and returns []. */
  async setFlags(
    folder: string,
    uids: number[],
    flags: { seen?: boolean; flagged?: boolean },
    { uidValidity, whichChanged = true }: SetFlagsOptions = {},
  ): Promise<UidRanges> {
    const given = (["seen", "flagged"] as const).filter((flag) => flags[flag] !== undefined);
    if (given.length === 0) return [];
    let changed: number[] = uids;
    await this.ctx.inFolder(
      folder,
      async (client) => {
        // One flag (every page's action; a filter may set both): only the messages whose flag
        // differs are stored, and those are the answer.
        const [flag] = given;
        if (whichChanged && given.length === 1 && flag) {
          const found = await this.ctx.must("find the messages to change", () =>
            client.search({ uid: uidSet(uids), [flag]: !flags[flag] }, { uid: true }),
          );
          changed = found || [];
        }
        if (changed.length === 0) return;
        // Many at once (a whole folder selected): STORE .SILENT, so the server does not echo
        // every message's flags (10,000 events for this session's pages to apply one by one),
        // and one "changed" instead, on which the pages refetch what they show and the counts.
        const options = changed.length > BULK_FLAGS ? { uid: true, silent: true } : { uid: true };
        const range = uidSet(changed);
        const add: string[] = [];
        const remove: string[] = [];
        if (flags.seen !== undefined) (flags.seen ? add : remove).push("\\Seen");
        if (flags.flagged !== undefined) (flags.flagged ? add : remove).push("\\Flagged");
        if (add.length)
          await this.ctx.must("set the flags", () => client.messageFlagsAdd(range, add, options));
        if (remove.length)
          await this.ctx.must("clear the flags", () => client.messageFlagsRemove(range, remove, options));
      },
      { uidValidity },
    );
    if (changed.length > BULK_FLAGS) this.ctx.hub.publish({ type: "changed", folder });
    return whichChanged ? uidRanges(changed) : [];
  }

  /** Many messages in steps (`inSteps`), as the undoable move. */
  async move(folder: string, uids: number[], to: string, uidValidity?: string): Promise<void> {
    await inSteps(
      this.ctx,
      folder,
      uids,
      async (client, _mailbox, part) => {
        await this.ctx.must(
          `move the messages to ${to}`,
          () => client.messageMove(uidSet(part), to, { uid: true }),
          { folder: to },
        );
      },
      [to],
      uidValidity,
    );
  }

  async copy(folder: string, uids: number[], to: string, uidValidity?: string): Promise<void> {
    await this.ctx.inFolder(
      folder,
      async (client) => {
        await this.ctx.must(
          `copy the messages to ${to}`,
          () => client.messageCopy(uidSet(uids), to, { uid: true }),
          { folder: to },
        );
      },
      { uidValidity },
    );
  }

  /** Moves to Trash; in Trash (or without one) deletes for good. */
  async remove(folder: string, uids: number[], uidValidity?: string): Promise<{ permanently: boolean }> {
    const trash = await specialFolder(this.ctx, "trash");
    if (trash && trash !== folder) {
      await this.move(folder, uids, trash, uidValidity);
      return { permanently: false };
    }
    await deleteInSteps(this.ctx, folder, uids, undefined, undefined, uidValidity);
    return { permanently: true };
  }

  /**
   * Deletes every message the folder holds now, in steps when there are many (`inSteps`); a
   * step refused after others were done ends it with how many went and why (`partWay`).
   */
  async emptyFolder(path: string, expected?: number): Promise<EmptyFolderResult> {
    const uids = await this.ctx.inFolder(path, async (client, mailbox) =>
      mailbox.exists > 0 ? (await client.search({ all: true }, { uid: true })) || [] : [],
    );
    if (expected !== undefined && uids.length !== expected)
      throw new MailError("CHANGED", `${path} holds ${uids.length} messages, not the ${expected} confirmed`);
    if (uids.length === 0) return { total: 0, deleted: 0 };
    const { done, stopped } = await partWay((finished) =>
      deleteInSteps(this.ctx, path, uids, `empty ${path}`, finished),
    );
    return { total: uids.length, deleted: done.length, ...(stopped ? { stopped } : {}) };
  }

  /** APPEND (RFC 9051 §6.3.12); returns the new UID where the server says it (UIDPLUS).
   * `date`: its internal date (an imported message's own), else now. */
  async append(folder: string, raw: Buffer, flags: string[], date?: Date): Promise<number | null> {
    return this.ctx.onClient(async (client) => {
      const result = await this.ctx.must(
        `save the message in ${folder}`,
        () => client.append(folder, raw, flags, date),
        { folder },
      );
      return typeof result.uid === "number" ? result.uid : null;
    });
  }

  /**
   * Which of `identities` (the same Message-ID and Date) `folder` already holds: the messages of
   * a file being imported that are there already (imported before, or before it stopped
   * part-way). One SEARCH of the header for all of them (ORed: ~90 ms for 100 in a folder of
   * 10,000, where one each took ~15 ms), then the two fields of what it found, read as the page
   * read its file (importIdentity) and compared.
   */
  async alreadyIn(folder: string, identities: readonly ImportIdentity[]): Promise<boolean[]> {
    if (identities.length === 0) return [];
    return this.ctx.inFolder(folder, async (client, mailbox) => {
      if (mailbox.exists === 0) return identities.map(() => false);
      const terms = identities.map((id) => ({ header: { "message-id": id.messageId } }));
      const query = terms.length === 1 ? terms[0]! : { or: terms };
      const found = await client.search(query, { uid: true });
      // Refused (a line too long for the server): said, not taken for "none there".
      if (!found) throw new MailError("SERVER_REFUSED", `The server could not search ${folder}`);
      const there = new Set<string>();
      if (found.length > 0)
        for await (const m of client.fetch(
          found,
          { uid: true, headers: ["message-id", "date"] },
          { uid: true },
        )) {
          // The same reading as the page's of the file (importIdentity), not the envelope's.
          const id = m.headers ? importIdentity(m.headers) : null;
          if (id) there.add(importIdentityKey(id));
        }
      return identities.map((id) => there.has(importIdentityKey(id)));
    });
  }

  /** Deletes for good, not to Trash: drafts that were replaced or sent, a rule's discard in Trash. */
  async expunge(folder: string, uids: number[]): Promise<void> {
    await deleteInSteps(this.ctx, folder, uids);
  }

  /**
   * One flag on one message: \Answered on the message a reply answered (RFC 9051 §2.3.2);
   * $MDNSent on one whose read receipt was sent or declined (RFC 3503 §3.1), where the folder
   * keeps keywords (PERMANENTFLAGS). False when it was not set for that reason.
   */
  async flagOne(folder: string, uid: number, flag: OneFlag): Promise<boolean> {
    return this.ctx.inFolder(folder, async (client, mailbox) => {
      if (flag !== "\\Answered" && !keepsKeyword(mailbox.permanentFlags ?? new Set<string>(), flag))
        return false;
      await this.ctx.must(flag === "\\Answered" ? "mark the message answered" : "note the read receipt", () =>
        client.messageFlagsAdd(String(uid), [flag], { uid: true }),
      );
      return true;
    });
  }
}
