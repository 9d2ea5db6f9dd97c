import { describe, expect, it } from "vitest";
import { callsOver } from "./trpc-ws";

describe("callsOver", () => {
  const calls = (n: number, input: unknown = null) =>
    Buffer.from(
      JSON.stringify(Array.from({ length: n }, (_, id) => ({ id, method: "query", params: { input } }))),
    );

  it("counts the elements of a top-level array, up to the limit", () => {
    expect(callsOver(calls(3), 3)).toBe(false);
    expect(callsOver(calls(4), 3)).toBe(true);
    expect(callsOver(Buffer.from("  \n[1,2,3,4]"), 3)).toBe(true);
  });

  it("one call, not an array: never over", () => {
    expect(
      callsOver(Buffer.from(JSON.stringify({ id: 1, method: "query", params: { input: [1, 2, 3, 4] } })), 1),
    ).toBe(false);
    expect(callsOver(Buffer.from("PING"), 0)).toBe(false);
  });

  it("commas and brackets inside strings, escaped quotes and nested arrays are not calls", () => {
    const tricky = { text: 'a, b], [c, "d", \\", {e}', list: [1, 2, 3, 4, 5] };
    expect(callsOver(calls(2, tricky), 2)).toBe(false);
    expect(callsOver(calls(3, tricky), 2)).toBe(true);
  });
});
