import { describe, expect, it } from "vitest";
import type { ListWindow, MessageSummary, SearchRow } from "@pismo/protocol/schemas";
import { parseSearchQuery } from "@pismo/protocol/search";
import {
  knownResults,
  newestCachedRows,
  newestCachedUidValidity,
  withKnownResults,
  type CachedWindow,
} from "./known-results";
import type { ImapSearchResults, SearchRef } from "./use-imap-search";

const key = (r: SearchRef) => `${r.folder}\u0000${r.uid}`;
const people = ["Jelena Petrović", "Marko Marković", "Ана Јовановић"];

/** Message `uid` of a folder of 100: every third from Jelena. */
function row(uid: number): MessageSummary {
  const name = people[uid % 3] ?? "";
  return {
    uid,
    subject: `Poruka ${uid}`,
    from: { name, address: `${uid % 3}@primer.rs` },
    to: [{ name: "Demo", address: "demo@pismo.test" }],
    date: null,
    size: 1000,
    seen: uid % 2 === 0,
    flagged: false,
    answered: false,
    hasAttachment: false,
  };
}

/** Rows offset..offset+limit of the folder (uid 100 is the newest). */
function win(offset: number, limit: number, over: Partial<ListWindow> = {}, stale = false): CachedWindow {
  const messages = Array.from({ length: limit }, (_, i) => row(100 - offset - i));
  return { window: { folder: "INBOX", total: 100, offset, uidValidity: "7", messages, ...over }, stale };
}

const uids = (rows: readonly { uid: number }[]) => rows.map((r) => r.uid);
describe("newestCachedRows", () => {
  it("joins windows from the newest without a gap", () => {
    expect(uids(newestCachedRows("INBOX", [win(30, 50), win(0, 30)]))).toEqual(
      Array.from({ length: 80 }, (_, i) => 100 - i),
    );
  });

  it("stops at a gap, and has nothing without the first window", () => {
    expect(newestCachedRows("INBOX", [win(0, 30), win(80, 20)])).toHaveLength(30);
    expect(newestCachedRows("INBOX", [win(30, 50)])).toEqual([]);
    expect(newestCachedRows("Sent", [win(0, 30)])).toEqual([]);
  });

  it("takes nothing from an out-of-date first window and nothing of another generation", () => {
    expect(newestCachedRows("INBOX", [win(0, 30, {}, true)])).toEqual([]);
    expect(newestCachedRows("INBOX", [win(0, 30), win(30, 50, { total: 101 })])).toHaveLength(30);
    expect(newestCachedRows("INBOX", [win(0, 30), win(30, 50, { uidValidity: "8" })])).toHaveLength(30);
  });

  it("ends where UIDs stop falling (rows out of the server's order)", () => {
    const w = win(0, 5);
    const messages = [row(100), row(99), row(101), row(98)];
    expect(uids(newestCachedRows("INBOX", [{ ...w, window: { ...w.window, messages } }]))).toEqual([100, 99]);
  });
});

function parse(text: string) {
  const parsed = parseSearchQuery(text, { now: Date.UTC(2026, 10, 30), locale: "sr" });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.query;
}

describe("knownResults", () => {
  const rows = newestCachedRows("INBOX", [win(0, 30)]);

  it("gives the newest certain matches, as rows of the search with their folder", () => {
    const known = knownResults(parse("from:jelena"), "INBOX", rows, { fuzzy: false, key, uidValidity: "7" });
    expect(known.refs.slice(0, 3)).toEqual([
      { folder: "INBOX", uid: 99 },
      { folder: "INBOX", uid: 96 },
      { folder: "INBOX", uid: 93 },
    ]);
    expect(known.refs).toHaveLength(10);
    expect(known.rows.get(key({ folder: "INBOX", uid: 99 }))?.folder).toBe("INBOX");
  });

  it("carries the UIDVALIDITY the rows were listed with, and gives nothing without one", () => {
    const windows = [win(0, 30), win(30, 50, { uidValidity: "8" })];
    expect(newestCachedUidValidity("INBOX", windows)).toBe("7");
    expect(newestCachedUidValidity("INBOX", [win(0, 30, {}, true)])).toBeNull();
    const known = knownResults(parse("from:jelena"), "INBOX", newestCachedRows("INBOX", windows), {
      fuzzy: false,
      key,
      uidValidity: newestCachedUidValidity("INBOX", windows),
    });
    expect([...known.rows.values()].every((r) => r.uidValidity === "7")).toBe(true);
    expect(known.uidValidities).toEqual(new Map([["INBOX", "7"]]));
    expect(
      knownResults(parse("from:jelena"), "INBOX", rows, { fuzzy: false, key, uidValidity: null }).refs,
    ).toEqual([]);
  });

  it("stops at the first row the list cannot judge", () => {
    // uid 100 is Marko's: "jelena" may be in its body.
    expect(
      knownResults(parse("jelena"), "INBOX", rows, { fuzzy: false, key, uidValidity: "7" }).refs,
    ).toEqual([]);
  });

  it("judges the Cyrillic name by the server's Latin spelling", () => {
    const known = knownResults(parse("from:ana"), "INBOX", rows, { fuzzy: false, key, uidValidity: "7" });
    expect(known.refs[0]).toEqual({ folder: "INBOX", uid: 98 });
  });

  it("does not judge a To or From the envelope holds no mailbox of (a group, undisclosed recipients)", () => {
    const undisclosed = { ...row(100), to: [] };
    const noSender = { ...row(100), from: null };
    const judged = (q: string, r: MessageSummary) =>
      knownResults(parse(q), "INBOX", [r, row(99)], { fuzzy: false, key, uidValidity: "7" }).refs.length;
    expect(judged("to:demo", undisclosed)).toBe(0);
    expect(judged("to:demo", row(100))).toBe(2);
    expect(judged("from:jelena", noSender)).toBe(0);
    expect(judged("from:jelena", row(100))).toBe(1);
  });

  it("gives nothing for another folder or with approximate matching", () => {
    expect(
      knownResults(parse("in:Sent from:jelena"), "INBOX", rows, { fuzzy: false, key, uidValidity: "7" }).refs,
    ).toEqual([]);
    expect(
      knownResults(parse("from:jelena"), "INBOX", rows, { fuzzy: true, key, uidValidity: "7" }).refs,
    ).toEqual([]);
    expect(
      knownResults(parse("in:all from:jelena"), "INBOX", rows, { fuzzy: false, key, uidValidity: "7" }).refs,
    ).toHaveLength(10);
    expect(
      knownResults(parse("in:INBOX from:jelena"), "INBOX", rows, { fuzzy: false, key, uidValidity: "7" })
        .refs,
    ).toHaveLength(10);
  });
});

describe("withKnownResults", () => {
  const known = knownResults(parse("from:jelena"), "INBOX", newestCachedRows("INBOX", [win(0, 30)]), {
    fuzzy: false,
    key,
    uidValidity: "7",
  });
  const server = (over: Partial<ImapSearchResults>): ImapSearchResults => ({
    refs: [],
    streamed: new Map<string, SearchRow>(),
    uidValidities: new Map<string, string>(),
    folders: ["INBOX"],
    searched: 0,
    running: true,
    answered: false,
    stopped: false,
    folderErrors: [],
    failure: null,
    stop: () => undefined,
    ...over,
  });

  it("shows the known rows while the server has not answered", () => {
    const shown = withKnownResults(server({}), known);
    expect(shown.refs).toEqual(known.refs);
    expect(shown.running).toBe(true);
    expect(shown.streamed.size).toBe(known.refs.length);
    // Acted on under the UIDVALIDITY they were listed with.
    expect(shown.uidValidities).toEqual(new Map([["INBOX", "7"]]));
  });

  it("gives way to the server's answer, which may drop a row shown early", () => {
    const answer = [{ folder: "INBOX", uid: 96 }];
    const uidValidities = new Map([["INBOX", "9"]]);
    const shown = withKnownResults(server({ refs: answer, answered: true, uidValidities }), known);
    expect(shown.refs).toEqual(answer);
    expect(shown.uidValidities).toBe(uidValidities);
  });

  it("shows nothing early once the search has ended without an answer", () => {
    expect(withKnownResults(server({ running: false }), known).refs).toEqual([]);
  });
});
