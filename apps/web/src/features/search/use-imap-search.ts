"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ImapSearchEvent, MailEvent, SearchRow } from "@pismo/protocol/schemas";
import { frameBatcher } from "@/lib/batch";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import { followRenumbered, refKey, withRows, withoutFolder, type FolderHits } from "./search-uid-validity";

export { refKey };

export interface SearchRef {
  folder: string;
  uid: number;
}

export interface ImapSearchRequest {
  text: string;
  now: number;
  locale: string;
  currentFolder: string;
  fuzzy: boolean;
}

export interface ImapSearchResults {
  /** Every match so far, newest first. */
  refs: SearchRef[];
  /** List rows the search streamed with a large folder's first matches, by refKey. */
  streamed: ReadonlyMap<string, SearchRow>;
  /**
   * Each folder's UIDVALIDITY its results were searched under, by folder: what an action on
   * them names (`searchActionGroups`), not the one of the folder's cached list windows, which
   * may have been fetched after the folder was made again (RFC 9051 §2.3.1.1).
   */
  uidValidities: ReadonlyMap<string, string>;
  /** The folders the search looks in, in the order it searches them. */
  folders: string[];
  searched: number;
  running: boolean;
  /** The server has answered for at least one folder (or part of one). */
  answered: boolean;
  /** The user pressed Stop before every folder answered. */
  stopped: boolean;
  folderErrors: Array<{ folder: string; message: string }>;
  /** The search as a whole failed (a folder named with in: does not exist). */
  failure: unknown;
  stop: () => void;
}

/** A folder's answer, without the messages expunged since the search began. */
function withHits(
  s: RunState,
  folder: string,
  { uids, dates, uidValidity }: FolderHits,
): Map<string, FolderHits> {
  const hits = { uids, dates, uidValidity };
  if (s.gone.size === 0) return new Map(s.hits).set(folder, hits);
  const keep = hits.uids.map((uid) => !s.gone.has(refKey({ folder, uid })));
  return new Map(s.hits).set(folder, {
    uids: hits.uids.filter((_, i) => keep[i]),
    dates: hits.dates.length === 0 ? [] : hits.dates.filter((_, i) => keep[i]),
    uidValidity,
  });
}

/** Merges the folders' answers: one folder keeps its own order (newest arrival first); several
 * are merged by internal date. */
export function mergeHits(hits: ReadonlyMap<string, FolderHits>, dated: boolean): SearchRef[] {
  if (!dated) return [...hits].flatMap(([folder, h]) => h.uids.map((uid) => ({ folder, uid })));
  const all = [...hits].flatMap(([folder, h]) =>
    h.uids.map((uid, i) => ({ folder, uid, date: h.dates[i] ?? 0 })),
  );
  all.sort((a, b) => b.date - a.date || b.uid - a.uid);
  return all.map(({ folder, uid }) => ({ folder, uid }));
}

/**
 * Runs a server search and keeps its results current: the gateway streams each folder's
 * matches as that folder answers (a large folder's newest matches first, with their rows,
 * before its older messages are searched); Stop closes the subscription, and the gateway
 * starts no further folder or part of one. While results are shown, new mail in a searched
 * folder re-runs the search for that folder only, and a message deleted or moved away leaves
 * the list.
 */
interface RunState {
  key: string | null;
  hits: Map<string, FolderHits>;
  streamed: Map<string, SearchRow>;
  /** Messages expunged while the search ran: a folder's answer searched before may still hold them. */
  gone: Set<string>;
  folders: string[];
  searched: number;
  running: boolean;
  stopped: boolean;
  folderErrors: ImapSearchResults["folderErrors"];
  failure: unknown;
}

const initial = (key: string | null): RunState => ({
  key,
  hits: new Map(),
  streamed: new Map(),
  gone: new Set(),
  folders: [],
  searched: 0,
  running: key !== null,
  stopped: false,
  folderErrors: [],
  failure: null,
});

export function useImapSearch(request: ImapSearchRequest | null): ImapSearchResults {
  const client = useTRPCClient();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const key = request ? JSON.stringify(request) : null;
  const [stored, setStored] = useState<RunState>(() => initial(key));
  // A state left from another request is that request's: this one starts empty.
  const state = stored.key === key ? stored : initial(key);
  // The search's subscription, and a way to render the answers it holds back for the next frame.
  const main = useRef<{ unsubscribe: () => void; flush: () => void } | null>(null);
  // The results as last rendered, for the cache listeners below (they run outside a render).
  const hitsNow = useRef(state.hits);
  useEffect(() => {
    hitsNow.current = state.hits;
  });

  useEffect(() => {
    if (!request) return;
    // Folders answer a few ms apart: each answer rendered on its own task kept the page behind
    // the stream (the results of 16 folders showed complete ~40–80 ms later on a slow machine).
    // An answer after a quiet frame renders at once, those that follow it within the frame
    // together at the next one; the first matches and the end (done, a failure) at once.
    const batch = frameBatcher<(s: RunState) => Partial<RunState>>((changes) =>
      setStored((s) => {
        let next = s.key === key ? s : initial(key);
        for (const change of changes) next = { ...next, ...change(next) };
        return next;
      }),
    );
    const update = (change: (s: RunState) => Partial<RunState>, now = false) => batch.push(change, now);
    let matched = false;
    const firstMatches = (uids: readonly number[]) => {
      if (matched || uids.length === 0) return false;
      matched = true;
      return true;
    };
    const sub = client.imap.search.subscribe(request, {
      onData: (data) => {
        const event = data as ImapSearchEvent;
        switch (event.type) {
          case "plan":
            update(() => ({ folders: event.folders }));
            break;
          case "partial":
            // The folder's newest matches, while its older messages are still searched: shown
            // at once (the count in the status waits for the complete answer).
            update(
              (s) => ({
                hits: withHits(s, event.folder, event),
                streamed: withRows(s.streamed, event.folder, event.uidValidity, event.rows),
              }),
              firstMatches(event.uids),
            );
            break;
          case "folder":
            update(
              (s) => ({
                searched: event.searched,
                hits: withHits(s, event.folder, event),
                streamed: withRows(s.streamed, event.folder, event.uidValidity, event.rows ?? []),
              }),
              firstMatches(event.uids),
            );
            break;
          case "folder-error":
            // Made again between two parts of its search: the parts shown name other messages.
            update((s) => ({
              ...(event.code === "FOLDER_CHANGED" ? withoutFolder(s, event.folder) : {}),
              searched: event.searched,
              folderErrors: [...s.folderErrors, { folder: event.folder, message: event.message }],
            }));
            break;
          case "done":
            update(() => ({ running: false }), true);
            break;
        }
      },
      onError: (error) => update(() => ({ failure: error, running: false }), true),
      onComplete: () => update(() => ({ running: false }), true),
    });
    // Stop: the answers that came before it are shown, none after.
    main.current = {
      unsubscribe: () => {
        sub.unsubscribe();
        batch.flush();
      },
      flush: batch.flush,
    };
    return () => {
      sub.unsubscribe();
      batch.cancel();
      main.current = null;
    };
    // The request is compared by value (its JSON), not by identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, client]);

  // Live: new mail in a searched folder is searched for again (that folder only).
  const folders = state.folders;
  const folderSet = useMemo(() => new Set(folders), [folders]);
  useEffect(() => {
    if (!request || folderSet.size === 0) return;
    const setHits = (change: (hits: Map<string, FolderHits>) => Map<string, FolderHits>) =>
      setStored((s) => (s.key === key ? { ...s, hits: change(s.hits) } : s));
    const forget = (ref: SearchRef) =>
      setStored((s) => (s.key === key ? { ...s, gone: new Set(s.gone).add(refKey(ref)) } : s));
    const refreshing = new Map<string, { unsubscribe: () => void }>();
    const refresh = (folder: string) => {
      refreshing.get(folder)?.unsubscribe();
      const sub = client.imap.search.subscribe(
        { ...request, folders: [folder] },
        {
          onData: (data) => {
            const event = data as ImapSearchEvent;
            if (event.type !== "folder") return;
            const { uids, dates, uidValidity } = event;
            // The search's own answers waiting for a frame are older than this one: first.
            main.current?.flush();
            setStored((s) =>
              s.key === key
                ? {
                    ...s,
                    hits: new Map(s.hits).set(folder, { uids, dates, uidValidity }),
                    streamed: withRows(s.streamed, folder, uidValidity, []),
                  }
                : s,
            );
          },
          onError: () => undefined,
        },
      );
      refreshing.set(folder, sub);
    };
    // A searched folder found renumbered (made again on another device): a list window, a
    // conversation window or a window of result rows read under another UIDVALIDITY than its
    // results were searched under, or an action on it refused with FOLDER_CHANGED. Its results
    // name other messages now: they go at once (nothing stale stays to be acted on), and the
    // folder is searched again.
    const renumbered = (folder: string) => {
      main.current?.flush();
      const hits = new Map(hitsNow.current);
      hits.delete(folder);
      hitsNow.current = hits;
      setStored((s) => (s.key === key ? withoutFolder(s, folder) : s));
      void qc.invalidateQueries(trpc.imap.searchRows.pathFilter());
      refresh(folder);
    };
    const stopRenumbered = followRenumbered(
      qc,
      trpc,
      (folder) => hitsNow.current.get(folder)?.uidValidity,
      renumbered,
    );
    const events = client.imap.events.subscribe(undefined, {
      onData: (data) => {
        const event = data as MailEvent;
        if ((event.type === "exists" || event.type === "counts") && folderSet.has(event.folder))
          refresh(event.folder);
        // Many messages changed at once (a bulk flag change, move or delete, which the server
        // does not tell message by message): the folder is searched again and its rows read again.
        else if (event.type === "changed" && folderSet.has(event.folder)) {
          refresh(event.folder);
          void qc.invalidateQueries(trpc.imap.searchRows.pathFilter());
        } else if (event.type === "expunge" && folderSet.has(event.folder)) {
          const gone = event.uid;
          if (gone === null) refresh(event.folder);
          else {
            forget({ folder: event.folder, uid: gone });
            setHits((h) => {
              const f = h.get(event.folder);
              const i = f?.uids.indexOf(gone) ?? -1;
              if (!f || i < 0) return h;
              return new Map(h).set(event.folder, {
                ...f,
                uids: f.uids.filter((_, j) => j !== i),
                dates: f.dates.filter((_, j) => j !== i),
              });
            });
          }
        } else if (event.type === "flags") void qc.invalidateQueries(trpc.imap.searchRows.pathFilter());
      },
    });
    return () => {
      events.unsubscribe();
      stopRenumbered();
      for (const sub of refreshing.values()) sub.unsubscribe();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, folderSet, client]);

  const stop = useCallback(() => {
    main.current?.unsubscribe();
    main.current = null;
    setStored((s) => (s.key === key ? { ...s, running: false, stopped: true } : s));
  }, [key]);

  const dated = folders.length > 1;
  const refs = useMemo(() => mergeHits(state.hits, dated), [state.hits, dated]);
  const uidValidities = useMemo(
    () => new Map([...state.hits].map(([folder, h]) => [folder, h.uidValidity])),
    [state.hits],
  );
  return {
    refs,
    streamed: state.streamed,
    uidValidities,
    folders,
    searched: state.searched,
    running: state.running,
    answered: state.hits.size > 0,
    stopped: state.stopped,
    folderErrors: state.folderErrors,
    failure: state.failure,
    stop,
  };
}
