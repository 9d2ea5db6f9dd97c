import type { Pop3KnownEntry } from "@pismo/protocol/pop3";
import { describe, expect, it } from "vitest";
import { KNOWN_PIECE, KnownListIncompleteError, uploadKnown } from "./known-pieces";

// A long known list goes to the gateway in pieces; after each, the gateway says how many it
// holds. A count other than what was sent means a piece was lost (another upload pushed the
// list out): the pull must not go on with part of the list, which would plan most held
// messages as new and download them again.

const entries = (n: number, prefix = "u"): Pop3KnownEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    uid: `${prefix}-${i}`,
    storedAt: 1,
    deletedLocally: false,
    headersOnly: false,
  }));

describe("uploadKnown", () => {
  it("sends the list in pieces and accepts the counts that match", async () => {
    const held = new Map<string, Pop3KnownEntry>();
    const sizes: number[] = [];
    await uploadKnown(entries(12_345), async (piece) => {
      sizes.push(piece.length);
      for (const e of piece) held.set(e.uid, e);
      return held.size;
    });
    expect(sizes).toEqual([KNOWN_PIECE, KNOWN_PIECE, 2_345]);
    expect(held.size).toBe(12_345);
  });

  it("fails when the gateway holds fewer than were sent (the list was reset meanwhile)", async () => {
    let held = 0;
    let calls = 0;
    const upload = uploadKnown(entries(15_000), async (piece) => {
      calls += 1;
      // Another tab's upload reset the list after the first piece.
      held = calls === 2 ? piece.length : held + piece.length;
      return held;
    });
    await expect(upload).rejects.toBeInstanceOf(KnownListIncompleteError);
    await expect(upload).rejects.toMatchObject({ sent: 10_000, held: 5_000 });
    expect(calls).toBe(2);
  });

  it("counts a unique-id held twice once, as the gateway does", async () => {
    const list = [...entries(6_000), ...entries(10)];
    const held = new Set<string>();
    await uploadKnown(list, async (piece) => {
      for (const e of piece) held.add(e.uid);
      return held.size;
    });
    expect(held.size).toBe(6_000);
  });
});
