import { describe, expect, it } from "vitest";
import { shownWords } from "./sieve-rules";

describe("the server's words shown after the page's own", () => {
  it("are one line, its control characters gone", () => {
    expect(shownWords('line 3: unknown command "foo"\r\nline 5: error\u0007 here\n')).toBe(
      'line 3: unknown command "foo" line 5: error here',
    );
  });

  it("are cut to 300 characters", () => {
    const shown = shownWords("x".repeat(4_000));
    expect(shown).toHaveLength(300);
    expect(shown.endsWith("…")).toBe(true);
    expect(shownWords("kratko")).toBe("kratko");
  });
});
