import { describe, expect, it } from "vitest";
import { MAX_CALLS_PER_MESSAGE, callsEncoder } from "./trpc-ws";

describe("callsEncoder", () => {
  const calls = (n: number) =>
    JSON.stringify(Array.from({ length: n }, (_, id) => ({ id, method: "query", params: { path: "x" } })));

  it("reads a call, or a batch of up to MAX_CALLS_PER_MESSAGE, as JSON", () => {
    expect(callsEncoder.decode('{"id":1,"method":"query"}')).toEqual({ id: 1, method: "query" });
    expect(callsEncoder.decode(calls(MAX_CALLS_PER_MESSAGE))).toHaveLength(MAX_CALLS_PER_MESSAGE);
    expect(callsEncoder.encode({ a: 1 })).toBe('{"a":1}');
  });

  it("refuses a batch of more, and binary frames, before any call runs", () => {
    expect(() => callsEncoder.decode(calls(MAX_CALLS_PER_MESSAGE + 1))).toThrow(/More than 500 calls/);
    expect(() => callsEncoder.decode(new Uint8Array([0x5b, 0x5d]))).toThrow(/text frame/);
  });
});
