import { describe, expect, it } from "vitest";
import { SignInLimiter } from "./sign-in-limiter";

describe("SignInLimiter", () => {
  const opts = { windowMs: 1000, maxPerAccount: 3, maxPerAddress: 5 };

  it("blocks an account after its failures and lets it go when the window passes", () => {
    const l = new SignInLimiter(opts);
    for (let i = 0; i < 3; i++) l.recordFailure("1.1.1.1", "A@x.test", 0);
    expect(l.allowed("2.2.2.2", "a@x.test", 10)).toBe(false);
    expect(l.allowed("2.2.2.2", "b@x.test", 10)).toBe(true);
    expect(l.allowed("2.2.2.2", "a@x.test", 1001)).toBe(true);
  });

  it("blocks an address that tries many accounts", () => {
    const l = new SignInLimiter(opts);
    for (let i = 0; i < 5; i++) l.recordFailure("1.1.1.1", `u${i}@x.test`, 0);
    expect(l.allowed("1.1.1.1", "new@x.test", 1)).toBe(false);
    expect(l.allowed("9.9.9.9", "new@x.test", 1)).toBe(true);
  });

  it("forgets an account's failures after a success", () => {
    const l = new SignInLimiter(opts);
    for (let i = 0; i < 3; i++) l.recordFailure("1.1.1.1", "a@x.test", 0);
    l.recordSuccess("a@x.test");
    expect(l.allowed("3.3.3.3", "a@x.test", 1)).toBe(true);
  });
});
