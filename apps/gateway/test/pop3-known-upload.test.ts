import type { Pop3KnownMessage } from "@pismo/protocol/pop3";
import { describe, expect, it } from "vitest";
import { KnownUpload } from "../src/pop3/known-upload";
import { fakeServerSession, useFakePop3Server } from "./helpers";

// A long known list goes up in pieces before its pull. Two tabs of one session upload at the
// same time: each list is kept under its own id, so neither resets the other and each pull
// takes all of its own list (before, a piece with another id reset the single list, and a pull
// took only its last pieces: most held messages were planned as new and downloaded again).

const entry: Pop3KnownMessage = { storedAt: 1, deletedLocally: false, headersOnly: false };

function piece(prefix: string, from: number, n: number): Array<[string, Pop3KnownMessage]> {
  return Array.from({ length: n }, (_, i) => [`${prefix}-${from + i}`, entry]);
}

describe("known lists uploaded in pieces", () => {
  it("keeps two lists uploaded interleaved apart, each whole", () => {
    const known = new KnownUpload();
    expect(known.add("tab-a", piece("a", 0, 5_000))).toBe(5_000);
    expect(known.add("tab-b", piece("b", 0, 5_000))).toBe(5_000);
    expect(known.add("tab-a", piece("a", 5_000, 5_000))).toBe(10_000);
    expect(known.add("tab-b", piece("b", 5_000, 2_000))).toBe(7_000);
    expect(known.add("tab-a", piece("a", 10_000, 1_000))).toBe(11_000);
    const a = known.take("tab-a");
    expect(a.size).toBe(11_000);
    expect([...a.keys()].every((uid) => uid.startsWith("a-"))).toBe(true);
    expect(known.take("tab-b").size).toBe(7_000);
    // Handed over once.
    expect(() => known.take("tab-a")).toThrow(/did not arrive/);
  });

  it("keeps only a few lists: one pushed out is refused whole, and its next piece shows it", () => {
    const known = new KnownUpload();
    expect(known.add("old", piece("o", 0, 10))).toBe(10);
    for (const id of ["n1", "n2", "n3", "n4"]) known.add(id, piece(id, 0, 10));
    expect(() => known.take("old")).toThrow(/did not arrive/);
    // The browser sent 20 so far and hears 10: it knows the list was lost.
    expect(known.add("old", piece("o", 10, 10))).toBe(10);
    expect(known.take("n4").size).toBe(10);
  });

  it("bounds all lists together, pushing out older ones first", () => {
    const known = new KnownUpload();
    known.add("first", piece("f", 0, 150_000));
    expect(known.add("second", piece("s", 0, 150_000))).toBe(150_000);
    expect(() => known.take("first")).toThrow(/did not arrive/);
    expect(known.take("second").size).toBe(150_000);
    expect(() => known.add("huge", piece("h", 0, 250_001))).toThrow(/at most/);
  });
});

describe("a session's known lists", () => {
  const fakePop3Server = useFakePop3Server();

  it("lets two tabs upload at once, each taking its own whole list", async () => {
    const session = fakeServerSession(await fakePop3Server());
    expect(session.addKnown("tab-a", piece("a", 0, 5_000))).toBe(5_000);
    expect(session.addKnown("tab-b", piece("b", 0, 5_000))).toBe(5_000);
    expect(session.addKnown("tab-a", piece("a", 5_000, 3_000))).toBe(8_000);
    expect(session.takeKnown("tab-a").size).toBe(8_000);
    expect(session.takeKnown("tab-b").size).toBe(5_000);
    session.close();
  });
});
