// The HTML policy for untrusted mail. An allow-list (DOMPurify's HTML profile minus
// everything that can submit, embed, navigate or fetch), with every rewrite done inside
// DOMPurify's hooks so that its serialisation is the final string: changing HTML after
// sanitising is how mutation XSS gets back in (CVE-2024-45800 in SnappyMail, the
// Roundcube 1.6 advisories). The output is meant for buildMessageDocument, shown in an
// iframe with MESSAGE_IFRAME_SANDBOX; the sandbox and the CSP are the second and third
// layers, this is the first.

import createDOMPurify from "dompurify";
import type { Config, DOMPurify, WindowLike } from "dompurify";
import { filterComposeStyle, filterCss } from "./css";
import { decideLinkUrl, decideResourceUrl } from "./url-policy";
import type { RemoteTally, SanitizeOptions } from "./url-policy";

export type { SanitizeOptions } from "./url-policy";

/** The sanitised HTML and what the message tried to load. */
export interface SanitizedHtml {
  /** Final HTML: never modify it, only wrap it with buildMessageDocument. */
  html: string;
  /** Remote images, backgrounds and stylesheet URLs removed because allowRemote was false. */
  remoteBlocked: number;
  /** The message refers to remote content (show the "Show remote content" bar). */
  hasRemote: boolean;
}

/** Where a blocked remote image URL is kept so the UI can tell what was blocked. */
export const BLOCKED_SRC_ATTRIBUTE = "data-pismo-src";

/** In a message being written, an image the text shows by `cid:` (a forwarded message's
 * picture): its Content-ID, while the editor shows the picture from a local copy. It goes out
 * as `src="cid:…"` again (outgoingHtml). */
export const CID_SRC_ATTRIBUTE = "data-pismo-cid";

/** Marks the signature block in a message being written (htmlSignatureBlock). */
export const SIGNATURE_ATTRIBUTE = "data-signature";

const FORBID_TAGS = [
  // script-capable or foreign content (mXSS through namespace confusion)
  "script",
  "svg",
  "math",
  "template",
  "noscript",
  "noembed",
  "noframes",
  "xmp",
  "plaintext",
  // forms: phishing and form-action exfiltration
  "form",
  "input",
  "button",
  "textarea",
  "select",
  "option",
  "optgroup",
  "datalist",
  "keygen",
  "output",
  "fieldset",
  // document-level: base href rewrites every URL, meta refresh navigates, link loads
  "base",
  "meta",
  "link",
  "title",
  "head",
  // embedding and media: each fetches on its own
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "param",
  "audio",
  "video",
  "source",
  "track",
  "portal",
  "fencedframe",
  "dialog",
  "slot",
];

const FORBID_ATTR = [
  // fetch on their own, outside the src/background/CSS rules below
  "srcset",
  "sizes",
  "poster",
  "srcdoc",
  "ping",
  "dynsrc",
  "lowsrc",
  "longdesc",
  "action",
  "formaction",
  "xmlns",
  "http-equiv",
  "autofocus",
  "popover",
  "popovertarget",
  // set by the policy itself
  "target",
  "rel",
];

// Schemes DOMPurify lets through for URI-valued attributes; the hooks narrow them per
// attribute. Schemeless values pass here so that width="100" and the like survive.
const ALLOWED_URI_REGEXP = /^(?:(?:https?|mailto|cid):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;

const CONFIG: Config = {
  USE_PROFILES: { html: true },
  FORBID_TAGS,
  FORBID_ATTR,
  ADD_ATTR: [BLOCKED_SRC_ATTRIBUTE],
  ALLOW_DATA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOWED_URI_REGEXP,
  // Keeps <style> from the message's <head>: without it DOMPurify returns only <body>.
  FORCE_BODY: true,
  WHOLE_DOCUMENT: false,
  RETURN_DOM: false,
  RETURN_DOM_FRAGMENT: false,
  RETURN_TRUSTED_TYPE: false,
};

// The compose profile: a quoted or forwarded message is edited inside the app's own
// document, where a <style> element would restyle the whole app (hide it, or draw a fake
// password prompt over it) and class or id could match the app's own CSS and scripts. So
// no <style>, no class, id or name, and inline style only from filterComposeStyle.
const COMPOSE_CONFIG: Config = {
  ...CONFIG,
  FORBID_TAGS: [...FORBID_TAGS, "style"],
  FORBID_ATTR: [...FORBID_ATTR, "class", "id", "name", "hidden", "inert", "contenteditable"],
  // The editor finds the signature block by it, to change it with the sender; inert. A
  // picture's Content-ID likewise (it names no URL: only the message's own parts load by it).
  ADD_ATTR: [BLOCKED_SRC_ATTRIBUTE, SIGNATURE_ATTRIBUTE, CID_SRC_ATTRIBUTE],
};

interface CallState {
  opts: SanitizeOptions;
  tally: RemoteTally;
}

interface Profile {
  config: Config;
  /** The filtered style attribute; "" removes it. */
  style(css: string, state: CallState): string;
}

const MAIL_PROFILE: Profile = {
  config: CONFIG,
  style: (css, state) => filterCss(css, state.opts, state.tally).trim(),
};

const COMPOSE_PROFILE: Profile = {
  config: COMPOSE_CONFIG,
  style: (css, state) => filterComposeStyle(filterCss(css, state.opts, state.tally)),
};

function applyResource(element: Element, attribute: "src" | "background", state: CallState): void {
  const value = element.getAttribute(attribute);
  if (value === null) return;
  const decision = decideResourceUrl(value, state.opts, state.tally, false);
  if (decision.kind === "keep") {
    if (decision.url !== value) element.setAttribute(attribute, decision.url);
    return;
  }
  element.removeAttribute(attribute);
  if (decision.kind === "blocked" && attribute === "src")
    element.setAttribute(BLOCKED_SRC_ATTRIBUTE, decision.url);
}

/**
 * A link whose text promises another destination (or whose target deserves a look) opens
 * the app's link check instead, and says so next to its text. Done here, inside the
 * sanitiser's walk, so the mark is sanitised like the rest and the output stays final. The
 * text is the link's text as written; the walk has not reached its children yet.
 */
function checkLinkTarget(element: Element, href: string, state: CallState): void {
  const rewrite = state.opts.rewriteLink?.(element.textContent ?? "", href) ?? null;
  if (rewrite === null) return;
  element.setAttribute("href", rewrite.href);
  if (rewrite.mark === "") return;
  const mark = element.ownerDocument.createElement("span");
  mark.setAttribute("style", "font-size:0.85em;font-weight:600;color:#b45309;text-decoration:none");
  mark.textContent = ` ${rewrite.mark}`;
  element.appendChild(mark);
}

function afterAttributes(element: Element, state: CallState, profile: Profile): void {
  const tag = element.tagName.toLowerCase();
  if (element.hasAttribute("href")) {
    const href = decideLinkUrl(element.getAttribute("href") ?? "");
    if (href === null || (tag !== "a" && tag !== "area")) {
      element.removeAttribute("href");
    } else {
      if (href !== element.getAttribute("href")) element.setAttribute("href", href);
      if (!href.startsWith("#")) {
        // A new tab, with no window.opener and no Referer leaking the webmail's URL.
        element.setAttribute("target", "_blank");
        element.setAttribute("rel", "noopener noreferrer");
        if (tag === "a") checkLinkTarget(element, href, state);
      }
    }
  }
  if (element.hasAttribute("src")) {
    if (tag === "img") applyResource(element, "src", state);
    else element.removeAttribute("src");
  }
  if (element.hasAttribute("background")) applyResource(element, "background", state);
  const style = element.getAttribute("style");
  if (style !== null) {
    const filtered = profile.style(style, state);
    if (filtered === "") element.removeAttribute("style");
    else if (filtered !== style) element.setAttribute("style", filtered);
  }
}

function buildSanitizer(
  win: Window | WindowLike,
  profile: Profile,
): (html: string, opts: SanitizeOptions) => SanitizedHtml {
  const purify: DOMPurify = createDOMPurify(win as WindowLike);
  if (!purify.isSupported) throw new Error("createSanitizer: this window cannot run DOMPurify");
  let current: CallState | null = null;

  purify.addHook("uponSanitizeElement", (node, data) => {
    if (current === null || data.tagName !== "style") return;
    const css = node.textContent ?? "";
    const filtered = filterCss(css, current.opts, current.tally);
    if (filtered !== css) node.textContent = filtered;
  });
  purify.addHook("afterSanitizeAttributes", (node) => {
    if (current === null || node.nodeType !== 1) return;
    afterAttributes(node as Element, current, profile);
  });

  return function sanitizeEmailHtml(html: string, opts: SanitizeOptions): SanitizedHtml {
    const state: CallState = { opts, tally: { seen: 0, blocked: 0 } };
    current = state;
    try {
      const out = purify.sanitize(html, profile.config);
      return { html: String(out), remoteBlocked: state.tally.blocked, hasRemote: state.tally.seen > 0 };
    } finally {
      current = null;
    }
  };
}

/**
 * Makes the sanitiser for one window: the browser passes `window`, Node code a jsdom
 * window. DOMPurify needs a DOM to parse with; nothing else of the window is used.
 */
export function createSanitizer(
  win: Window | WindowLike,
): (html: string, opts: SanitizeOptions) => SanitizedHtml {
  return buildSanitizer(win, MAIL_PROFILE);
}

/**
 * The sanitiser for HTML that is edited in the app's own document (a quoted reply, a
 * forward, a draft): the mail policy, and also no <style>, no class, id or name, and only
 * the inline styles of filterComposeStyle. Its output never restyles anything outside
 * the element it is put in.
 */
export function createComposeSanitizer(
  win: Window | WindowLike,
): (html: string, opts: SanitizeOptions) => SanitizedHtml {
  return buildSanitizer(win, COMPOSE_PROFILE);
}
