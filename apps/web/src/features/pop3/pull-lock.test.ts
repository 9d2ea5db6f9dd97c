import { describe, expect, it } from "vitest";
import { acquirePullLock, type LockManagerLike } from "./pull-lock";

/** The Web Locks API's `ifAvailable` behaviour, in memory (one manager: one browser). */
function fakeLocks(): LockManagerLike {
  const held = new Set<string>();
  return {
    async request(name, _options, callback) {
      if (held.has(name)) return callback(null);
      held.add(name);
      try {
        return await callback({ name });
      } finally {
        held.delete(name);
      }
    },
  };
}

describe("acquirePullLock", () => {
  it("lets one tab of an account pull at a time", async () => {
    const locks = fakeLocks();
    const first = await acquirePullLock("pop3-a", locks);
    expect(first).toBeTypeOf("function");
    expect(await acquirePullLock("pop3-a", locks)).toBeNull();
    // Another account is not held up.
    const other = await acquirePullLock("pop3-b", locks);
    expect(other).toBeTypeOf("function");
    first?.();
    await new Promise((r) => setTimeout(r, 0));
    const again = await acquirePullLock("pop3-a", locks);
    expect(again).toBeTypeOf("function");
    again?.();
    other?.();
  });

  it("pulls unguarded where the browser has no Web Locks", async () => {
    expect(await acquirePullLock("pop3-a", undefined)).toBeTypeOf("function");
  });
});
