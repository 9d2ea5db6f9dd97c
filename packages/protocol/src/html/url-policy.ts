// Which URLs an HTML message may load. Every fetch a message can trigger (img src, the
// background attribute, CSS url()) goes through here, so "nothing remote until the user
// asks" is decided in one place.

/** Per-call options of the HTML policy. */
export interface SanitizeOptions {
  /** The user chose "Show remote content" for this message or sender. */
  allowRemote: boolean;
  /**
   * Maps a Content-ID (without angle brackets) to a URL the page can load: a
   * `data:image/...` URL (POP3 mail stored in the browser) or an http(s) URL of the
   * gateway's attachment endpoint (IMAP). Return null when the message has no such part.
   */
  resolveCid?: (cid: string) => string | null;
  /**
   * Decides, per link, whether the reader must see the real destination before it opens
   * (the link's text promises another one, or the target is an IP address or a lookalike
   * host). Return the URL to open instead (the app's link check page) and a short mark shown
   * after the link's text, or null to keep the link as it is. `text` is the link's text,
   * `href` the target after the link policy.
   */
  rewriteLink?: (text: string, href: string) => { href: string; mark: string } | null;
}

/** Counts what the message tried to load from elsewhere. */
export interface RemoteTally {
  /** Remote references seen (allowed or not). */
  seen: number;
  /** Remote references removed because allowRemote was false. */
  blocked: number;
}

// Raster images only: an SVG image cannot run script in an <img>, but it is a second
// parser and a second attack surface the mail view does not need.
const SAFE_DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|avif|bmp|x-icon|vnd\.microsoft\.icon)[;,]/i;
const SAFE_DATA_FONT =
  /^data:(?:font\/[a-z0-9.+-]+|application\/(?:x-)?font-[a-z0-9.+-]+|application\/vnd\.ms-fontobject)[;,]/i;

/** Browsers drop ASCII whitespace and controls inside URLs ("java\tscript:"), so do we. */
export function compactUrl(value: string): string {
  // eslint-disable-next-line no-control-regex -- the WHATWG URL parser strips C0 controls and tabs/newlines
  return value.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
}

/** "//host/x" loads over the page's scheme; in a srcdoc frame that is the app's. */
function absoluteRemote(compact: string): string | null {
  if (/^https?:\/\//i.test(compact)) return compact;
  if (compact.startsWith("//")) return `https:${compact}`;
  return null;
}

export type UrlDecision = { kind: "keep"; url: string } | { kind: "blocked"; url: string } | { kind: "drop" };

/**
 * Decides a URL that would be fetched as a resource (an image, a CSS background, a font).
 * Relative URLs are dropped: a srcdoc document resolves them against the app's own
 * origin, which would let a message make authenticated GET requests there.
 */
export function decideResourceUrl(
  raw: string,
  opts: SanitizeOptions,
  tally: RemoteTally,
  allowFonts: boolean,
): UrlDecision {
  const compact = compactUrl(raw);
  if (SAFE_DATA_IMAGE.test(compact) || (allowFonts && SAFE_DATA_FONT.test(compact))) {
    return { kind: "keep", url: compact };
  }
  if (/^cid:/i.test(compact)) {
    // RFC 2392: cid:<content-id>, percent-encoded.
    let cid = compact.slice(4);
    try {
      cid = decodeURIComponent(cid);
    } catch {
      // keep it raw
    }
    const resolved = opts.resolveCid?.(cid.replace(/^<|>$/g, "")) ?? null;
    if (resolved === null) return { kind: "keep", url: compact };
    const compactResolved = compactUrl(resolved);
    if (SAFE_DATA_IMAGE.test(compactResolved) || /^(?:https?|blob):/i.test(compactResolved)) {
      return { kind: "keep", url: compactResolved };
    }
    return { kind: "drop" };
  }
  const remote = absoluteRemote(compact);
  if (remote !== null) {
    tally.seen++;
    if (opts.allowRemote) return { kind: "keep", url: remote };
    tally.blocked++;
    return { kind: "blocked", url: remote };
  }
  return { kind: "drop" };
}

/** Links: http(s), mailto and in-document anchors; everything else (javascript:, data:, relative) goes. */
export function decideLinkUrl(raw: string): string | null {
  const compact = compactUrl(raw);
  if (/^(?:https?:\/\/|mailto:)/i.test(compact)) return compact;
  if (compact.startsWith("//")) return `https:${compact}`;
  if (/^#[^#]*$/.test(compact)) return compact;
  return null;
}
