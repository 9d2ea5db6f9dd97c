"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { Pop3KnownEntry, Pop3PullErrorCode } from "@pismo/protocol/pop3";
import type { SenderVerdict } from "@pismo/protocol/trust";
import { base64ToBytes } from "@/lib/base64";
import { errorCodeOf, type UiErrorCode } from "@/lib/errors";
import { useTRPCClient } from "@/trpc/client";
import { summarize } from "./parse-pool";
import { isQuotaError, requestPersistentStorage, type Pop3Store } from "./pop3-store";
import type { PulledSummary } from "./pulled-summary";

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

export type PullState =
  | { phase: "idle" }
  | { phase: "connecting" }
  | {
      phase: "running";
      count: number;
      totalBytes: number;
      deferredBytes: number;
      /** messagesDone and bytesDone as they change (see PullMeter). */
      meter: PullMeter;
    };

/** Known entries per upload: about 0.5 MB of JSON, well within one WebSocket message. */
const KNOWN_PIECE = 5_000;

export type PullOutcome =
  | { kind: "done"; stored: number; deletionsCommitted: boolean; at: number }
  | { kind: "cancelled"; at: number }
  | { kind: "error"; code: UiErrorCode | Pop3PullErrorCode; at: number };

/**
 * Runs POP3 pulls into the store. Messages are stored in batches (what arrived while the
 * previous batch was written: one transaction, one disk flush) and a batch is acknowledged in
 * one call once its transaction committed; only acknowledged messages may be deleted on the
 * server. Cancel, a full
 * storage and a closed tab all end the subscription, and the gateway then drops the POP3
 * connection without QUIT, so the server forgets every DELE (RFC 1939 section 6).
 */
export function usePop3Pull(store: Pop3Store) {
  const client = useTRPCClient();
  const [state, setState] = useState<PullState>({ phase: "idle" });
  const [outcome, setOutcome] = useState<PullOutcome | null>(null);
  const active = useRef<{ unsubscribe(): void } | null>(null);
  const generation = useRef(0);

  const start = useCallback(async () => {
    if (active.current) return;
    const gen = ++generation.current;
    active.current = { unsubscribe: () => undefined };
    setState({ phase: "connecting" });
    void requestPersistentStorage();

    const finish = (result: PullOutcome) => {
      if (generation.current !== gen) return;
      generation.current += 1;
      active.current?.unsubscribe();
      active.current = null;
      setState({ phase: "idle" });
      setOutcome(result);
    };

    let known: Pop3KnownEntry[];
    let policy;
    try {
      [known, { policy }] = await Promise.all([store.known(), store.settings()]);
    } catch (error) {
      finish({ kind: "error", code: isQuotaError(error) ? "STORAGE_FULL" : "INTERNAL", at: Date.now() });
      return;
    }
    if (generation.current !== gen) return;

    // A long known list does not fit one WebSocket message: it goes ahead in pieces, and the
    // pull names it.
    let knownId: string | undefined;
    if (known.length > KNOWN_PIECE) {
      knownId = globalThis.crypto.randomUUID();
      try {
        for (let i = 0; i < known.length; i += KNOWN_PIECE)
          await client.pop3.addKnown.mutate({ knownId, entries: known.slice(i, i + KNOWN_PIECE) });
      } catch (error) {
        finish({ kind: "error", code: errorCodeOf(error), at: Date.now() });
        return;
      }
      if (generation.current !== gen) return;
      known = [];
    }

    let pullId = "";
    let meter: PullMeter | null = null;
    let chain: Promise<void> = Promise.resolve();
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
    const drain = async () => {
      if (generation.current !== gen || queue.length === 0) return;
      const batch = queue;
      queue = [];
      // One acknowledgement for the whole committed transaction, never before its commit.
      const acknowledge = () => {
        if (generation.current !== gen) return;
        void client.pop3.ackMany.mutate({ pullId, uids: batch.map((m) => m.uid) }).catch(() => undefined);
      };
      try {
        await store.storeMessages(batch, Date.now(), acknowledge);
      } catch (error) {
        finish({ kind: "error", code: isQuotaError(error) ? "STORAGE_FULL" : "INTERNAL", at: Date.now() });
      }
    };
    const sub = client.pop3.pull.subscribe(
      { known, policy, ...(knownId === undefined ? {} : { knownId }) },
      {
        onData(event) {
          if (generation.current !== gen) return;
          switch (event.type) {
            case "started":
              pullId = event.pullId;
              break;
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
            case "progress":
              meter?.set({
                messagesDone: event.messagesDone,
                bytesDone: event.bytesDone,
                count: event.count,
                totalBytes: event.totalBytes,
              });
              break;
            case "message": {
              const raw = base64ToBytes(event.raw);
              // Parsing starts now, in the Worker, while the previous batch is being written.
              const summary = summarize(event.uid, raw);
              summary.catch(() => undefined);
              queue.push({
                uid: event.uid,
                raw,
                size: event.size,
                mode: event.mode,
                summary,
                ...(event.verdict !== undefined ? { verdict: event.verdict } : {}),
              });
              chain = chain.then(drain);
              break;
            }
            case "done": {
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
        onComplete() {
          // A normal end always sends "done" or "error" first; anything else was cut short.
          void chain.then(() => finish({ kind: "error", code: "NETWORK", at: Date.now() }));
        },
      },
    );
    if (generation.current === gen) active.current = sub;
    else sub.unsubscribe();
  }, [client, store]);

  const cancel = useCallback(() => {
    if (!active.current) return;
    generation.current += 1;
    active.current.unsubscribe();
    active.current = null;
    setState({ phase: "idle" });
    setOutcome({ kind: "cancelled", at: Date.now() });
  }, []);

  // Leaving the app (sign-out, closed tab) ends the pull the same way Cancel does.
  useEffect(
    () => () => {
      active.current?.unsubscribe();
      active.current = null;
      generation.current += 1;
    },
    [],
  );

  return { state, outcome, start, cancel, running: state.phase !== "idle" };
}
