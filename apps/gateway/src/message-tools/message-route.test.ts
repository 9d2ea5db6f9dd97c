import { describe, expect, it } from "vitest";
import { emlName } from "./message-route";

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
