import { afterEach, describe, expect, it, vi } from "vitest";
import { randomId } from "./ids";

describe("randomId", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("is a version 4 UUID, new each time", () => {
    const ids = new Set(Array.from({ length: 1000 }, randomId));
    expect(ids.size).toBe(1000);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("needs no crypto.randomUUID (missing outside a secure context)", () => {
    const { getRandomValues } = globalThis.crypto;
    vi.stubGlobal("crypto", { getRandomValues: getRandomValues.bind(globalThis.crypto) });
    expect(globalThis.crypto.randomUUID).toBeUndefined();
    expect(randomId()).toHaveLength(36);
  });
});
