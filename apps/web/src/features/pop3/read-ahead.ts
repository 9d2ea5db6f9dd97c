import type { MessageView } from "@pismo/protocol/mime";
import type { StoredMessage } from "./pop3-database";
import { parseView } from "./parse-pool";
import type { Pop3Store } from "./pop3-store";

/** A stored message read and parsed ahead of being opened. */
export interface ReadyMessage {
  meta: StoredMessage;
  raw: Uint8Array;
  view: MessageView;
}

/**
 * The same stored bytes of one message: its body changes in the store only when a headers-only
 * copy is completed (longer), and each read of it gives a new array.
 */
export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a === b || a.byteLength === b.byteLength;

/** Messages kept ready per store: the open one's neighbours and the few opened last. */
const KEEP = 6;
/** A message read longer ago than this is read again: it may have changed since. */
const FRESH_MS = 30_000;

const byStore = new WeakMap<Pop3Store, Map<string, ReadyMessage & { at: number }>>();

function readyOf(store: Pop3Store): Map<string, ReadyMessage & { at: number }> {
  let ready = byStore.get(store);
  if (!ready) {
    ready = new Map();
    byStore.set(store, ready);
  }
  return ready;
}

function keep(store: Pop3Store, uid: string, message: ReadyMessage): void {
  const ready = readyOf(store);
  ready.delete(uid);
  ready.set(uid, { ...message, at: Date.now() });
  for (const oldest of ready.keys()) {
    if (ready.size <= KEEP) break;
    ready.delete(oldest);
  }
}

/**
 * What was read ahead for `uid`, for the reading view's first render (the view reads the store
 * again and follows its changes). Only as the store holds it now: a message since deleted,
 * moved or completed is read again by the view.
 */
export function readyMessage(store: Pop3Store, uid: string): ReadyMessage | undefined {
  const ready = byStore.get(store)?.get(uid);
  if (!ready || Date.now() - ready.at > FRESH_MS) return undefined;
  return { meta: ready.meta, raw: ready.raw, view: ready.view };
}

/** Keeps a message the view has read and parsed, so going back to it is as quick as ahead. */
export function keepReady(store: Pop3Store, message: ReadyMessage): void {
  keep(store, message.meta.uid, message);
}

/** Reads in progress, so that a message pressed and then opened is read and parsed once. */
const reading = new WeakMap<Pop3Store, Map<string, Promise<ReadyMessage | undefined>>>();

async function readOne(store: Pop3Store, uid: string): Promise<ReadyMessage | undefined> {
  try {
    const [meta, raw] = await Promise.all([store.get(uid), store.raw(uid)]);
    if (!meta || !raw || meta.deletedLocally) return undefined;
    const ready = { meta, raw, view: await parseView(raw) };
    keep(store, uid, ready);
    return ready;
  } catch {
    // Read ahead is only a head start: the view reads the message itself when it opens.
    return undefined;
  }
}

/**
 * Reads and parses (in the parsing Worker) the messages the reader is likely to open next: the
 * open message's neighbours, a row being pressed. `j` then shows one without waiting for
 * IndexedDB or the parse, as the IMAP view shows a neighbour fetched ahead. Local work only:
 * POP3 mail is in the browser.
 */
export async function readAhead(store: Pop3Store, uids: readonly string[]): Promise<void> {
  let inFlight = reading.get(store);
  if (!inFlight) {
    inFlight = new Map();
    reading.set(store, inFlight);
  }
  for (const uid of uids) {
    if (readyMessage(store, uid) || inFlight.has(uid)) continue;
    const read = readOne(store, uid).finally(() => inFlight.delete(uid));
    inFlight.set(uid, read);
    await read;
  }
}

/**
 * The view of `raw` (the message `uid` as the store holds it now): what was read ahead when it
 * is these bytes, the read in progress when there is one, else parsed now (in the Worker).
 */
export async function viewOf(store: Pop3Store, uid: string, raw: Uint8Array): Promise<MessageView> {
  const same = (ready: ReadyMessage | undefined) =>
    ready && sameBytes(ready.raw, raw) ? ready.view : undefined;
  return same(readyMessage(store, uid)) ?? same(await reading.get(store)?.get(uid)) ?? (await parseView(raw));
}
