// @vitest-environment node
// The CSS filter against tricks that make a blocked token appear only after a removal, or
// that hide a forbidden value where a plain-text match does not look (var() fallbacks,
// @property initial values). Each case goes through filterCss and through the whole policy.

import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { filterCss } from "./css";
import { createSanitizer } from "./sanitize";
import { findUnsafe } from "./safety-check";

const window = new JSDOM("").window;
const sanitize = createSanitizer(window as unknown as Window);

function filter(css: string, allowRemote = false): string {
  return filterCss(css, { allowRemote }, { seen: 0, blocked: 0 });
}

function parse(html: string): HTMLElement {
  const body = window.document.createElement("body");
  body.innerHTML = html;
  return body;
}

describe("filterCss: tokens rebuilt by a removal", () => {
  it.each([
    ["@imp@importort", `@imp@importort "https://evil.test/x.css"; p{color:red}`],
    ["@imp@imp@importortort", `@imp@imp@importortort url(https://evil.test/x.css);`],
    ["@import split by an escaped comment", `@imp\\2f\\2a x \\2a\\2f ort "https://evil.test/x.css";`],
    ["@import rebuilt from an escaped @import", `@imp@\\69mportort "https://evil.test/x.css";`],
  ])("%s", (_name, css) => {
    for (const allowRemote of [false, true]) {
      const out = filter(css, allowRemote);
      expect(out.toLowerCase()).not.toContain("@import");
      expect(filter(out, allowRemote)).toBe(out);
    }
  });

  it("does not let an escaped comment hide position: fixed from the filter", () => {
    const out = filter(`div{position:\\2f\\2a x \\2a\\2f fixed}`);
    expect(out).not.toMatch(/fixed/);
  });

  it("rebuilt expression() and -moz-binding stay blocked", () => {
    expect(filter(`a{width:expexpressionression(alert(1))}`)).not.toMatch(/expression\s*\(/i);
    expect(filter(`a{-moz--moz-bindingbinding:url(x)}`)).not.toMatch(/-moz-binding/i);
  });
});

describe("filterCss: values hidden from a plain match", () => {
  it.each([
    ["var() fallback", `div{position:var(--x, fixed)}`],
    ["var() fallback, sticky", `div{position: var(--nope,sticky) !important}`],
    ["nested var()", `div{position:var(--a, var(--b, fixed))}`],
    ["var() only", `:root{--p:fi} div{position:var(--p)}`],
    ["env()", `div{position:env(x, fixed)}`],
    ["attr() fallback", `div{position:attr(data-p type(<custom-ident>), fixed)}`],
    ["if()", `div{position:if(media(width > 1px): fixed)}`],
    ["!important fixed", `div{position:fixed!important}`],
    ["-webkit-sticky", `div{position:-webkit-sticky}`],
  ])("%s", (_name, css) => {
    const out = filter(css);
    expect(out).toMatch(/position\s*:\s*static/);
    expect(out).not.toMatch(/position\s*:(?!\s*static)/);
    expect(filter(out)).toBe(out);
  });

  it("drops @property, whose initial-value can carry a forbidden value", () => {
    const out = filter(
      `@property --p { syntax: '<custom-ident>'; inherits: false; initial-value: fixed; } div{position:var(--p)}`,
    );
    expect(out).not.toMatch(/@property/i);
    expect(out).not.toMatch(/fixed/);
    expect(filter(out)).toBe(out);
  });

  it("keeps ordinary positions", () => {
    expect(filter(`div{position:relative} p{position: absolute !important}`)).toBe(
      `div{position:relative} p{position: absolute !important}`,
    );
  });
});

describe("sanitizeEmailHtml: CSS bypasses through the whole policy", () => {
  it.each([
    `<style>@imp@importort "https://evil.test/x.css";</style><p>x</p>`,
    `<div style="position:var(--x, fixed);inset:0">x</div>`,
    `<style>@property --p { syntax: '*'; inherits: true; initial-value: fixed } div{position:var(--p)}</style><div>x</div>`,
  ])("%s", (html) => {
    const out = sanitize(html, { allowRemote: false }).html;
    expect(findUnsafe(parse(out), { allowRemote: false })).toEqual([]);
    expect(out).not.toMatch(/@import|fixed|@property/i);
  });
});
