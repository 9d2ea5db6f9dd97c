import parser from "imapflow/lib/handler/imap-parser.js";
import { describe, expect, it } from "vitest";
import { mapThreadIds, parseThreadResponse, threadsFromAttributes } from "./imap-thread";
import type { ThreadParseResult } from "./imap-thread";
import type { Thread } from "./jwz";

const draw = (thread: Thread<number>): string[] =>
  thread.messageIds.map((uid, i) => "  ".repeat(thread.depths[i] ?? 0) + String(uid));

function threadsOf(result: ThreadParseResult): string[][] {
  if (!result.ok) throw new Error(result.error.message);
  return result.threads.map(draw);
}

/** The RFC 5256 section 4 example of THREAD=REFERENCES on a real mailbox. */
const rfcReferences =
  "* THREAD (166)(167)(168)(169)(172)(170)(171)(173)(174 (175)(176)(178)(181)(180))(179)(177 (183)(182)(188)(184)(185)(186)(187)(189))(190)(191)(192)(193)(194 195)(196 (197)(198))(199)(200 202)(201)(203)(204)(205)(206 207)(208)";
/** The same section's THREAD=ORDEREDSUBJECT example: dummies at the root. */
const rfcOrderedSubject =
  "* THREAD (166)(167)(168)(169)(172)((170)(179))(171)(173)((174)(175)(176)(178)(181)(180))((177)(183)(182)(188)(184)(185)(186)(187)(189))(190)(191)(192)(193)((194)(195))((196)(197)(198))(199)(200 202)(201)(203)(204)(205 206 207)(208)";

describe("parseThreadResponse", () => {
  it("reads the RFC 5256 grammar example", () => {
    expect(threadsOf(parseThreadResponse("* THREAD (2)(3 6 (4 23)(44 7 96))"))).toEqual([
      ["2"],
      ["3", "  6", "    4", "      23", "    44", "      7", "        96"],
    ]);
  });

  it("reads a missing root as siblings at depth 0", () => {
    const result = parseThreadResponse("* THREAD ((3)(5 8))");
    expect(threadsOf(result)).toEqual([["3", "5", "  8"]]);
    expect(result.ok && result.threads[0]?.rootKey).toBe("3");
  });

  it("reads the RFC's REFERENCES and ORDEREDSUBJECT examples", () => {
    const references = threadsOf(parseThreadResponse(rfcReferences));
    expect(references).toHaveLength(25);
    expect(references[8]).toEqual(["174", "  175", "  176", "  178", "  181", "  180"]);
    expect(references[15]).toEqual(["194", "  195"]);
    const ordered = threadsOf(parseThreadResponse(rfcOrderedSubject));
    expect(ordered[5]).toEqual(["170", "179"]);
    expect(ordered[21]).toEqual(["205", "  206", "    207"]);
    expect(ordered.flat()).toHaveLength(references.flat().length);
  });

  it("accepts the data without the untagged prefix, and line endings", () => {
    expect(threadsOf(parseThreadResponse("(1 2)(3)\r\n"))).toEqual([["1", "  2"], ["3"]]);
    expect(threadsOf(parseThreadResponse("THREAD (1)"))).toEqual([["1"]]);
  });

  it("reads an empty response as no threads", () => {
    expect(parseThreadResponse("* THREAD")).toEqual({ ok: true, threads: [] });
    expect(parseThreadResponse("* THREAD\r\n")).toEqual({ ok: true, threads: [] });
    expect(parseThreadResponse("")).toEqual({ ok: true, threads: [] });
  });

  it("reads deep nesting without recursion", () => {
    // 50,000 levels, each UID opening a nested list for the next, ending in two branches.
    const levels = 50_000;
    let text = "";
    for (let n = 1; n <= levels; n++) text += `(${n} `;
    text += "(999999)(999998)";
    text += ")".repeat(levels);
    // The grammar wants two branches per nested list; a lone one is read as that branch.
    const result = parseThreadResponse(`* THREAD ${text}`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.threads).toHaveLength(1);
    expect(result.threads[0]?.depths[levels - 1]).toBe(levels - 1);
    expect(result.threads[0]?.depths.at(-1)).toBe(levels);
  });

  it.each([
    ["(1", "not closed"],
    ["(1))", 'unexpected ")"'],
    ["()", "empty thread list"],
    ["(1 (2)(3) 4)", "UID 4 follows a nested thread list"],
    ["(0)", '"0" is not a UID'],
    ["(4294967296)", '"4294967296" is not a UID'],
    ["(1 x)", 'unexpected "x"'],
    ["(1)(1)", "UID 1 appears twice"],
    ["1 2", 'expected "(" before UID 1'],
    ["* SORT 1 2", 'unexpected "*"'],
    ["(".repeat(100_000), "not closed"],
  ])("refuses %j: %s", (text, message) => {
    const result = parseThreadResponse(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain(message);
  });

  it("maps UIDs to the caller's ids", () => {
    const result = parseThreadResponse("* THREAD (3 6 (4)(44))");
    if (!result.ok) throw new Error(result.error.message);
    expect(mapThreadIds(result.threads, (uid) => `INBOX:${uid}`)).toEqual([
      { rootKey: "3", messageIds: ["INBOX:3", "INBOX:6", "INBOX:4", "INBOX:44"], depths: [0, 1, 2, 2] },
    ]);
  });

  it("says where the input went wrong", () => {
    const result = parseThreadResponse("* THREAD (1 2)(3 ?)");
    expect(result).toEqual({
      ok: false,
      error: { message: 'THREAD response: unexpected "?" at offset 17', at: 17 },
    });
  });
});

describe("threadsFromAttributes", () => {
  it("reads what imapflow's own parser makes of a THREAD response", async () => {
    const line = `${rfcOrderedSubject} ((1)(2 (3)(4)))`;
    const untagged = (await parser(line)) as { attributes?: unknown };
    expect(threadsFromAttributes(untagged.attributes)).toEqual(parseThreadResponse(line));
    const empty = (await parser("* THREAD")) as { attributes?: unknown };
    expect(threadsFromAttributes(empty.attributes)).toEqual({ ok: true, threads: [] });
  });

  it("refuses attributes that are not thread lists", () => {
    expect(threadsFromAttributes("x").ok).toBe(false);
    expect(threadsFromAttributes([{ type: "ATOM", value: "1" }]).ok).toBe(false);
    expect(threadsFromAttributes([[{ type: "ATOM", value: "abc" }]]).ok).toBe(false);
    expect(threadsFromAttributes([[]]).ok).toBe(false);
  });
});
