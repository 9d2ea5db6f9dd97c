// CSS from untrusted mail, for <style> elements and style attributes. Newsletters need
// their CSS for layout, so it is filtered rather than dropped. The filter works on text
// with every comment and escape already removed, which is the exact text the browser
// will parse, so tricks like "u\72 l(", "ex/**/pression" or "@\69mport" cannot hide a
// token from it (the CSS-token class of bugs in Roundcube 1.6 advisories).

import { parseCssColor } from "./color";
import { decideResourceUrl } from "./url-policy";
import type { RemoteTally, SanitizeOptions } from "./url-policy";

function decodeEscapes(css: string): string {
  // CSS Syntax 4.3.7: "\" + 1-6 hex digits + one optional whitespace, or "\" + any char;
  // "\" + newline is a line continuation inside strings.
  return css.replace(
    /\\(?:([0-9a-fA-F]{1,6})[ \t\n\f]?|(\r\n|[\n\r\f])|([\s\S]))/g,
    (_m, hex?: string, newline?: string, char?: string) => {
      if (hex !== undefined) {
        const code = Number.parseInt(hex, 16);
        if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\uFFFD";
        return String.fromCodePoint(code);
      }
      if (newline !== undefined) return "";
      return char ?? "";
    },
  );
}

// Functions whose plain string arguments are URLs (CSS Images 4), so url() filtering
// alone would miss image-set("https://tracker/x.png" 1x).
const STRING_URL_FUNCTIONS = /(?<![\w-])(?:-webkit-)?(?:image-set|cross-fade|image|element|paint)\s*\(/gi;

/** Replaces each call matched by `opener` (through its balanced ")") with "none". */
function dropFunctionCalls(css: string, opener: RegExp, onDrop: () => void): string {
  const out: string[] = [];
  let last = 0;
  opener.lastIndex = 0;
  for (let match = opener.exec(css); match; match = opener.exec(css)) {
    out.push(css.slice(last, match.index), "none");
    let depth = 1;
    let i = match.index + match[0].length;
    while (i < css.length && depth > 0) {
      const c = css[i];
      if (c === "(") depth++;
      else if (c === ")") depth--;
      i++;
    }
    onDrop();
    last = i;
    opener.lastIndex = i;
  }
  out.push(css.slice(last));
  return out.join("");
}

function rewriteUrls(css: string, opts: SanitizeOptions, tally: RemoteTally): string {
  const out: string[] = [];
  const opener = /\b(?:url|src)\s*\(/gi;
  let last = 0;
  for (let match = opener.exec(css); match; match = opener.exec(css)) {
    out.push(css.slice(last, match.index));
    let i = match.index + match[0].length;
    while (i < css.length && /\s/.test(css[i] ?? "")) i++;
    let value: string;
    const quote = css[i];
    if (quote === '"' || quote === "'") {
      const close = css.indexOf(quote, i + 1);
      value = css.slice(i + 1, close < 0 ? css.length : close);
      i = close < 0 ? css.length : close + 1;
      const paren = css.indexOf(")", i);
      i = paren < 0 ? css.length : paren + 1;
    } else {
      const paren = css.indexOf(")", i);
      value = css.slice(i, paren < 0 ? css.length : paren);
      i = paren < 0 ? css.length : paren + 1;
    }
    const decision = decideResourceUrl(value.trim(), opts, tally, true);
    out.push(
      decision.kind === "keep"
        ? `url("${decision.url.replace(/["'()\\\s<>]/g, (c) => encodeURIComponent(c))}")`
        : "none",
    );
    last = i;
    opener.lastIndex = i;
  }
  out.push(css.slice(last));
  return out.join("");
}

// The values of `position` a message may use. An allow-list, not a block-list: the value can
// come from var(), env(), attr() or if() with a fallback ("position: var(--x, fixed)"), and
// no plain-text match sees through those.
const SAFE_POSITION =
  /^(?:static|relative|absolute|inherit|initial|unset|revert|revert-layer)(?:\s*!\s*important)?$/i;

// Rounds of neutralise() before a stylesheet that keeps changing is dropped whole: each
// round only removes or renames, so honest CSS settles in one or two.
const MAX_ROUNDS = 8;

/** One pass over the text: removes or renames every construct the policy forbids. */
function neutralise(css: string, opts: SanitizeOptions, tally: RemoteTally): string {
  // CSS Syntax 3.3: U+0000 is read as U+FFFD.
  let text = css.replaceAll("\u0000", "\uFFFD");
  // Comments first: "/*" inside a string is rare in mail and only costs styling.
  text = text.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, " ");
  text = decodeEscapes(text).replace(/\\/g, "");
  // "<" has no use in CSS outside strings; without it "</style>" cannot end the element.
  text = text.replace(/</g, "");
  // @import fetches a whole stylesheet (and was the vector of several webmail CVEs).
  text = text
    .replace(/@import\b[^;{}]*;?/gi, () => {
      tally.seen++;
      if (!opts.allowRemote) tally.blocked++;
      return "";
    })
    .replace(/@import/gi, "");
  // Legacy script-in-CSS: IE expression() and behavior (.htc), Firefox XBL -moz-binding.
  text = text
    .replace(/\bexpression\s*\(/gi, "blocked(")
    .replace(/\bbehavior\s*:/gi, "x-blocked:")
    .replace(/-moz-binding/gi, "x-blocked")
    .replace(/\b(?:java|vb)script\s*:/gi, "blocked:");
  // Fixed or sticky boxes let a message draw over the reader's UI inside its frame
  // (fake "session expired" prompts); custom properties could smuggle the value in, and a
  // registered one (@property) could carry it as its initial-value, so registrations go
  // with their block.
  text = text
    .replace(/(?<![\w-])position\s*:\s*([^;{}]*)/gi, (whole, value: string) =>
      SAFE_POSITION.test(value.trim()) ? whole : "position: static",
    )
    .replace(/(--[\w-]+\s*:[^;{}]*?)\b(?:fixed|sticky)\b/gi, "$1static")
    .replace(/@property\b[^;{}]*(?:\{[^{}]*\}?|;)?/gi, "")
    .replace(/@property/gi, "");
  text = dropFunctionCalls(text, STRING_URL_FUNCTIONS, () => {
    tally.seen++;
    if (!opts.allowRemote) tally.blocked++;
  });
  return rewriteUrls(text, opts, tally);
}

/**
 * Filters a stylesheet or a style attribute; the result is stable under a second pass.
 * A removal can join the text around it into the token it removed ("@imp@importort"), and
 * a decoded escape can open a comment the browser will skip ("\2f\2a"), so the pass runs
 * again until nothing changes; CSS that never settles is dropped.
 */
export function filterCss(css: string, opts: SanitizeOptions, tally: RemoteTally): string {
  let text = css;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = neutralise(text, opts, tally);
    if (next === text) return text;
    text = next;
  }
  return "";
}

// ---- the compose profile ------------------------------------------------------------------
// A quoted message is edited inside the app's own document, where a declaration applies to
// the app's page, not to a frame: "position: fixed; inset: 0" covers the whole app, a
// negative margin pulls the quote over the toolbar, a transform or z-index lifts it above
// the Send button. So inline style there is an allow-list of properties that only colour
// and space text, with bounded sizes.

const LENGTH = /^(\d+(?:\.\d+)?|\.\d+)(px|pt|em|rem|ex|ch|%)?$/;

/** Largest value per unit; a bare 0 needs no unit. */
function boundedLength(value: string, max: Partial<Record<string, number>>, min = 0): boolean {
  const match = LENGTH.exec(value);
  if (!match) return false;
  const amount = Number(match[1]);
  const unit = match[2];
  if (unit === undefined) return amount === 0;
  const limit = max[unit];
  return limit !== undefined && amount >= min && amount <= limit;
}

const SPACING_MAX = { px: 64, pt: 48, em: 4, rem: 4, ex: 8, ch: 8 };
const FONT_SIZE_MAX = { px: 48, pt: 36, em: 3, rem: 3, "%": 300 };
const FONT_SIZE_MIN: Partial<Record<string, number>> = { px: 8, pt: 6, em: 0.5, rem: 0.5, "%": 50 };

const COLOR = /^(?:#[0-9a-f]{3,8}|[a-z]{3,20}|(?:rgba?|hsla?)\(\s*[-+\d.%\s,/a-z]{1,60}\))$/;

// Text whose colour lets almost nothing through is text the writer of a reply does not see and
// still sends on (a hostile message hides a line in its quote that way). Below this alpha the
// colour is dropped, and the text takes the editor's own.
const MIN_TEXT_ALPHA = 0.2;

/**
 * Whether text in a colour COLOR accepted may keep it. A function parseCssColor cannot read goes:
 * it may be a relative colour ("rgb(from transparent r g b)"), whose alpha is known only when it
 * is painted. Any other value it cannot read stays, as it takes a colour judged elsewhere
 * (inherit, currentcolor) or is one the browser ignores ("#12345", an unknown word).
 */
function textColor(value: string): boolean {
  if (!COLOR.test(value)) return false;
  const colour = parseCssColor(value);
  return colour === null ? !value.includes("(") : colour.a >= MIN_TEXT_ALPHA;
}

const spacing = (value: string): boolean => {
  const parts = value.split(/\s+/);
  return parts.length <= 4 && parts.every((part) => part === "auto" || boundedLength(part, SPACING_MAX));
};
const single = (value: string): boolean => boundedLength(value, SPACING_MAX) || value === "auto";

const COMPOSE_PROPERTIES: Record<string, (value: string) => boolean> = {
  color: textColor,
  "background-color": (v) => COLOR.test(v),
  "font-weight": (v) => /^(?:normal|bold|bolder|lighter|[1-9]00)$/.test(v),
  "font-style": (v) => /^(?:normal|italic|oblique)$/.test(v),
  "font-family": (v) => /^[\w\s,"'-]{1,200}$/.test(v),
  "font-size": (v) => {
    if (/^(?:xx-small|x-small|small|medium|large|x-large|xx-large|smaller|larger)$/.test(v)) return true;
    const unit = LENGTH.exec(v)?.[2] ?? "";
    return boundedLength(v, FONT_SIZE_MAX, FONT_SIZE_MIN[unit] ?? 0) && unit !== "";
  },
  "text-decoration": (v) =>
    /^(?:none|(?:underline|overline|line-through)(?:\s+(?:underline|overline|line-through)){0,2})$/.test(v),
  "text-decoration-line": (v) => /^(?:none|underline|overline|line-through)$/.test(v),
  "text-align": (v) => /^(?:left|right|center|justify|start|end)$/.test(v),
  // Plain-text parts are quoted as <div style="white-space: pre-wrap">.
  "white-space": (v) => /^(?:normal|pre|pre-wrap|pre-line|nowrap)$/.test(v),
  margin: spacing,
  "margin-top": single,
  "margin-right": single,
  "margin-bottom": single,
  "margin-left": single,
  padding: spacing,
  "padding-top": single,
  "padding-right": single,
  "padding-bottom": single,
  "padding-left": single,
};

/**
 * The style attribute of HTML edited in the app's own document: only the declarations of
 * COMPOSE_PROPERTIES with values they accept, without !important; everything else is
 * dropped. Expects text filterCss has already read (no comments, no escapes).
 */
export function filterComposeStyle(css: string): string {
  const kept: string[] = [];
  for (const declaration of css.split(";")) {
    const colon = declaration.indexOf(":");
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration
      .slice(colon + 1)
      .replace(/!\s*important\s*$/i, "")
      .trim()
      .toLowerCase()
      .replace(/\s+/g, " ");
    const accepts = Object.hasOwn(COMPOSE_PROPERTIES, property) ? COMPOSE_PROPERTIES[property] : undefined;
    if (accepts && value !== "" && accepts(value)) kept.push(`${property}: ${value}`);
  }
  return kept.join("; ");
}
