import { MutationObserver, QueryClient } from "@tanstack/react-query";
import { createTRPCClient } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { describe, expect, it } from "vitest";
import type { AppRouter } from "@pismo/protocol/router";
import type { ListWindow, SearchRow } from "@pismo/protocol/schemas";
import { GatewayError } from "@/lib/errors";
import { uidValidityOf } from "../imap/imap-cache";
import {
  followRenumbered,
  refKey,
  searchActionGroups,
  withRows,
  withoutFolder,
  type FolderHits,
} from "./search-uid-validity";

const row = (folder: string, uid: number, uidValidity: string) =>
  ({ folder, uid, uidValidity, subject: `${folder} ${uid}` }) as SearchRow;

function setup() {
  const qc = new QueryClient();
  const client = createTRPCClient<AppRouter>({ links: [] });
  const trpc = createTRPCOptionsProxy<AppRouter>({ client, queryClient: qc });
  return { qc, trpc };
}

describe("an action on search results", () => {
  it("names, per folder, the UIDVALIDITY the search read the folder under, not the cached list's", () => {
    const { qc, trpc } = setup();
    // Work was listed before it was made again on another device (UIDVALIDITY 1 → 2) and its
    // list fetched again since; the search ran before that, so its UIDs are the old folder's.
    qc.setQueryData(trpc.imap.list.queryKey({ folder: "Work", offset: 0, limit: 50, sort: "arrival" }), {
      folder: "Work",
      total: 3,
      offset: 0,
      uidValidity: "2",
      messages: [],
    } satisfies ListWindow);
    const searched = new Map([
      ["Work", "1"],
      ["INBOX", "9"],
    ]);
    const refs = [
      { folder: "Work", uid: 3 },
      { folder: "INBOX", uid: 40 },
      { folder: "Work", uid: 1 },
    ];
    expect(searchActionGroups(refs, searched)).toEqual([
      { folder: "Work", uids: [3, 1], uidValidity: "1" },
      { folder: "INBOX", uids: [40], uidValidity: "9" },
    ]);
    // What the page sent before: the cached list's, which the gateway would have found current,
    // acting on the new folder's messages 3 and 1.
    expect(uidValidityOf(qc, trpc, "Work")).toBe("2");
  });

  it("leaves out a folder whose results were dropped, rather than send its UIDs unchecked", () => {
    const refs = [
      { folder: "Work", uid: 3 },
      { folder: "INBOX", uid: 40 },
    ];
    expect(searchActionGroups(refs, new Map([["INBOX", "9"]]))).toEqual([
      { folder: "INBOX", uids: [40], uidValidity: "9" },
    ]);
  });
});

describe("a search's results of a folder renumbered", () => {
  it("keep only rows read under the folder's UIDVALIDITY of the answer", () => {
    const before = new Map([
      [refKey(row("Work", 1, "1")), row("Work", 1, "1")],
      [refKey(row("INBOX", 7, "9")), row("INBOX", 7, "9")],
    ]);
    const after = withRows(before, "Work", "2", [row("Work", 2, "2"), row("Work", 3, "1")]);
    expect([...after.values()].map((r) => [r.folder, r.uid, r.uidValidity])).toEqual([
      ["INBOX", 7, "9"],
      ["Work", 2, "2"],
    ]);
  });

  it("are dropped with their rows and expunge marks, other folders' kept", () => {
    const hits = new Map<string, FolderHits>([
      ["Work", { uids: [3, 1], dates: [], uidValidity: "1" }],
      ["INBOX", { uids: [40], dates: [], uidValidity: "9" }],
    ]);
    const streamed = new Map([
      [refKey(row("Work", 3, "1")), row("Work", 3, "1")],
      [refKey(row("INBOX", 40, "9")), row("INBOX", 40, "9")],
    ]);
    const gone = new Set([refKey({ folder: "Work", uid: 2 }), refKey({ folder: "INBOX", uid: 41 })]);
    const s = withoutFolder({ hits, streamed, gone, running: true }, "Work");
    expect([...s.hits.keys()]).toEqual(["INBOX"]);
    expect([...s.streamed.keys()]).toEqual([refKey({ folder: "INBOX", uid: 40 })]);
    expect([...s.gone]).toEqual([refKey({ folder: "INBOX", uid: 41 })]);
    expect(s.running).toBe(true);
  });

  it("are found out by a window fetched under another UIDVALIDITY, or an action refused with FOLDER_CHANGED", async () => {
    const { qc, trpc } = setup();
    const searched = new Map([
      ["Work", "1"],
      ["INBOX", "9"],
    ]);
    const found: string[] = [];
    const stop = followRenumbered(
      qc,
      trpc,
      (folder) => searched.get(folder),
      (folder) => found.push(folder),
    );
    const list = (folder: string, uidValidity: string) =>
      qc.fetchQuery({
        queryKey: trpc.imap.list.queryKey({ folder, offset: 0, limit: 50, sort: "arrival" }),
        queryFn: () => ({ folder, total: 0, offset: 0, uidValidity, messages: [] }) as ListWindow,
      });
    await list("INBOX", "9");
    await list("Sent", "4");
    expect(found).toEqual([]);
    // The page's own edit of a cached window of another UIDVALIDITY tells nothing of the server.
    qc.setQueryData(trpc.imap.list.queryKey({ folder: "Work", offset: 50, limit: 50, sort: "arrival" }), {
      folder: "Work",
      total: 0,
      offset: 50,
      uidValidity: "0",
      messages: [],
    } satisfies ListWindow);
    expect(found).toEqual([]);
    await list("Work", "2");
    expect(found).toEqual(["Work"]);

    // A window of result rows fetched after INBOX was made again.
    await qc.fetchQuery({
      queryKey: trpc.imap.searchRows.queryKey({ refs: [{ folder: "INBOX", uid: 40 }] }),
      queryFn: () => [row("INBOX", 40, "10"), row("INBOX", 41, "10")],
    });
    expect(found).toEqual(["Work", "INBOX"]);

    const refused = new MutationObserver(qc, {
      mutationFn: (_: { folder: string; uids: number[] }) =>
        Promise.reject(new GatewayError("FOLDER_CHANGED")),
    });
    await refused.mutate({ folder: "Work", uids: [3] }).catch(() => undefined);
    await refused.mutate({ folder: "Sent", uids: [3] }).catch(() => undefined);
    const other = new MutationObserver(qc, {
      mutationFn: (_: { folder: string }) => Promise.reject(new GatewayError("NOT_FOUND")),
    });
    await other.mutate({ folder: "INBOX" }).catch(() => undefined);
    expect(found).toEqual(["Work", "INBOX", "Work"]);
    stop();
  });
});
