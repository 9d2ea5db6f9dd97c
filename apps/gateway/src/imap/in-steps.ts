import type { ImapFlow, MailboxObject } from "imapflow";
import type { Stopped } from "@pismo/protocol/actions";
import { toMailError } from "../mail-errors";
import type { ImapContext } from "./context";
import { uidSet } from "./uid-set";

/**
 * Messages per command when an action removes many from a folder (a whole folder moved,
 * deleted or emptied): ~0.25 s of Dovecot's time each here, the longest a message opened
 * meanwhile waits. Removing is what is slow: Dovecot with fts-xapian takes about a
 * millisecond a message to drop each from the folder's full-text index (5,000 expunges: 4.2 s
 * with fts, 47 ms without), so one command for 10,000 held the session's only connection for
 * ~15 s.
 */
export const STEP = 200;

/**
 * Runs `step` over `uids` in parts of STEP, each in `folder` with the folder's lock given back
 * between parts, so that what the user does meanwhile (open a message, switch folders) waits
 * for one part at most, not for the whole action. A few (STEP or fewer) go as one command, as
 * before. With more, the parts' expunges are not told to the session's pages one by one (they
 * would refetch a list the action has not finished with, and rows removed at once would come
 * back for a while); one "changed" for `folder` and each of `alsoChanged` follows, also when a
 * part fails, which ends the action with its error (the parts before it are done).
 * `uidValidity`, where given, is checked in every part's selection (`InFolderOptions`).
 */
export async function inSteps(
  ctx: ImapContext,
  folder: string,
  uids: readonly number[],
  step: (client: ImapFlow, mailbox: MailboxObject, part: number[]) => Promise<void>,
  alsoChanged: readonly string[] = [],
  uidValidity?: string,
): Promise<void> {
  if (uids.length <= STEP) {
    await ctx.inFolder(folder, (client, mailbox) => step(client, mailbox, [...uids]), { uidValidity });
    return;
  }
  try {
    await ctx.withoutExpungeEvents(folder, async () => {
      for (let i = 0; i < uids.length; i += STEP) {
        await ctx.inFolder(folder, (client, mailbox) => step(client, mailbox, uids.slice(i, i + STEP)), {
          // IDLE goes back to the watched folder once, after the last part.
          returnToWatched: false,
          uidValidity,
        });
      }
    });
  } finally {
    const client = ctx.usableClient();
    if (client) ctx.returnToWatched(client, folder);
    for (const path of [folder, ...alsoChanged]) ctx.hub.publish({ type: "changed", folder: path });
  }
}

/**
 * Deletes these messages for good (STORE \\Deleted, UID EXPUNGE), in steps; `what` names it in
 * errors; `onStep` hears each step's messages once they are gone. A step whose EXPUNGE the
 * server refuses takes its \\Deleted mark back: the messages it kept are not left marked for
 * the next EXPUNGE of any client (another mail app's "compact" would delete them). A mark another
 * client had set on one of them goes too.
 */
export function deleteInSteps(
  ctx: ImapContext,
  folder: string,
  uids: readonly number[],
  what = "delete the messages",
  onStep: (part: readonly number[]) => void = () => undefined,
  uidValidity?: string,
): Promise<void> {
  return inSteps(
    ctx,
    folder,
    uids,
    async (client, _mailbox, part) => {
      const set = uidSet(part);
      try {
        await ctx.must(what, () => client.messageDelete(set, { uid: true }));
      } catch (error) {
        // imapflow answers false whether the mark or the EXPUNGE was refused; unmarking is
        // harmless after a refused mark, and best-effort (the connection may be what failed).
        await client.messageFlagsRemove(set, ["\\Deleted"], { uid: true, silent: true }).catch(() => false);
        throw error;
      }
      onStep(part);
    },
    [],
    uidValidity,
  );
}

/**
 * Runs an action made of steps, each telling `finished` its messages once done, and answers
 * what was done. A failure before any step finished is the action's error (thrown); after some,
 * it is the reason the rest was not done (`stopped`), answered beside what was.
 */
export async function partWay(
  run: (finished: (part: readonly number[]) => void) => Promise<void>,
): Promise<{ done: number[]; stopped?: Stopped }> {
  const done: number[] = [];
  try {
    await run((part) => done.push(...part));
    return { done };
  } catch (error) {
    if (done.length === 0) throw error;
    const reason = toMailError(error);
    return { done, stopped: { code: reason.code, message: reason.message } };
  }
}
