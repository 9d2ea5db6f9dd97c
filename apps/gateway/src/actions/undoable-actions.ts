import type { ImapFlow, MailboxObject } from "imapflow";
import {
  keepsKeyword,
  type JunkKeyword,
  type MailActionRequest,
  type MailActionResult,
} from "@pismo/protocol/actions";
import type { MessageRefs, SpecialUse } from "@pismo/protocol/schemas";
import type { ImapContext } from "../imap/context";
import { toFolder } from "../imap/to-domain";
import { deleteInSteps, inSteps, partWay } from "../imap/in-steps";
import { uidSet } from "../imap/uid-set";

/** Called after this session created a folder (Archive, Junk), so the folder tree is told. */
export type OnFolderCreated = (path: string) => void;

/**
 * Move, delete, archive and spam / not spam, each answering where the messages went and their
 * new UIDs (COPYUID of UIDPLUS, RFC 4315) so that the browser can undo it by moving them back.
 * Delete moves to Trash (as webmails do) and only deletes for good in Trash or without one:
 * a message deleted for good cannot be put back.
 */
export class UndoableActions {
  constructor(
    private readonly ctx: ImapContext,
    private readonly onFolderCreated: OnFolderCreated = () => undefined,
  ) {}

  async act(request: MailActionRequest): Promise<MailActionResult> {
    switch (request.kind) {
      case "move":
        return this.move(request, request.to, null, request.clearKeyword ?? null);
      case "delete": {
        const trash = await this.special("trash", null);
        if (trash && trash.path !== request.folder) return this.move(request, trash.path, null, null);
        const { done, stopped } = await partWay((finished) =>
          deleteInSteps(this.ctx, request.folder, request.uids, undefined, finished, request.uidValidity),
        );
        return {
          to: null,
          moved: stopped ? done.map((uid) => ({ uid, newUid: null })) : [],
          keyword: null,
          created: false,
          ...(stopped ? { stopped } : {}),
        };
      }
      case "archive": {
        const archive = await this.special("archive", "Archive");
        const result = await this.move(request, archive.path, null, null);
        return { ...result, created: archive.created };
      }
      case "spam": {
        const target = request.spam ? await this.special("junk", "Junk") : { path: "INBOX", created: false };
        const result = await this.move(
          request,
          target.path,
          request.spam ? "$Junk" : "$NotJunk",
          request.spam ? "$NotJunk" : "$Junk",
        );
        return { ...result, created: target.created };
      }
    }
  }

  /**
   * The folder of that special use (RFC 6154), else one of that name; created when `create`
   * names it and neither exists. Null only when `create` is null and there is none.
   */
  private async special(use: SpecialUse, create: string): Promise<{ path: string; created: boolean }>;
  private async special(use: SpecialUse, create: null): Promise<{ path: string; created: boolean } | null>;
  private async special(
    use: SpecialUse,
    create: string | null,
  ): Promise<{ path: string; created: boolean } | null> {
    const folders = (await this.ctx.onClient((client) => client.list())).map(toFolder);
    const hit =
      folders.find((f) => f.specialUse === use) ??
      (create ? folders.find((f) => f.path.toLowerCase() === create.toLowerCase()) : undefined);
    if (hit) return { path: hit.path, created: false };
    if (!create) return null;
    const made = await this.ctx.onClient(async (client) => {
      const result = await client.mailboxCreate(create);
      await client.mailboxSubscribe(result.path).catch(() => undefined);
      return result;
    });
    this.onFolderCreated(made.path);
    return { path: made.path, created: made.created };
  }

  /**
   * Sets the junk keyword in the source folder first (the copy keeps it), where the server
   * keeps keywords (PERMANENTFLAGS), then moves (RFC 6851 MOVE; imapflow falls back to
   * COPY + EXPUNGE); many messages in steps (`inSteps`). A step that fails ends the move: with
   * no step done, the answer is that error; after some, the answer lists the messages moved
   * (so Undo takes those back) and says why the rest stayed (`stopped`). The source folder's
   * UIDVALIDITY, where the request gives it, is checked in every step (FOLDER_CHANGED).
   */
  private async move(
    { folder, uids, uidValidity }: MessageRefs,
    to: string,
    keyword: JunkKeyword | null,
    clear: JunkKeyword | null,
  ): Promise<MailActionResult> {
    const map = new Map<number, number>();
    let set: JunkKeyword | null = null;
    const { done, stopped } = await partWay((finished) =>
      inSteps(
        this.ctx,
        folder,
        uids,
        async (client, mailbox, part) => {
          const step = await this.moveStep(client, mailbox, part, to, keyword, clear);
          for (const [from, into] of step.map) map.set(from, into);
          set = step.set;
          finished(part);
        },
        [to],
        uidValidity,
      ),
    );
    return {
      to,
      moved: done.map((uid) => ({ uid, newUid: map.get(uid) ?? null })),
      keyword: set,
      created: false,
      ...(stopped ? { stopped } : {}),
    };
  }

  /** One MOVE command (the caller holds the folder's lock), its keywords set first. */
  private async moveStep(
    client: ImapFlow,
    mailbox: MailboxObject,
    uids: number[],
    to: string,
    keyword: JunkKeyword | null,
    clear: JunkKeyword | null,
  ): Promise<{ map: Map<number, number>; set: JunkKeyword | null }> {
    const range = uidSet(uids);
    const flags = mailbox.permanentFlags ?? new Set<string>();
    const set = keyword && keepsKeyword(flags, keyword) ? keyword : null;
    const cleared = clear && keepsKeyword(flags, clear) ? clear : null;
    await this.keywords(client, range, set, cleared);
    try {
      const result = await this.ctx.must(
        `move the messages to ${to}`,
        () => client.messageMove(range, to, { uid: true }),
        { folder: to },
      );
      return { map: result.uidMap ?? new Map<number, number>(), set };
    } catch (error) {
      // Refused: these messages stay where they were, so the keyword set for the move goes
      // (a message left in the Inbox is not marked spam). The one cleared is not put back: which
      // of them had it is not known. The move's own error is the one told.
      await this.keywords(client, range, null, set).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Silently (STORE .SILENT): the messages are moved right after, so an echo of each one's flags
   * (10,000 for a whole folder reported as spam) would tell the pages of rows about to go.
   */
  private async keywords(
    client: ImapFlow,
    range: string,
    add: JunkKeyword | null,
    remove: JunkKeyword | null,
  ): Promise<void> {
    const options = { uid: true, silent: true };
    if (add) await this.ctx.must("set the keyword", () => client.messageFlagsAdd(range, [add], options));
    if (remove)
      await this.ctx.must("clear the keyword", () => client.messageFlagsRemove(range, [remove], options));
  }
}
