import { describe, expect, it } from "vitest";
import { createLogger } from "./log";

describe("logger", () => {
  it("never writes a field that looks like a secret", () => {
    const lines: string[] = [];
    const log = createLogger("debug", (l) => lines.push(l));
    log.info("signin", { user: "a@b.c", password: "hunter2", sessionId: "abc", cookie: "x" });
    expect(lines[0]).toContain("a@b.c");
    expect(lines[0]).not.toMatch(/hunter2|abc"|cookie/);
  });
});
