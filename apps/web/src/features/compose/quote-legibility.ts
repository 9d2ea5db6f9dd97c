// Text of a quoted message that the writer of the reply cannot see, and so sends on without
// knowing: a colour the same as the background behind it (white on white, "color:#fff" in a
// "bgcolor=#ffffff" cell, black on black), or relative font sizes nested into nothing
// ("font-size:50%" in "font-size:50%" in <small>). Relative sizes nested the other way
// ("font-size:300%" in "font-size:300%" in <h1>) make text hundreds of pixels tall, a few letters
// to the editor's width, which buries the writer's own words. The compose profile
// (filterComposeStyle) judges one declaration at a time; these need the element's ancestors, so
// they are judged here on the sanitised tree, and only ever take declarations out (or set a floor
// or ceiling size).

import { parseCssColor, parseLegacyColor } from "@pismo/protocol/html";
import type { Rgba } from "@pismo/protocol/html";
import { contrastRatio, over } from "./css-color";

/** The editor's own colours in one theme (rich-editor.tsx and compose-panel.tsx). */
export interface EditorLook {
  /** Behind the text: the compose panel's background. */
  canvas: Rgba;
  /** Text with no colour of its own. */
  text: Rgba;
  /** A blockquote's text ([&_blockquote]:text-slate-600, in both themes). */
  quote: Rgba;
  /** A link's text ([&_a]:text-accent). */
  link: Rgba;
}

const hex = (value: string): Rgba => parseCssColor(value) ?? { r: 0, g: 0, b: 0, a: 1 };

// Tailwind's slate-900 and slate-600 and the app's --color-accent, in sRGB.
const SLATE_900 = hex("#0f172b");
const SLATE_600 = hex("#45556c");
const ACCENT = hex("#2171cc");

/** bg-white, text-slate-900. */
export const LIGHT_EDITOR: EditorLook = {
  canvas: hex("#fff"),
  text: SLATE_900,
  quote: SLATE_600,
  link: ACCENT,
};

// Below this WCAG contrast ratio text is taken as unseen: #d4d4d4 on white is about 1.5, #fff
// on #eee 1.16. Light grey footers (#999 on white, 2.8) keep their colour.
const MIN_CONTRAST = 1.5;

// The smallest font size text may end up with, in px: the smallest a single declaration may set
// (filterComposeStyle takes 8px, 6pt, 0.5rem), so nesting cannot go below it either.
const MIN_FONT_PX = 8;
// The largest, likewise: the most a single declaration may set (filterComposeStyle takes 48px,
// 36pt, 3rem; <font size=7> is 48px too), so nesting cannot go above it either. A newsletter's
// headings (24-40px) stay under it; text this size is 4-5 times the editor's.
const MAX_FONT_PX = 48;
// The editor's text-sm and the page's root size (rem).
const EDITOR_FONT_PX = 14;
const ROOT_FONT_PX = 16;

// ---- style attributes ---------------------------------------------------------------------

/** The declarations of a style attribute the compose profile wrote ("property: value; …"). */
function declarations(element: Element): Array<[string, string]> {
  return (element.getAttribute("style") ?? "").split(";").flatMap((declaration) => {
    const colon = declaration.indexOf(":");
    if (colon < 0) return [];
    return [[declaration.slice(0, colon).trim().toLowerCase(), declaration.slice(colon + 1).trim()]];
  });
}

/** The value the browser uses: the last declaration of the property. */
function declared(element: Element, property: string): string | null {
  return declarations(element).findLast(([name]) => name === property)?.[1] ?? null;
}

function setDeclaration(element: Element, property: string, value: string | null): void {
  const all = declarations(element);
  const kept = all.filter(([name]) => name !== property);
  if (value === null && kept.length === all.length) return;
  if (value !== null) kept.push([property, value]);
  if (kept.length === 0) element.removeAttribute("style");
  else element.setAttribute("style", kept.map(([name, v]) => `${name}: ${v}`).join("; "));
}

// ---- colours ------------------------------------------------------------------------------

// HTML 15.3.3-15.3.8: where bgcolor paints (on other elements the browser ignores it).
const BGCOLOR_ELEMENTS = new Set(["table", "thead", "tbody", "tfoot", "tr", "td", "th"]);
// The user agent's <mark> (CSS Color 4, 6.2: Mark and MarkText), the same in both schemes.
const MARK_BACKGROUND = hex("#ff0");
const MARK_TEXT = hex("#000");

/** Where an element's text colour or background comes from: an element that sets it (which can
 * be made to stop), or null for the editor and the user agent (which cannot). */
interface Painted {
  colour: Rgba;
  from: Element | null;
}

interface Context {
  look: EditorLook;
  text: Painted;
  /** Opaque: every background below composited onto the editor's. */
  background: Painted;
  /** The element's own background layer, for a child's `background-color: inherit`. */
  layer: Rgba | null;
}

function dropColour(element: Element): void {
  setDeclaration(element, "color", null);
  if (element.localName === "font") element.removeAttribute("color");
}

function dropBackground(element: Element): void {
  setDeclaration(element, "background-color", null);
  element.removeAttribute("bgcolor");
}

/**
 * The element's own text colour: a colour, "inherit" (also currentcolor and unset, for the
 * inherited `color`), or null for none. A value this cannot read is taken out, so that the
 * text takes a colour that was judged: a system colour such as Canvas is white on the light
 * editor's white.
 */
function ownColour(element: Element, changed: { value: boolean }): Rgba | "inherit" | null {
  const value = declared(element, "color");
  if (value !== null) {
    if (value === "inherit" || value === "currentcolor" || value === "unset") return "inherit";
    // The property's initial value: CanvasText, black on a light page.
    if (value === "initial") return { r: 0, g: 0, b: 0, a: 1 };
    const colour = parseCssColor(value);
    if (colour) return colour;
    setDeclaration(element, "color", null);
    changed.value = true;
  }
  const attribute = element.localName === "font" ? element.getAttribute("color") : null;
  return attribute === null ? null : parseLegacyColor(attribute);
}

/** The element's own background layer, as ownColour: a colour, "none" (set transparent, which
 * also takes away <mark>'s yellow), or null for none set; `currentcolor` is its text colour. */
function ownBackground(
  element: Element,
  text: Rgba,
  parent: Context,
  changed: { value: boolean },
): Rgba | "none" | null {
  const value = declared(element, "background-color");
  if (value !== null) {
    if (value === "transparent" || value === "initial" || value === "unset") return "none";
    if (value === "inherit") return parent.layer ?? "none";
    if (value === "currentcolor") return text;
    const colour = parseCssColor(value);
    if (colour) return colour.a > 0 ? colour : "none";
    setDeclaration(element, "background-color", null);
    changed.value = true;
  }
  const attribute = BGCOLOR_ELEMENTS.has(element.localName) ? element.getAttribute("bgcolor") : null;
  return attribute === null ? null : parseLegacyColor(attribute);
}

function contextOf(element: Element, parent: Context, changed: { value: boolean }): Context {
  const look = parent.look;
  const ownText = ownColour(element, changed);
  const tag = element.localName;
  const text: Painted =
    ownText === "inherit"
      ? parent.text
      : ownText !== null
        ? { colour: ownText, from: element }
        : tag === "mark"
          ? { colour: MARK_TEXT, from: null }
          : tag === "a"
            ? { colour: look.link, from: null }
            : tag === "blockquote"
              ? { colour: look.quote, from: null }
              : parent.text;
  const own = ownBackground(element, text.colour, parent, changed);
  const layer = own === null && tag === "mark" ? MARK_BACKGROUND : own === "none" ? null : own;
  const background: Painted =
    layer !== null
      ? { colour: over(layer, parent.background.colour), from: own === null ? null : element }
      : own === "none" && tag === "mark"
        ? // Its declaration decides: without it the mark is yellow again.
          { colour: parent.background.colour, from: element }
        : parent.background;
  return { look, text, background, layer };
}

const rootContext = (look: EditorLook): Context => ({
  look,
  text: { colour: look.text, from: null },
  background: { colour: look.canvas, from: null },
  layer: null,
});

// Sibling links, not children or childNodes: a DOM may keep those live and rebuild them.
function hasText(element: Element): boolean {
  for (let node = element.firstChild; node; node = node.nextSibling)
    if (node.nodeType === Node.TEXT_NODE && /\S/.test(node.textContent ?? "")) return true;
  return false;
}

/** Pushes the element children of parent so that they pop in document order. */
function pushChildren<T>(stack: Array<[Element, T]>, parent: ParentNode, value: T): void {
  for (let child = parent.lastElementChild; child; child = child.previousElementSibling)
    stack.push([child, value]);
}

function isLegible(context: Context): boolean {
  const background = context.background.colour;
  return contrastRatio(over(context.text.colour, background), background) >= MIN_CONTRAST;
}

/** Nearest first: which element to stop from colouring this text. */
function culprit(element: Element, contexts: Context[]): [Element, "colour" | "background"] | null {
  // Its own declarations first: a hidden line in a legible block loses its own colour, not the
  // block's. Then the nearest ancestor that set either.
  if (contexts.some((c) => c.text.from === element)) return [element, "colour"];
  if (contexts.some((c) => c.background.from === element)) return [element, "background"];
  let best: [Element, "colour" | "background"] | null = null;
  for (const c of contexts) {
    for (const [from, what] of [
      [c.text.from, "colour"],
      [c.background.from, "background"],
    ] as const) {
      if (from && (!best || (best[0] !== from && best[0].contains(from)))) best = [from, what];
    }
  }
  return best;
}

// Each round only takes declarations out, so the rounds end; a quote still changing after this
// many loses all its colours (as CSS that never settles is dropped in filterCss).
const MAX_COLOUR_ROUNDS = 8;

/** One walk in document order. An element's contexts are taken after its own text was judged,
 * so a change made there is seen below it; a change to an ancestor is seen in the next round. */
function colourRound(root: ParentNode, looks: readonly EditorLook[]): boolean {
  const changed = { value: false };
  const stack: Array<[Element, Context[]]> = [];
  pushChildren(stack, root, looks.map(rootContext));
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [element, parents] = entry;
    let contexts = parents.map((parent) => contextOf(element, parent, changed));
    while (hasText(element) && !contexts.every(isLegible)) {
      const target = culprit(element, contexts);
      if (!target) break;
      if (target[1] === "colour") dropColour(target[0]);
      else dropBackground(target[0]);
      changed.value = true;
      // The parents' contexts still have what an ancestor set.
      if (target[0] !== element) break;
      contexts = parents.map((parent) => contextOf(element, parent, changed));
    }
    pushChildren(stack, element, contexts);
  }
  return changed.value;
}

/**
 * Takes out text colours and backgrounds under root until all text with a colour or background
 * set in the quote contrasts with what is behind it, in each of the editor's looks (the theme
 * shown, and the light one a later switch of theme would show). Returns whether it changed
 * anything.
 */
export function keepColoursLegible(root: ParentNode, looks: readonly EditorLook[]): boolean {
  let changed = false;
  // A column's background paints behind cells it is no ancestor of, which the walk below would
  // not see (white text in a black table over a white <col>); it is only decoration.
  for (const column of root.querySelectorAll("col, colgroup")) {
    if (declared(column, "background-color") === null && !column.hasAttribute("bgcolor")) continue;
    dropBackground(column);
    changed = true;
  }
  for (let round = 0; round < MAX_COLOUR_ROUNDS; round++) {
    if (!colourRound(root, looks)) return changed;
    changed = true;
  }
  for (const element of root.querySelectorAll("[style], font[color], [bgcolor]")) {
    dropColour(element);
    dropBackground(element);
  }
  return true;
}

// ---- font sizes ---------------------------------------------------------------------------

// CSS Fonts 4, 2.5: the absolute-size keywords for a medium of 16px (as the browsers map them).
const KEYWORD_PX: Record<string, number> = {
  "xx-small": 9,
  "x-small": 10,
  small: 13,
  medium: 16,
  large: 18,
  "x-large": 24,
  "xx-large": 32,
  "xxx-large": 48,
};
// HTML 15.3.4: <font size> 1-7 (and "+n"/"-n" from 3) as those keywords.
const FONT_SIZE_ATTRIBUTE = ["x-small", "small", "medium", "large", "x-large", "xx-large", "xxx-large"];
// The user agent's sizes (HTML 15.3.3, 15.3.6): `smaller` is about 1/1.2 in the browsers.
const TAG_FACTOR: Record<string, number> = {
  small: 1 / 1.2,
  sub: 1 / 1.2,
  sup: 1 / 1.2,
  big: 1.2,
  h1: 2,
  h2: 1.5,
  h3: 1.17,
  h5: 0.83,
  h6: 0.67,
};

/** The element's font size in px given its parent's; null: it has none of its own. */
function fontSizeOf(element: Element, parent: number): number | null {
  const value = declared(element, "font-size");
  if (value !== null) {
    if (value === "smaller") return parent / 1.2;
    if (value === "larger") return parent * 1.2;
    if (Object.hasOwn(KEYWORD_PX, value)) return KEYWORD_PX[value] ?? null;
    const match = /^(\d+(?:\.\d+)?|\.\d+)(px|pt|em|rem|%)$/.exec(value);
    if (match) {
      const amount = Number(match[1]);
      const unit = match[2];
      if (unit === "px") return amount;
      if (unit === "pt") return (amount * 4) / 3;
      if (unit === "rem") return amount * ROOT_FONT_PX;
      return unit === "em" ? amount * parent : (amount / 100) * parent;
    }
  }
  const attribute = element.localName === "font" ? element.getAttribute("size") : null;
  const legacy = attribute === null ? null : /^\s*([+-]?)(\d+)/.exec(attribute);
  if (legacy) {
    const [, sign, digits] = legacy;
    const n = Number(digits);
    const size = Math.min(7, Math.max(1, sign === "+" ? 3 + n : sign === "-" ? 3 - n : n));
    return KEYWORD_PX[FONT_SIZE_ATTRIBUTE[size - 1] ?? "medium"] ?? null;
  }
  const factor = TAG_FACTOR[element.localName];
  return factor === undefined ? null : parent * factor;
}

/**
 * Sets a floor under font sizes that relative sizes nested under root have made tiny (50% in
 * 50% in <small>), and a ceiling over those they have made huge (300% in 300% in <h1>, `larger`
 * in `larger`, <big> in <font size=7>): an element whose size ends below MIN_FONT_PX or above
 * MAX_FONT_PX gets font-size MIN_FONT_PX or MAX_FONT_PX, in place of its own, and its children's
 * sizes are taken from that. Returns whether it changed anything.
 */
export function keepFontSizesInBounds(root: ParentNode): boolean {
  let changed = false;
  const stack: Array<[Element, number]> = [];
  pushChildren(stack, root, EDITOR_FONT_PX);
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [element, parent] = entry;
    let size = fontSizeOf(element, parent) ?? parent;
    const bounded = Math.min(MAX_FONT_PX, Math.max(MIN_FONT_PX, size));
    // Not for a rounding error's hair (36pt is 48px as 47.99…).
    if (Math.abs(bounded - size) > 0.01) {
      setDeclaration(element, "font-size", `${bounded}px`);
      size = bounded;
      changed = true;
    }
    pushChildren(stack, element, size);
  }
  return changed;
}
