// @vitest-environment node
// The compose profile: HTML put into the app's own document (a quoted reply, a forward, a
// draft) must not restyle or reach anything outside the editor. Hostile quotes, after the
// phishing overlays and CSS-injection tricks seen in webmail advisories.

import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { filterComposeStyle } from "./css";
import { createComposeSanitizer, createSanitizer } from "./index";
import { findUnsafe } from "./safety-check";

const window = new JSDOM("").window;
const sanitizeCompose = createComposeSanitizer(window as unknown as Window);
const sanitizeMail = createSanitizer(window as unknown as Window);

function parse(html: string): HTMLElement {
  const body = window.document.createElement("body");
  body.innerHTML = html;
  return body;
}

function compose(html: string): string {
  return sanitizeCompose(html, { allowRemote: false }).html;
}

/** Every declaration of every style attribute, as "property: value". */
function declarations(html: string): string[] {
  return Array.from(parse(html).querySelectorAll("[style]")).flatMap((element) =>
    (element.getAttribute("style") ?? "")
      .split(";")
      .map((d) => d.trim())
      .filter((d) => d !== ""),
  );
}

const HOSTILE_QUOTES: Array<[string, string]> = [
  ["a <style> that hides the app", `<style>body{display:none}</style><p>hi</p>`],
  [
    "a <style> in the head",
    `<html><head><style>nav,button{visibility:hidden}</style></head><body>x</body></html>`,
  ],
  [
    "a fixed full-page overlay",
    `<div style="position:fixed;inset:0;z-index:2147483647;background:#fff">Your session expired. Enter your password</div>`,
  ],
  ["an absolute overlay", `<div style="position:absolute;top:0;left:0;width:100vw;height:100vh">x</div>`],
  ["a var() fallback", `<div style="position:var(--x, fixed);top:0">x</div>`],
  ["a transform", `<div style="transform:translate(0,-500px);z-index:9">x</div>`],
  ["negative margins", `<div style="margin-top:-400px;margin-left:-2000px">x</div>`],
  ["huge padding", `<div style="padding:5000px">x</div>`],
  ["a giant font", `<p style="font-size:900px">x</p>`],
  [
    "display tricks",
    `<p style="display:none">hidden reply text</p><p style="visibility:hidden;opacity:0">y</p>`,
  ],
  [
    "a background image",
    `<p style="background:url(https://tracker.test/x.png);background-image:url(data:image/png;base64,AA)">x</p>`,
  ],
  ["app class names", `<div class="fixed inset-0 z-50 bg-white">x</div>`],
  [
    "ids that clobber",
    `<img id="getElementById" name="cookie"><a id="location" name="body">x</a><form id="x"></form>`,
  ],
  ["hidden and inert", `<p hidden>secret line sent along</p><div inert contenteditable="false">x</div>`],
  ["!important", `<p style="color:red !important;position:fixed !important">x</p>`],
  ["escaped property", `<p style="pos\\69tion:fixed;col\\6fr:red">x</p>`],
  ["comment inside a value", `<p style="position:/**/fixed">x</p>`],
  ["a colour function with var()", `<p style="color:rgb(var(--x))">x</p>`],
  ["expression()", `<p style="color:expression(alert(1))">x</p>`],
];

const ALLOWED_PROPERTIES = new Set([
  "color",
  "background-color",
  "font-weight",
  "font-style",
  "font-family",
  "font-size",
  "text-decoration",
  "text-decoration-line",
  "text-align",
  "white-space",
  "margin",
  "margin-top",
  "margin-right",
  "margin-bottom",
  "margin-left",
  "padding",
  "padding-top",
  "padding-right",
  "padding-bottom",
  "padding-left",
]);

describe("createComposeSanitizer: hostile quotes", () => {
  for (const [name, html] of HOSTILE_QUOTES) {
    it(`contains ${name}`, () => {
      const out = compose(html);
      const root = parse(out);
      expect(root.querySelector("style, form")).toBeNull();
      expect(root.querySelector("[class], [id], [name], [hidden], [inert], [contenteditable]")).toBeNull();
      for (const declaration of declarations(out)) {
        const [property = "", value = ""] = declaration.split(/:\s*/);
        expect(ALLOWED_PROPERTIES.has(property), declaration).toBe(true);
        expect(value, declaration).not.toMatch(/-|\(|important|url|var|fixed|absolute|none/);
      }
      expect(findUnsafe(root, { allowRemote: false })).toEqual([]);
      // Stable: sanitising the editor's content again (a reopened draft) changes nothing.
      expect(compose(out)).toBe(out);
    });
  }

  it("drops the text of a <style> too, not only the element", () => {
    expect(compose(`<style>body{display:none}</style><p>hi</p>`)).toBe("<p>hi</p>");
  });

  it("is stricter than the mail profile, which keeps <style> for the sandboxed reader", () => {
    const html = `<style>.a{color:red}</style><p class="a" style="position:absolute">x</p>`;
    expect(sanitizeMail(html, { allowRemote: false }).html).toContain("<style>");
    expect(compose(html)).toBe("<p>x</p>");
  });
});

describe("createComposeSanitizer: what a quote needs survives", () => {
  it("keeps text styling, bounded sizes and spacing, links and tables", () => {
    const html =
      `<p style="color:#333;background-color:rgb(255, 255, 200);font-weight:bold;font-style:italic;` +
      `text-decoration:underline;text-align:center;font-size:14px;margin:0 0 8px;padding:4px 1em">Zdravo</p>` +
      `<div style="white-space: pre-wrap">red 1\nred 2</div>` +
      `<table width="600"><tr><td bgcolor="#eee">ćelija</td></tr></table>` +
      `<a href="https://example.test/">link</a>`;
    const out = compose(html);
    expect(out).toContain(
      `style="color: #333; background-color: rgb(255, 255, 200); font-weight: bold; font-style: italic; ` +
        `text-decoration: underline; text-align: center; font-size: 14px; margin: 0 0 8px; padding: 4px 1em"`,
    );
    expect(out).toContain(`<div style="white-space: pre-wrap">red 1\nred 2</div>`);
    expect(out).toContain(`<td bgcolor="#eee">ćelija</td>`);
    expect(out).toContain(
      `<a href="https://example.test/" target="_blank" rel="noopener noreferrer">link</a>`,
    );
  });
});

describe("createComposeSanitizer: text a hostile quote hides", () => {
  // A line the writer of the reply cannot see in the quote, but sends on to its recipients.
  it.each([
    ["transparent", `<p style="color:transparent">Pay to account 123</p>`],
    ["TRANSPARENT, !important", `<p style="COLOR: Transparent !important">Pay to account 123</p>`],
    ["rgba(…, 0)", `<p style="color:rgba(0, 0, 0, 0)">Pay to account 123</p>`],
    ["rgb(… / 0%)", `<p style="color:rgb(255 0 0 / 0%)">Pay to account 123</p>`],
    ["hsla(…, 0)", `<p style="color:hsla(0, 0%, 0%, 0.0)">Pay to account 123</p>`],
    ["hsl(… / .05)", `<p style="color:hsl(0 0% 0% / .05)">Pay to account 123</p>`],
    ["#rgba", `<p style="color:#0000">Pay to account 123</p>`],
    ["#rrggbbaa", `<p style="color:#ffffff00">Pay to account 123</p>`],
    ["a relative colour", `<p style="color:rgb(from transparent r g b)">Pay to account 123</p>`],
    ["an escaped keyword", `<p style="color:tr\\61nsparent">Pay to account 123</p>`],
  ])("shows text coloured %s", (_name, html) => {
    expect(compose(html)).toBe("<p>Pay to account 123</p>");
  });

  it("keeps the other declarations, and colours that show, translucent or not", () => {
    expect(compose(`<p style="color:transparent;font-weight:bold">x</p>`)).toBe(
      `<p style="font-weight: bold">x</p>`,
    );
    for (const color of ["rgba(0, 0, 0, 0.54)", "#0008", "rgb(0 0 0 / 40%)", "hsl(0 0% 20%)", "#333"])
      expect(compose(`<p style="color:${color}">x</p>`)).toBe(`<p style="color: ${color}">x</p>`);
  });

  it("keeps a transparent background, which hides nothing", () => {
    expect(compose(`<p style="background-color:transparent">x</p>`)).toBe(
      `<p style="background-color: transparent">x</p>`,
    );
  });

  it("does not change the mail profile, which shows the message as it was sent", () => {
    expect(sanitizeMail(`<p style="color:transparent">x</p>`, { allowRemote: false }).html).toBe(
      `<p style="color:transparent">x</p>`,
    );
  });

  it("font sizes that shrink text to nothing were already refused", () => {
    for (const size of ["0", "0px", "1px", "0.1em", "1%", "0pt"])
      expect(compose(`<p style="font-size:${size}">x</p>`), size).toBe("<p>x</p>");
  });
});

describe("createComposeSanitizer: the signature's mark", () => {
  it("keeps data-signature, by which the editor changes the signature with the sender, and no other data attribute", () => {
    const out = compose(
      '<div data-signature="">-- <br>Ana</div><p data-x="1" data-signature-x="2">tekst</p>',
    );
    expect(out).toBe('<div data-signature="">-- <br>Ana</div><p>tekst</p>');
  });
});

describe("createComposeSanitizer: a forwarded picture's Content-ID", () => {
  it("keeps data-pismo-cid, by which the editor shows a forwarded message's picture and sends it as cid: again, and drops the blob: copy it was shown from", () => {
    const out = compose(
      '<p><img alt="grafikon" data-pismo-cid="image001.png@01DA" src="blob:https://pismo.test/1b2c"></p>',
    );
    expect(out).toBe('<p><img alt="grafikon" data-pismo-cid="image001.png@01DA"></p>');
    // A cid: src stays as it is (only the message's own parts load by it).
    expect(compose('<img src="cid:a@b" alt="x">')).toBe('<img src="cid:a@b" alt="x">');
  });
});

describe("filterComposeStyle", () => {
  it.each([
    ["font-size: 48px", "font-size: 48px"],
    ["font-size: 49px", ""],
    ["font-size: 4px", ""],
    ["font-size: 0", ""],
    ["font-size: large", "font-size: large"],
    ["margin: -1px", ""],
    ["margin: 0 auto", "margin: 0 auto"],
    ["margin: 1px 2px 3px 4px 5px", ""],
    ["padding-left: 65px", ""],
    ["padding-left: 1ex", "padding-left: 1ex"],
    ["color: red; position: fixed; z-index: 9", "color: red"],
    ["COLOR: Blue !important", "color: blue"],
    // Text colours go by the alpha parseCssColor reads (color.ts), at least MIN_TEXT_ALPHA.
    ["color: WindowText", "color: windowtext"],
    ["color: #0003", "color: #0003"],
    ["color: rgb(0 0 0 / 19%)", ""],
    ["color: rgba(0, 0, 0, 20%)", "color: rgba(0, 0, 0, 20%)"],
    // Keywords it does not read take a colour judged elsewhere, or are ignored by the browser.
    ["color: currentcolor", "color: currentcolor"],
    ["color: inherit", "color: inherit"],
    // A function it does not read could be a colour whose alpha is known only when painted.
    ["color: rgb(255, 0%, 0)", ""],
    ["color: rgb(0 0 0 / 0.5 / 1)", ""],
    ["color: red; color: rgb(1 2)", "color: red"],
    ["font-family: Arial, 'Helvetica Neue', sans-serif", "font-family: arial, 'helvetica neue', sans-serif"],
    ["font-family: x; src: url(a)", "font-family: x"],
    ["constructor: x; __proto__: y", ""],
  ])("%s -> %s", (input, expected) => {
    expect(filterComposeStyle(input)).toBe(expected);
  });
});
