import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { emlName, readUpTo } from "./message-route";

describe("emlName", () => {
  it("keeps the asked name, made safe, ending in .eml once", () => {
    expect(emlName("Račun: novembar/decembar.eml", 7)).toBe("Račun novembar decembar.eml");
    expect(emlName('a\u0000b"c\r\nd', 7)).toBe("a b c d.eml");
  });
  it("falls back to the UID", () => {
    expect(emlName(null, 42)).toBe("message-42.eml");
    expect(emlName(" / ", 42)).toBe("message-42.eml");
  });
  it("keeps a long name short", () => {
    expect(emlName("x".repeat(500), 1)).toHaveLength(124);
  });
});

describe("readUpTo", () => {
  const chunks = () => Readable.from([Buffer.from("abcd"), Buffer.from("efgh"), Buffer.from("ijkl")]);
  it("reads no more than the cap and lets the stream go", async () => {
    const stream = chunks();
    expect((await readUpTo(stream, 6)).toString()).toBe("abcdef");
    expect(stream.destroyed).toBe(true);
  });
  it("reads a stream shorter than the cap whole", async () => {
    expect((await readUpTo(chunks(), 100)).toString()).toBe("abcdefghijkl");
  });
  it("stops exactly at a chunk's end", async () => {
    expect((await readUpTo(chunks(), 8)).toString()).toBe("abcdefgh");
  });
});
