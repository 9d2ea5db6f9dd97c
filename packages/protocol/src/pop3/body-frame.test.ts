import { describe, expect, it } from "vitest";
import { decodeBodyFrame, encodeBodyFrame } from "./body-frame";

describe("body frames", () => {
  it("carry every byte of a message, 8-bit, NUL and bare LF included, with its header", () => {
    const raw = Uint8Array.from([0x53, 0x3a, 0x20, 0x8a, 0x9a, 0x00, 0x0a, 0x0d, 0x0a, 0xff, 0x2e]);
    const header = { uid: "000001a2", size: 4242, mode: "full" as const, verdict: null };
    const decoded = decodeBodyFrame(encodeBodyFrame(header, raw));
    expect(decoded.header).toEqual(header);
    expect([...decoded.raw]).toEqual([...raw]);
  });

  it("decode from a view into a larger buffer (a frame is not always at offset 0)", () => {
    const frame = encodeBodyFrame({ uid: "u", size: 1, mode: "headers" }, Uint8Array.of(7));
    const padded = new Uint8Array(frame.length + 3);
    padded.set(frame, 3);
    const decoded = decodeBodyFrame(padded.subarray(3));
    expect(decoded.header.uid).toBe("u");
    expect([...decoded.raw]).toEqual([7]);
  });

  it("refuse a frame they did not write", () => {
    expect(() => decodeBodyFrame(Uint8Array.of(0, 0))).toThrow(/too short/);
    expect(() => decodeBodyFrame(Uint8Array.of(0, 0, 0, 200, 0x7b))).toThrow(/header/);
    const notJson = Uint8Array.of(0, 0, 0, 2, 0x7b, 0x7b);
    expect(() => decodeBodyFrame(notJson)).toThrow();
    const badHeader = new TextEncoder().encode('{"uid":"","size":-1,"mode":"x"}');
    const frame = new Uint8Array(4 + badHeader.length);
    new DataView(frame.buffer).setUint32(0, badHeader.length);
    frame.set(badHeader, 4);
    expect(() => decodeBodyFrame(frame)).toThrow();
  });
});
