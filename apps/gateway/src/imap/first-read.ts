import type { ImapFlow } from "imapflow";
import type { ImapContext } from "./context";

/**
 * From how many messages a folder's first read in a session is paid ahead. Below it the read
 * costs about a frame or less (10 ms at 10,000 messages on the test machine).
 */
export const READ_AHEAD_FROM = 15_000;
/**
 * How long after the window's answer the read starts: the page paints the rows first (the
 * read keeps a server core busy ~150–200 ms at 100,000 messages, which slowed the paint of a
 * sign-in in conversation view on a 2-core machine when sent at once). A person clicks later.
 */
export const READ_AHEAD_AFTER_MS = 150;

/**
 * A server may spend time in proportion to the folder on the first read of a message's content
 * in an IMAP session: Dovecot with Maildir then reads the folder's whole UID list
 * (`dovecot-uidlist`) to find the message's file, ~1.5 ms per 1,000 messages (150–200 ms at
 * 100,000 on the test machine; `e2e/bench/maildir-first-read.ts`), and a person's first open in a
 * large folder paid it. So after the first window of a folder of READ_AHEAD_FROM messages or
 * more, once per connection, one byte of its newest message is read (`FETCH * BODY.PEEK[]<0.1>`:
 * \Seen is not set, the byte is dropped) once the rows have been painted. The open that
 * follows finds the list read; one sent while the read runs waits for it, which is what it would
 * have paid anyway. Only in the folder IDLE watches (the one on screen), where it costs no SELECT.
 */
export class FirstRead {
  /** Per connection (a new one is a new server session), the folders read in or being read. */
  private readonly readIn = new WeakMap<ImapFlow, Set<string>>();

  constructor(private readonly ctx: ImapContext) {}

  /** A window of `folder`'s rows (or conversations) was answered. */
  afterWindow(folder: string): void {
    const client = this.ctx.usableClient();
    if (client === null) return;
    const folders = this.readIn.get(client) ?? new Set<string>();
    if (folders.has(folder)) return;
    folders.add(folder);
    this.readIn.set(client, folders);
    // After the paint, and after what the screen asked for meanwhile (the quota): that goes first.
    setTimeout(() => {
      // The person has moved on: reading here would select this folder again, and the watched
      // one after it. Its next window tries again.
      if (this.ctx.watched !== folder) {
        folders.delete(folder);
        return;
      }
      this.ctx
        .inFolder(folder, async (c, mailbox) => {
          if (mailbox.exists >= READ_AHEAD_FROM)
            await c.fetchOne("*", { source: { start: 0, maxLength: 1 } });
        })
        .catch((error: unknown) => this.ctx.log.debug("imap.first_read_failed", { folder, error }));
    }, READ_AHEAD_AFTER_MS).unref();
  }
}
