"use client";

import { useEffect, useMemo, useSyncExternalStore } from "react";
import { decodeBodyFrame, type Pop3KnownEntry, type Pop3PullErrorCode } from "@pismo/protocol/pop3";
import type { SenderVerdict } from "@pismo/protocol/trust";
import { base64ToBytes } from "@/lib/base64";
import { errorCodeOf, type UiErrorCode } from "@/lib/errors";
import { gatewayWebSocketUrl, useTRPCClient } from "@/trpc/client";
import { summarize } from "./parse-pool";
import { isQuotaError, requestPersistentStorage, type Pop3Store } from "./pop3-store";
import type { PulledSummary } from "./pulled-summary";
import { randomId } from "@pismo/protocol/ids";
import { KNOWN_PIECE, KnownListIncompleteError, uploadKnown } from "./known-pieces";
import { acquirePullLock } from "./pull-lock";

export interface PullFigures {
  messagesDone: number;
  count: number;
  bytesDone: number;
  totalBytes: number;
}

/**
 * The running figures of a pull, kept outside React state: only the progress bar subscribes
 * (useSyncExternalStore), so an update re-renders the bar and not the app around it, whose
 * folder list and message list would otherwise render again a few times a second.
 */
export class PullMeter {
  #figures: PullFigures;
  readonly #listeners = new Set<() => void>();

  constructor(figures: PullFigures) {
    this.#figures = figures;
  }

  readonly get = (): PullFigures => this.#figures;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  set(figures: PullFigures): void {
    const f = this.#figures;
    if (
      f.messagesDone === figures.messagesDone &&
      f.bytesDone === figures.bytesDone &&
      f.count === figures.count &&
      f.totalBytes === figures.totalBytes
    )
      return;
    this.#figures = figures;
    for (const listener of this.#listeners) listener();
  }
}

/**
 * The gateway's clock as seen from this browser: "delete after N days" is planned by the
 * gateway's clock, so what a pull stores is dated by it too (a browser clock that is off would
 * otherwise keep mail on the server for ever or remove it early). Without the gateway's time
 * (an older gateway) it is this browser's clock.
 */
export function gatewayClock(gatewayNow: number | undefined, browserNow = Date.now()): () => number {
  const offset = gatewayNow === undefined ? 0 : gatewayNow - browserNow;
  return () => Date.now() + offset;
}

/** Lets go of the pull lock held in `release`, once. */
function letGo(release: { current: (() => void) | null }): void {
  release.current?.();
  release.current = null;
}

export type PullState =
  | { phase: "idle" }
  | { phase: "connecting" }
  /** Cancel was pressed: the gateway is asked to stop, and the page waits to hear how it ended. */
  | { phase: "stopping" }
  | {
      phase: "running";
      count: number;
      totalBytes: number;
      deferredBytes: number;
      /** messagesDone and bytesDone as they change (see PullMeter). */
      meter: PullMeter;
    };

/**
 * A batch is stored once this many bytes arrived, or once no message came for BATCH_QUIET_MS.
 * Every committed transaction makes the open views read the folder again (Dexie's liveQuery:
 * the list, the unread counts), so a few large batches cost the page far less than many small
 * ones; the gateway keeps a window of several MB in flight, so the wire does not wait.
 */
const BATCH_BYTES = 2 * 1024 * 1024;
const BATCH_QUIET_MS = 30;

/**
 * Opens the pull's body channel: a second WebSocket of the same origin (the session cookie
 * goes with it) on which each message arrives as one binary frame. Null when it cannot open
 * (an older gateway): the pull then brings bodies as base64 in its JSON events.
 */
function openBodyChannel(id: string): Promise<WebSocket | null> {
  return new Promise((resolve) => {
    let socket: WebSocket;
    try {
      const url = new URL(gatewayWebSocketUrl());
      url.pathname = url.pathname.replace(/\/trpc$/, "") + "/pop3-bodies";
      url.search = `?channel=${encodeURIComponent(id)}`;
      socket = new WebSocket(url);
    } catch {
      resolve(null);
      return;
    }
    socket.binaryType = "arraybuffer";
    const timer = setTimeout(() => {
      socket.close();
      resolve(null);
    }, 5_000);
    socket.onopen = () => {
      clearTimeout(timer);
      resolve(socket);
    };
    socket.onerror = () => {
      clearTimeout(timer);
      resolve(null);
    };
  });
}

export type PullOutcome =
  | {
      kind: "done";
      stored: number;
      deletionsCommitted: boolean;
      /** Left on the server because they could not be brought; the next pull tries again. */
      skipped: number;
      at: number;
    }
  | { kind: "cancelled"; at: number }
  | {
      kind: "error";
      /** KNOWN_INCOMPLETE: the gateway did not hold the whole known list; nothing was pulled. */
      code: UiErrorCode | Pop3PullErrorCode | "KNOWN_INCOMPLETE";
      at: number;
    };

/** What a pull uses of the gateway's tRPC client. */
type PullClient = ReturnType<typeof useTRPCClient>;

/** What a pull uses of its body channel (a WebSocket; see openBodyChannel). */
export interface BodyChannel {
  onmessage: ((event: MessageEvent<ArrayBuffer | string>) => void) | null;
  close(): void;
}

/** How long Cancel waits to hear how the pull ended before it stops listening. */
const STOP_WAIT_MS = 15_000;

/** One pull, from its start to the outcome the gateway reported. */
interface PullRun {
  /** Asks the gateway to stop; the run goes on until the gateway says how the pull ended. */
  stop(): void;
  /** The page is left: the subscription ends at once, and nothing more of the pull is heard. */
  drop(): void;
  /** How the pull ended, once its last batch has been written. */
  ended: Promise<PullOutcome>;
}

/**
 * Runs one POP3 pull into the store. Messages are stored in batches (what arrived while the
 * previous batch was written: one transaction, one disk flush) and a batch is acknowledged in
 * one call once its transaction committed; only acknowledged messages may be deleted on the
 * server. A full storage and a closed tab end the subscription, and the gateway then drops the
 * POP3 connection without QUIT, so the server forgets every DELE (RFC 1939 section 6).
 */
function runPull(
  store: Pop3Store,
  client: PullClient,
  openBodies: (id: string) => Promise<BodyChannel | null>,
  show: (state: PullState) => void,
): PullRun {
  let over = false;
  let stopping = false;
  let subscription: { unsubscribe(): void } | null = null;
  let bodies: BodyChannel | null = null;
  let chain: Promise<void> = Promise.resolve();
  /** Lets go of this account's pull lock (pull-lock.ts) once the pull ends. */
  const release: { current: (() => void) | null } = { current: null };
  let ended!: (outcome: PullOutcome) => void;
  const outcome = new Promise<PullOutcome>((resolve) => {
    ended = resolve;
  });

  const finish = (result: PullOutcome) => {
    if (over) return;
    over = true;
    subscription?.unsubscribe();
    bodies?.close();
    letGo(release);
    // A pull asked to stop that the gateway then cut short was stopped, not failed; a full
    // storage met by its last batch is still said.
    const said: PullOutcome =
      stopping && result.kind === "error" && result.code !== "STORAGE_FULL"
        ? { kind: "cancelled", at: result.at }
        : result;
    // After the batch being written, if any: a wipe waiting for this must not meet its write.
    void chain.then(
      () => ended(said),
      () => ended(said),
    );
  };

  const setState = (state: PullState) => {
    if (!over && !stopping) show(state);
  };

  const begin = async () => {
    setState({ phase: "connecting" });
    void requestPersistentStorage();

    // One pull at a time per account in this browser: another tab checking says so here.
    const unlock = await acquirePullLock(store.name);
    if (over) {
      unlock?.();
      return;
    }
    if (!unlock) {
      finish({ kind: "error", code: "BUSY", at: Date.now() });
      return;
    }
    release.current = unlock;

    let known: Pop3KnownEntry[];
    let policy;
    try {
      [known, { policy }] = await Promise.all([store.known(), store.settings()]);
    } catch (error) {
      finish({ kind: "error", code: isQuotaError(error) ? "STORAGE_FULL" : "INTERNAL", at: Date.now() });
      return;
    }
    if (over) return;

    // A long known list does not fit one WebSocket message: it goes ahead in pieces, and the
    // pull names it. The gateway must hold all of it: a pull on part of it would download
    // most held messages again.
    let knownId: string | undefined;
    if (known.length > KNOWN_PIECE) {
      const id = randomId();
      knownId = id;
      try {
        await uploadKnown(known, (entries) => client.pop3.addKnown.mutate({ knownId: id, entries }));
      } catch (error) {
        finish({
          kind: "error",
          code: error instanceof KnownListIncompleteError ? "KNOWN_INCOMPLETE" : errorCodeOf(error),
          at: Date.now(),
        });
        return;
      }
      if (over) return;
      known = [];
    }

    // Bodies come as bytes on a channel of their own; without it, as base64 in the events.
    const channelId = randomId();
    bodies = await openBodies(channelId);
    if (over) {
      bodies?.close();
      return;
    }

    let pullId = "";
    let clock = gatewayClock(undefined);
    let meter: PullMeter | null = null;
    // Messages that arrived while the previous batch was being written: the gateway keeps a
    // few in flight, and storing them together costs one disk flush instead of several.
    let queue: Array<{
      uid: string;
      raw: Uint8Array;
      size: number;
      mode: "full" | "headers";
      verdict?: SenderVerdict | null;
      summary: Promise<PulledSummary>;
    }> = [];
    let queuedBytes = 0;
    let quiet: ReturnType<typeof setTimeout> | null = null;
    const drain = async () => {
      if (over || queue.length === 0) return;
      const batch = queue;
      queue = [];
      queuedBytes = 0;
      // One acknowledgement for the whole committed transaction, never before its commit.
      const acknowledge = () => {
        if (over) return;
        void client.pop3.ackMany.mutate({ pullId, uids: batch.map((m) => m.uid) }).catch(() => undefined);
      };
      try {
        await store.storeMessages(batch, clock(), acknowledge);
      } catch (error) {
        finish({ kind: "error", code: isQuotaError(error) ? "STORAGE_FULL" : "INTERNAL", at: Date.now() });
      }
    };
    const arrived = (message: {
      uid: string;
      raw: Uint8Array;
      size: number;
      mode: "full" | "headers";
      verdict?: SenderVerdict | null | undefined;
    }) => {
      // Parsing starts now, in the Worker, while the previous batch is being written.
      const summary = summarize(message.uid, message.raw);
      summary.catch(() => undefined);
      queue.push({
        uid: message.uid,
        raw: message.raw,
        size: message.size,
        mode: message.mode,
        summary,
        ...(message.verdict !== undefined ? { verdict: message.verdict } : {}),
      });
      queuedBytes += message.raw.length;
      if (quiet !== null) clearTimeout(quiet);
      quiet = null;
      if (queuedBytes >= BATCH_BYTES) chain = chain.then(drain);
      else
        quiet = setTimeout(() => {
          quiet = null;
          chain = chain.then(drain);
        }, BATCH_QUIET_MS);
    };
    if (bodies) {
      bodies.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
        if (over || typeof event.data === "string") return;
        let frame;
        try {
          frame = decodeBodyFrame(new Uint8Array(event.data));
        } catch {
          finish({ kind: "error", code: "INTERNAL", at: Date.now() });
          return;
        }
        arrived({ ...frame.header, raw: frame.raw });
      };
      // Its closing needs no handling here: the gateway closes it when the pull ends, and when
      // it is cut the gateway drops the pull (deleting nothing) and says so on the subscription.
    }
    subscription = client.pop3.pull.subscribe(
      {
        known,
        policy,
        ...(knownId === undefined ? {} : { knownId }),
        ...(bodies ? { bodies: channelId } : {}),
      },
      {
        onData(event) {
          if (over) return;
          switch (event.type) {
            case "started": {
              pullId = event.pullId;
              clock = gatewayClock(event.now);
              // Copies dated ahead of the gateway's clock (this browser's clock ran fast) would
              // never age: they are dated now.
              const now = clock();
              chain = chain.then(() => store.capStoredAt(now).catch(() => undefined));
              break;
            }
            case "plan":
              meter = new PullMeter({
                messagesDone: 0,
                bytesDone: 0,
                count: event.count,
                totalBytes: event.totalBytes,
              });
              setState({
                phase: "running",
                count: event.count,
                totalBytes: event.totalBytes,
                deferredBytes: event.deferredBytes,
                meter,
              });
              break;
            case "gone": {
              // The server no longer lists these: whatever is held under them leaves the known list.
              const uids = event.uids;
              chain = chain.then(() => store.forgetGone(uids).catch(() => undefined));
              break;
            }
            case "progress":
              meter?.set({
                messagesDone: event.messagesDone,
                bytesDone: event.bytesDone,
                count: event.count,
                totalBytes: event.totalBytes,
              });
              break;
            case "message":
              arrived({ ...event, raw: base64ToBytes(event.raw) });
              break;
            case "done": {
              // Heard after a stop too: a pull past its DELEs when asked to stop still removed
              // these from the server, and they must stop counting as there.
              const deleted = event.deleted;
              chain = chain.then(async () => {
                await store.forgetOnServer(deleted).catch(() => undefined);
                finish(
                  event.cancelled
                    ? { kind: "cancelled", at: Date.now() }
                    : {
                        kind: "done",
                        stored: event.stored,
                        deletionsCommitted: event.deletionsCommitted,
                        skipped: event.skipped ?? 0,
                        at: Date.now(),
                      },
                );
              });
              break;
            }
            case "error":
              finish({ kind: "error", code: event.code, at: Date.now() });
              break;
          }
        },
        onError(error) {
          finish({ kind: "error", code: errorCodeOf(error), at: Date.now() });
        },
        onConnectionStateChange(state) {
          // The socket dropped once the pull had begun: the gateway drops the pull (deleting
          // nothing unacknowledged), and tRPC would send it again on the new socket with the
          // same body channel and known list, which the gateway refuses as bad input. It ends
          // here instead, saying what happened; the next check goes on from what was stored.
          if (state.state === "connecting" && pullId !== "")
            finish({ kind: "error", code: "NETWORK", at: Date.now() });
        },
        onComplete() {
          // A normal end always sends "done" or "error" first; anything else was cut short.
          void chain.then(() => finish({ kind: "error", code: "NETWORK", at: Date.now() }));
        },
      },
    );
    if (over) subscription.unsubscribe();
  };
  void begin();

  return {
    stop() {
      if (over || stopping) return;
      stopping = true;
      show({ phase: "stopping" });
      // Not yet asked of the gateway: nothing there to stop.
      if (subscription === null) {
        finish({ kind: "cancelled", at: Date.now() });
        return;
      }
      // The gateway drops the POP3 connection on either word to stop (the body channel closed,
      // or the subscription ended), forgetting every DELE, unless its QUIT is already on the
      // way: then the deletions stand, and only its "done" says which messages are gone from
      // the server. So the body channel's closing says stop, and the subscription stays to hear
      // how the pull ended. Without a body channel, ending the subscription is the only word.
      if (!bodies) {
        finish({ kind: "cancelled", at: Date.now() });
        return;
      }
      bodies.close();
      // A gateway that does not answer at all: stop listening after a while.
      setTimeout(() => finish({ kind: "cancelled", at: Date.now() }), STOP_WAIT_MS);
    },
    drop() {
      finish({ kind: "cancelled", at: Date.now() });
    },
    ended: outcome,
  };
}

/**
 * This account's pulls in this page: one at a time, each started by "Check now" or the
 * periodic check, stopped by Cancel or sign-out, and held off while the sign-out dialog is
 * open. What the page shows of them (the state and the last outcome) is read with
 * useSyncExternalStore.
 */
export class Pop3Puller {
  #view: { state: PullState; outcome: PullOutcome | null } = { state: { phase: "idle" }, outcome: null };
  #run: PullRun | null = null;
  #holds = 0;
  readonly #listeners = new Set<() => void>();

  constructor(
    private readonly store: Pop3Store,
    private readonly client: PullClient,
    private readonly openBodies: (id: string) => Promise<BodyChannel | null> = openBodyChannel,
  ) {}

  readonly get = (): { state: PullState; outcome: PullOutcome | null } => this.#view;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  #show(view: { state: PullState; outcome: PullOutcome | null }): void {
    this.#view = view;
    for (const listener of this.#listeners) listener();
  }

  /** Pulls now, unless a pull runs or pulls are held; resolves when it has ended. */
  readonly start = async (): Promise<void> => {
    if (this.#run || this.#holds > 0) return;
    const run = runPull(this.store, this.client, this.openBodies, (state) =>
      this.#show({ ...this.#view, state }),
    );
    this.#run = run;
    const outcome = await run.ended;
    this.#run = null;
    this.#show({ state: { phase: "idle" }, outcome });
  };

  /**
   * Stops the pull running, if any, and resolves once it has ended: what it removed from the
   * server is no longer counted there, and its last batch is written.
   */
  readonly cancel = async (): Promise<void> => {
    const run = this.#run;
    if (!run) return;
    run.stop();
    await run.ended;
  };

  /** No pull starts until the returned function is called (the sign-out dialog is open). */
  readonly hold = (): (() => void) => {
    this.#holds += 1;
    let held = true;
    return () => {
      if (held) this.#holds -= 1;
      held = false;
    };
  };

  /** Leaving the page (sign-out, a closed tab): the subscription ends at once. */
  readonly drop = (): void => {
    this.#run?.drop();
  };
}

/** This account's pulls (Pop3Puller), for the app: its state, last outcome and controls. */
export function usePop3Pull(store: Pop3Store) {
  const client = useTRPCClient();
  const puller = useMemo(() => new Pop3Puller(store, client), [store, client]);
  useEffect(() => () => puller.drop(), [puller]);
  const { state, outcome } = useSyncExternalStore(puller.subscribe, puller.get, puller.get);
  const running = state.phase !== "idle";
  return { state, outcome, start: puller.start, cancel: puller.cancel, hold: puller.hold, running };
}
