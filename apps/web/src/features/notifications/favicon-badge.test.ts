import { describe, expect, it } from "vitest";
import { badgedIconSvg, badgeLabel, svgDataUrl } from "./favicon-badge";
import { parsePrefs } from "./notification-prefs";

describe("the favicon's unread badge", () => {
  it("shows the count, capped at 99+", () => {
    expect(badgeLabel(0)).toBeNull();
    expect(badgeLabel(-3)).toBeNull();
    expect(badgeLabel(Number.NaN)).toBeNull();
    expect(badgeLabel(3)).toBe("3");
    expect(badgeLabel(99)).toBe("99");
    expect(badgeLabel(100)).toBe("99+");
  });

  it("is the plain icon with no unread mail and a red dot with the number otherwise", () => {
    expect(badgedIconSvg(0)).not.toContain("data-unread");
    const svg = badgedIconSvg(5);
    expect(svg).toContain('data-unread="5"');
    expect(svg).toContain(">5</text>");
    expect(badgedIconSvg(250)).toContain(">99+</text>");
  });

  it("is a data: URL the page's CSP allows (img-src data:), with the SVG escaped", () => {
    const url = svgDataUrl(badgedIconSvg(2));
    expect(url.startsWith("data:image/svg+xml,")).toBe(true);
    expect(url).not.toContain("<");
    expect(decodeURIComponent(url.slice("data:image/svg+xml,".length))).toBe(badgedIconSvg(2));
  });
});

describe("the notification settings kept in the browser", () => {
  it("are off unless turned on, and damaged data turns nothing on", () => {
    expect(parsePrefs(null)).toEqual({ desktop: false, sound: false });
    expect(parsePrefs('{"desktop":true}')).toEqual({ desktop: true, sound: false });
    expect(parsePrefs('{"desktop":"yes","sound":1}')).toEqual({ desktop: false, sound: false });
    expect(parsePrefs("{not json")).toEqual({ desktop: false, sound: false });
    expect(parsePrefs("null")).toEqual({ desktop: false, sound: false });
  });
});
