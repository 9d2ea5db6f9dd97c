// @vitest-environment jsdom
// A quote the writer of a reply cannot read in the editor, and so sends on unknowingly: text
// coloured like the background behind it, and sizes nested into nothing; and text nested into
// sizes that fill the editor. Hostile fixtures, and
// ordinary mail, which must come through as the compose profile alone leaves it.

import { afterEach, describe, expect, it } from "vitest";
import { createComposeSanitizer } from "@pismo/protocol/html";
import { sanitizeComposeHtml, sanitizeForeignHtml } from "./compose-sanitizer";
import { contrastRatio } from "./css-color";

const profileOnly = createComposeSanitizer(window);
const policy = (html: string): string => profileOnly(html, { allowRemote: false }).html;

afterEach(() => {
  document.documentElement.classList.remove("dark");
});

describe("sanitizeComposeHtml: colours", () => {
  it.each([
    [
      "white on white in a table cell (the cell's `background` shorthand is not kept)",
      `<table><tbody><tr><td style="background:#ffffff"><span style="color:#fff">Send 5000 to IBAN X</span></td></tr></tbody></table>`,
      `<table><tbody><tr><td><span>Send 5000 to IBAN X</span></td></tr></tbody></table>`,
    ],
    [
      "white on a white background-color",
      `<table><tbody><tr><td style="background-color:#ffffff"><p style="color:white">hidden</p></td></tr></tbody></table>`,
      `<table><tbody><tr><td style="background-color: #ffffff"><p>hidden</p></td></tr></tbody></table>`,
    ],
    [
      "a <font color> in a bgcolor cell, in the legacy colour syntax",
      `<table bgcolor="ffffff"><tbody><tr><td><font color="#fffffe">hidden</font></td></tr></tbody></table>`,
      `<table bgcolor="ffffff"><tbody><tr><td><font>hidden</font></td></tr></tbody></table>`,
    ],
    [
      "a colour equal to an ancestor's background",
      `<div style="background-color:#3366cc"><p>Hi <span style="color:#3366cc">and the secret</span></p></div>`,
      `<div style="background-color: #3366cc"><p>Hi <span>and the secret</span></p></div>`,
    ],
    [
      "a colour near an ancestor's background, in another syntax",
      `<div style="background-color:rgb(51, 102, 204)"><p style="color:hsl(220, 60%, 51%)">hidden</p></div>`,
      `<div style="background-color: rgb(51, 102, 204)"><p>hidden</p></div>`,
    ],
    [
      "a child's background equal to the colour it inherits",
      `<div style="color:#fff;background-color:#000">shown<p style="background-color:#fff">hidden</p></div>`,
      `<div style="color: #fff; background-color: #000">shown<p>hidden</p></div>`,
    ],
    [
      "black on black (the editor's own dark text would not show on it either)",
      `<div style="background-color:black"><span style="color:#000">hidden</span></div>`,
      `<div><span>hidden</span></div>`,
    ],
    [
      "a background the colour of the editor's text, with no colour set",
      `<p style="background-color:#0f172a">hidden</p>`,
      `<p>hidden</p>`,
    ],
    [
      "a block's colour on a background set inside it, the text in a child",
      `<div style="background-color:#fafafa;color:#fff"><p>hidden</p></div>`,
      `<div style="background-color: #fafafa"><p>hidden</p></div>`,
    ],
    [
      "a column's background under the text, with a dark table",
      `<table style="background-color:#000"><colgroup><col style="background-color:#fff"></colgroup><tbody><tr><td style="color:#fff">hidden</td></tr></tbody></table>`,
      `<table style="background-color: #000"><colgroup><col></colgroup><tbody><tr><td style="color: #fff">hidden</td></tr></tbody></table>`,
    ],
    ["half-transparent white on white", `<p style="color:rgba(255,255,255,0.5)">hidden</p>`, `<p>hidden</p>`],
    [
      "a background that is the text's own colour",
      `<span style="color:#c00;background-color:currentcolor">hidden</span>`,
      `<span>hidden</span>`,
    ],
    [
      "a system colour (Canvas is the light page's white)",
      `<p style="color:canvas">hidden</p>`,
      `<p>hidden</p>`,
    ],
    [
      "a <mark> made transparent on black",
      `<div style="background-color:#000;color:#fff">shown <mark style="background-color:transparent">hidden</mark></div>`,
      `<div style="background-color: #000; color: #fff">shown <mark>hidden</mark></div>`,
    ],
    ["yellow on <mark>", `<mark style="color:yellow">hidden</mark>`, `<mark>hidden</mark>`],
    [
      "white text with no background (the editor's white)",
      `<p style="color:#ffffff;font-weight:bold">hidden</p>`,
      `<p style="font-weight: bold">hidden</p>`,
    ],
  ])("makes visible: %s", (_name, html, expected) => {
    expect(policy(html)).not.toBe(expected);
    expect(sanitizeComposeHtml(html)).toBe(expected);
  });

  it("judges in the light look whatever the writer's theme: what goes out never depends on it", () => {
    document.documentElement.classList.add("dark");
    try {
      // Ordinary colours stay (they were taken out in the dark theme): navy and black text, a
      // highlight, a white cell.
      for (const html of [
        `<p style="color:navy">navy</p>`,
        `<p style="color:#000000">black</p>`,
        `<p><span style="background-color:yellow">marked</span></p>`,
        `<table><tbody><tr><td bgcolor="#ffffff">white cell</td></tr></tbody></table>`,
      ])
        expect(sanitizeComposeHtml(html), html).toBe(policy(html));
      // What the light look hides is still taken out.
      expect(sanitizeComposeHtml(`<p style="color:#fff">white</p>`)).toBe(`<p>white</p>`);
    } finally {
      document.documentElement.classList.remove("dark");
    }
  });

  it("reads Outlook's system colours: windowtext inside a navy paragraph stays black", () => {
    const html = `<p style="color:#1f497d">Hi <span style="color:windowtext">black text</span></p>`;
    expect(sanitizeComposeHtml(html)).toBe(policy(html));
    const initial = `<p style="color:#1f497d">Hi <span style="color:initial">black text</span></p>`;
    expect(sanitizeComposeHtml(initial)).toBe(policy(initial));
    // A system colour that is the background itself is judged as one.
    expect(sanitizeComposeHtml(`<p style="color:canvas">hidden</p>`)).toBe(`<p>hidden</p>`);
  });

  it("keeps the colour the browser shows when a later one is one it ignores", () => {
    // The compose profile drops the colour function no parser reads, so the red before it stays.
    expect(sanitizeComposeHtml(`<p style="color:red;color:rgb(1 2)">x</p>`)).toBe(
      `<p style="color: red">x</p>`,
    );
  });

  it("keeps dark text with no background in the light theme", () => {
    const html = `<p style="color:#0f172a">dark on white</p>`;
    expect(sanitizeComposeHtml(html)).toBe(policy(html));
  });

  it.each([
    [
      "coloured text on a different background",
      `<div style="background-color:#003366"><span style="color:#ffcc00">Sale</span></div>`,
    ],
    [
      "light text on a dark cell, set on the table",
      `<table style="color:#fff"><tbody><tr><td style="background-color:#222">Hi</td></tr></tbody></table>`,
    ],
    ["a grey footer", `<p style="color:#999">Unsubscribe</p>`],
    ["a link with a colour", `<p>See <a href="https://example.com/" style="color:#1a73e8">the offer</a></p>`],
    [
      "a highlighted word",
      `<p>a <mark>marked</mark> word, <span style="background-color:#ffff00">and another</span></p>`,
    ],
    [
      "white on a legacy dark cell",
      `<table bgcolor="#333333"><tbody><tr><td><font color="white">Hi</font></td></tr></tbody></table>`,
    ],
    [
      "a colour on a block with no text of its own",
      `<div style="color:#fff"><div style="background-color:#c00">white on red</div></div>`,
    ],
  ])("keeps the colours of ordinary mail: %s", (_name, html) => {
    expect(sanitizeComposeHtml(html)).toBe(policy(html));
  });

  it("judges what is pasted or inserted the same way", () => {
    expect(sanitizeForeignHtml(`<p style="color:#fff">hidden</p>`)).toBe(`<p>hidden</p>`);
  });
});

describe("sanitizeComposeHtml: font sizes", () => {
  it.each([
    [
      "60% in 60% in 60%",
      `<div style="font-size:60%"><div style="font-size:60%"><div style="font-size:60%">tiny</div></div></div>`,
      `<div style="font-size: 60%"><div style="font-size: 8px"><div style="font-size: 8px">tiny</div></div></div>`,
    ],
    [
      "0.5em in 0.5em",
      `<p style="font-size:0.5em"><span style="font-size:0.5em">tiny</span></p>`,
      `<p style="font-size: 8px"><span style="font-size: 8px">tiny</span></p>`,
    ],
    [
      "smaller in smaller in <font size=1>",
      `<font size="1"><span style="font-size:smaller"><span style="font-size:smaller">tiny</span></span></font>`,
      `<font size="1"><span style="font-size: smaller"><span style="font-size: 8px">tiny</span></span></font>`,
    ],
    [
      "<small> nested five deep",
      `<small><small><small><small><small>tiny</small></small></small></small></small>`,
      `<small><small><small><small style="font-size: 8px"><small style="font-size: 8px">tiny</small></small></small></small></small>`,
    ],
    [
      "50% of an 8px span",
      `<span style="font-size:8px;color:#c00"><span style="font-size:50%">tiny</span></span>`,
      `<span style="font-size: 8px; color: #c00"><span style="font-size: 8px">tiny</span></span>`,
    ],
  ])("sets a floor under sizes nested into nothing: %s", (_name, html, expected) => {
    expect(policy(html)).not.toBe(expected);
    expect(sanitizeComposeHtml(html)).toBe(expected);
  });

  it.each([
    [
      "300% in 300% in 300%",
      `<div style="font-size:300%"><div style="font-size:300%"><div style="font-size:300%">huge <span style="font-size:50%">half</span></div></div></div>`,
      `<div style="font-size: 300%"><div style="font-size: 48px"><div style="font-size: 48px">huge <span style="font-size: 50%">half</span></div></div></div>`,
    ],
    [
      "200% in 200% in xx-large in <big>",
      `<big><span style="font-size:xx-large"><span style="font-size:200%"><span style="font-size:200%">huge</span></span></span></big>`,
      `<big><span style="font-size: xx-large"><span style="font-size: 48px"><span style="font-size: 48px">huge</span></span></span></big>`,
    ],
    [
      "<big> in <font size=7> in <big> in <font size=7>",
      `<font size="7"><big><font size="7"><big>huge</big></font></big></font>`,
      `<font size="7"><big style="font-size: 48px"><font size="7"><big style="font-size: 48px">huge</big></font></big></font>`,
    ],
    [
      "<h1> in <font size=+4>",
      `<font size="+4"><h1>huge</h1></font>`,
      `<font size="+4"><h1 style="font-size: 48px">huge</h1></font>`,
    ],
    [
      "larger in larger in larger in xx-large",
      `<span style="font-size:xx-large"><span style="font-size:larger"><span style="font-size:larger"><span style="font-size:larger">huge</span></span></span></span>`,
      `<span style="font-size: xx-large"><span style="font-size: larger"><span style="font-size: larger"><span style="font-size: 48px">huge</span></span></span></span>`,
    ],
    [
      "<big> nested eight deep",
      `<big><big><big><big><big><big><big><big>huge</big></big></big></big></big></big></big></big>`,
      `<big><big><big><big><big><big><big style="font-size: 48px"><big style="font-size: 48px">huge</big></big></big></big></big></big></big></big>`,
    ],
    [
      "3em, the most the profile passes, in an <h1>",
      `<h1><span style="font-size:3em;font-weight:bold">huge</span></h1>`,
      `<h1><span style="font-weight: bold; font-size: 48px">huge</span></h1>`,
    ],
    [
      "300% in <font size=7>",
      `<font size="7"><span style="font-size:300%">huge</span></font>`,
      `<font size="7"><span style="font-size: 48px">huge</span></font>`,
    ],
  ])("sets a ceiling over sizes nested into huge: %s", (_name, html, expected) => {
    expect(policy(html)).not.toBe(expected);
    expect(sanitizeComposeHtml(html)).toBe(expected);
  });

  it("leaves the absolute tiny sizes to the compose profile, which drops them", () => {
    expect(sanitizeComposeHtml(`<p style="font-size:0">a</p><p style="font-size:1px">b</p>`)).toBe(
      `<p>a</p><p>b</p>`,
    );
  });

  it.each([
    ["small print", `<p style="font-size:12px"><span style="font-size:90%">Terms apply</span></p>`],
    ["headings and <small>", `<h1>Title</h1><h5>Fine print <small>smaller</small></h5>`],
    ["<font size>", `<font size="2">Hi <font size="-1">there</font></font>`],
    ["em and keywords", `<div style="font-size:0.8em"><span style="font-size:x-small">ok</span></div>`],
    [
      "a newsletter's headings",
      `<h1 style="font-size:32px">Weekly</h1><h2 style="font-size:24px">News</h2><h1 style="font-size:2em">More</h1><h1>Plain <big>big</big></h1><p style="font-size:16px"><span style="font-size:larger">Read</span></p>`,
    ],
    [
      "the largest single sizes the profile passes",
      `<p style="font-size:48px">a</p><p style="font-size:36pt">b</p><p style="font-size:3rem">c</p><p style="font-size:300%">d</p><p style="font-size:xx-large">e</p>`,
    ],
    [
      "<font size=7> in <font size=7>, which does not compound",
      `<font size="7"><font size="7">Sale</font></font>`,
    ],
  ])("keeps the sizes of ordinary mail: %s", (_name, html) => {
    expect(sanitizeComposeHtml(html)).toBe(policy(html));
  });
});

// Reading colours (parseCssColor, parseLegacyColor) is tested with them in the protocol package.
describe("css-color", () => {
  it("measures contrast as WCAG does", () => {
    const white = { r: 255, g: 255, b: 255, a: 1 };
    const black = { r: 0, g: 0, b: 0, a: 1 };
    expect(contrastRatio(white, black)).toBeCloseTo(21);
    expect(contrastRatio(white, white)).toBe(1);
  });
});
