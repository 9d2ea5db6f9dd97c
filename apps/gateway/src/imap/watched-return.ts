import type { MailEvent } from "@pismo/protocol/schemas";

/** What SELECT says of a folder (imapflow's MailboxObject, the fields compared here). */
export interface SelectedState {
  path: string;
  uidValidity?: bigint | undefined;
  uidNext?: number | undefined;
  exists?: number | undefined;
  highestModseq?: bigint | undefined;
}

/**
 * What changed in the watched folder while the connection was in another one. IDLE only hears
 * the selected folder, and selecting the watched one again reports its state, not what happened
 * meanwhile (imapflow emits `mailboxOpen` then, never `exists` or `flags`): mail delivered, read
 * or flagged elsewhere during a search, an open in another folder or a sibling page's list was
 * never pushed. The state the connection knew when it left is kept here and compared with the
 * SELECT that brings it back, which costs no command of its own.
 *
 * Between two SELECTs the server tells only changes (EXISTS, FETCH with MODSEQ, RFC 7162 §3.1.4),
 * not a new UIDNEXT or HIGHESTMODSEQ: those are followed here from what was pushed, so changes
 * already told do not count again when the folder is left and selected again.
 */
export class WatchedReturn {
  /** The selected folder as last told: by SELECT, then by what the server pushed. */
  private current: SelectedState | null = null;
  /** The watched folder as it was when the connection selected another folder. */
  private left: SelectedState | null = null;

  /** A new connection: nothing it did not select itself is compared. */
  reset(selected: SelectedState | null): void {
    this.current = selected ? { ...selected } : null;
    this.left = null;
  }

  /** Another folder is watched now: what the one left was is no longer compared. */
  watching(path: string): void {
    if (this.left?.path !== path) this.left = null;
  }

  /** The watched folder `from` was renamed `to` (or a folder above it was) while the connection
   * was away from it: its state as left is compared with what selecting it under `to` says. */
  moved(from: string, to: string): void {
    if (this.left?.path === from) this.left = { ...this.left, path: to };
    else this.left = null;
  }

  /** The server pushed a new message count for `path` (EXISTS). */
  pushedExists(path: string, count: number, prevCount: number | undefined): void {
    const current = this.current;
    if (!current || current.path !== path) return;
    // New messages take UIDs from UIDNEXT on (RFC 9051 §2.3.1.1): at least this many were used.
    if (current.uidNext !== undefined && prevCount !== undefined && count > prevCount)
      current.uidNext += count - prevCount;
    current.exists = count;
  }

  /** The server told a message's new MODSEQ (a flag change, pushed or answering a STORE). */
  pushedModseq(path: string, modseq: bigint | undefined): void {
    const current = this.current;
    if (!current || current.path !== path || modseq === undefined) return;
    if (current.highestModseq === undefined || modseq > current.highestModseq) current.highestModseq = modseq;
  }

  /** The connection leaves `closed` (another SELECT, a failed one, or the end). */
  closed(closed: SelectedState, watched: string): void {
    if (closed.path !== watched) return;
    const told = this.current?.path === closed.path ? this.current : null;
    this.left = {
      path: closed.path,
      uidValidity: closed.uidValidity,
      exists: closed.exists,
      uidNext: max(closed.uidNext, told?.uidNext),
      highestModseq: max(closed.highestModseq, told?.highestModseq),
    };
    this.current = null;
  }

  /** A folder was selected: when it is the one left, the events that tell what changed meanwhile. */
  opened(opened: SelectedState): MailEvent[] {
    this.current = { ...opened };
    const before = this.left;
    if (!before || before.path !== opened.path) return [];
    this.left = null;
    return changesBetween(before, opened);
  }
}

/** The events for a folder that was `before` and is now `after` (both as SELECT reports them). */
export function changesBetween(before: SelectedState, after: SelectedState): MailEvent[] {
  const folder = after.path;
  // New UIDs (RFC 9051 §2.3.1.1): every UID known for the folder is void, so every window the
  // pages keep of it. `changed` makes them fetch all of them again.
  if (
    before.uidValidity !== undefined &&
    after.uidValidity !== undefined &&
    before.uidValidity !== after.uidValidity
  )
    return [{ type: "changed", folder }];
  // Mail arrived (a UID was used): told as IDLE would have, which also lets the page announce it.
  if (before.uidNext !== undefined && after.uidNext !== undefined && after.uidNext > before.uidNext)
    return [{ type: "exists", folder, total: after.exists ?? 0 }];
  // Removed messages, or flags changed elsewhere (\Seen, \Flagged raise HIGHESTMODSEQ,
  // RFC 7162 §3.1.2): the page refetches what it shows of the folder, flags and counts included.
  const modseqRose =
    before.highestModseq !== undefined &&
    after.highestModseq !== undefined &&
    after.highestModseq > before.highestModseq;
  if (modseqRose || (after.exists !== undefined && after.exists !== before.exists))
    return [{ type: "changed", folder }];
  return [];
}

function max<T extends number | bigint>(a: T | undefined, b: T | undefined): T | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}
