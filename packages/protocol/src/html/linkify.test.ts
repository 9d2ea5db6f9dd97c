// @vitest-environment node
import { describe, expect, it } from "vitest";
import { linkifyPlainText } from "./linkify";

describe("linkifyPlainText", () => {
  it("splits text and links, keeping every character", () => {
    const text = "Vidi https://example.rs/a?b=1&c=2, pa piši na pera@example.rs.";
    const segments = linkifyPlainText(text);
    expect(segments).toEqual([
      { kind: "text", text: "Vidi " },
      { kind: "link", href: "https://example.rs/a?b=1&c=2", text: "https://example.rs/a?b=1&c=2" },
      { kind: "text", text: ", pa piši na " },
      { kind: "link", href: "mailto:pera@example.rs", text: "pera@example.rs" },
      { kind: "text", text: "." },
    ]);
    expect(segments.map((s) => s.text).join("")).toBe(text);
  });

  it("handles brackets and trailing punctuation", () => {
    expect(linkifyPlainText("(see https://en.wikipedia.org/wiki/Foo_(bar))")).toEqual([
      { kind: "text", text: "(see " },
      {
        kind: "link",
        href: "https://en.wikipedia.org/wiki/Foo_(bar)",
        text: "https://en.wikipedia.org/wiki/Foo_(bar)",
      },
      { kind: "text", text: ")" },
    ]);
    expect(linkifyPlainText("Go to www.example.com!")[1]).toEqual({
      kind: "link",
      href: "https://www.example.com",
      text: "www.example.com",
    });
  });

  it("never makes script or data links and never interprets HTML", () => {
    const text = `javascript:alert(1) data:text/html,<script>alert(1)</script> <a href="https://x.test">x</a> vbscript:x`;
    const segments = linkifyPlainText(text);
    for (const segment of segments)
      if (segment.kind === "link") expect(segment.href).toMatch(/^(?:https?:|mailto:)/);
    expect(segments.map((s) => s.text).join("")).toBe(text);
    expect(segments.find((s) => s.kind === "link")).toEqual({
      kind: "link",
      href: "https://x.test",
      text: "https://x.test",
    });
  });

  it("returns plain text untouched", () => {
    expect(linkifyPlainText("")).toEqual([]);
    expect(linkifyPlainText("bez linkova")).toEqual([{ kind: "text", text: "bez linkova" }]);
  });
});
