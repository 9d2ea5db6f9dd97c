/** A message that just arrived in the Inbox, as a notification shows it. */
export interface NewMail {
  /** What opens it: an IMAP UID or a POP3 UIDL. */
  id: string;
  from: string;
  subject: string;
}

/**
 * Where the user's eyes are when mail arrives. `visible` is `document.visibilityState`
 * ("visible": the tab is the one shown and the window is not minimised); `focused` is
 * `document.hasFocus()` (the window has the keyboard: a visible tab of a window behind another
 * one is not focused); `viewingInbox` is the app showing the Inbox's list or a message of it.
 */
export interface Attention {
  visible: boolean;
  focused: boolean;
  viewingInbox: boolean;
}

/** The user already sees the new mail appear in the list: no notification, no sound. */
export function isWatchingInbox(attention: Attention): boolean {
  return attention.visible && attention.focused && attention.viewingInbox;
}

/** The messages of `now` that were not in `before`, in the order of `now` (newest first). */
export function arrivedSince<T extends { id: string }>(before: ReadonlySet<string>, now: readonly T[]): T[] {
  return now.filter((m) => !before.has(m.id));
}

/**
 * The Inbox UIDs this page's own actions gave messages: a move into the Inbox (Not spam, a drag,
 * an Undo of Archive or Delete) gives each a new UID, above every one seen, and they are not
 * new mail. The newest few thousand are kept.
 */
const placedInInbox = new Set<number>();
const PLACED_KEPT = 5_000;

/** The mailbox closed (a sign-out): another account may open in this page, whose UIDs are not
 * these. */
export function forgetPlacedInInbox(): void {
  placedInInbox.clear();
}

export function notePlacedInInbox(uids: Iterable<number>): void {
  for (const uid of uids) placedInInbox.add(uid);
  for (const uid of placedInInbox) {
    if (placedInInbox.size <= PLACED_KEPT) break;
    placedInInbox.delete(uid);
  }
}

/** The unread messages of `now` above `lastUid` that came to the Inbox, not moved there from here. */
export function newInInbox<T extends { uid: number; seen: boolean }>(
  lastUid: number,
  now: readonly T[],
): T[] {
  return arrivedAfterUid(lastUid, now).filter((m) => !m.seen && !placedInInbox.has(m.uid));
}

/** IMAP UIDs only grow within a UIDVALIDITY (RFC 9051 §2.3.1.1): new mail is above the last seen. */
export function arrivedAfterUid<T extends { uid: number }>(lastUid: number, now: readonly T[]): T[] {
  return now.filter((m) => m.uid > lastUid);
}

export interface NotificationText {
  title: string;
  body: string;
  /** The message a click opens: the newest. */
  open: NewMail;
}

/**
 * One notification for one arrival, however many messages it brought (a POP3 pull of 40 must
 * not raise 40): a single message says its sender and subject; several say how many, and the
 * newest one's sender and subject.
 */
export function notificationText(
  mail: readonly NewMail[],
  words: { several: (count: number) => string; noSubject: string; unknownSender: string },
): NotificationText | null {
  const newest = mail[0];
  if (!newest) return null;
  const line = (m: NewMail) => m.subject.trim() || words.noSubject;
  const sender = newest.from.trim() || words.unknownSender;
  if (mail.length === 1) return { title: sender, body: line(newest), open: newest };
  return { title: words.several(mail.length), body: `${sender}: ${line(newest)}`, open: newest };
}
