// The document a sanitised message is shown in, and how to frame it. Three layers: the
// sanitiser removed script and remote loads; this CSP forbids them again in case a
// browser parses something differently (mXSS); the sandbox without allow-scripts and
// allow-same-origin stops script and keeps the message out of the app's origin.

/**
 * The iframe sandbox for message HTML: popups so links can open a new tab, and those tabs
 * escape the sandbox so ordinary sites work. No allow-scripts, no allow-same-origin, no
 * allow-forms, no allow-top-navigation.
 */
export const MESSAGE_IFRAME_SANDBOX = "allow-popups allow-popups-to-escape-sandbox";

export interface MessageDocumentOptions {
  /** The user chose "Show remote content": lets http(s) images, CSS and fonts load. */
  allowRemote: boolean;
  /**
   * Extra image sources, for inline images served by the gateway
   * (e.g. "https://mail.example.org"); each must be a CSP source expression.
   */
  imageSources?: readonly string[];
}

const BASE_CSS = [
  ":root{color-scheme:light}",
  "html,body{margin:0;padding:0}",
  "body{padding:8px;font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328;background:#fff;overflow-wrap:anywhere;word-wrap:break-word}",
  "img{max-width:100%;height:auto}",
  "table{max-width:100%}",
  "pre{white-space:pre-wrap}",
  "blockquote{margin:0 0 0 .8em;padding-left:.8em;border-left:2px solid #d0d7de}",
].join("");

function cspSource(value: string): string {
  // A source must not close the attribute or start another directive.
  if (!/^[a-z][a-z0-9+.-]*:(?:\/\/[^\s;,'"<>]+)?$/i.test(value)) {
    throw new Error(`Invalid CSP image source: ${value}`);
  }
  return value;
}

/** The Content-Security-Policy of a message document. */
export function messageCsp(opts: MessageDocumentOptions): string {
  const remote = opts.allowRemote ? " https: http:" : "";
  const extra = (opts.imageSources ?? []).map(cspSource).join(" ");
  return [
    "default-src 'none'",
    `img-src data: cid:${remote}${extra ? ` ${extra}` : ""}`,
    `style-src 'unsafe-inline'${remote}`,
    `font-src data:${remote}`,
    "script-src 'none'",
    "object-src 'none'",
    "media-src 'none'",
    "frame-src 'none'",
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/**
 * Wraps sanitised HTML in a complete document for `<iframe srcdoc>`. The input must be
 * the `html` of a sanitizeEmailHtml result; it is inserted as it is.
 */
export function buildMessageDocument(sanitizedHtml: string, opts: MessageDocumentOptions): string {
  return [
    "<!doctype html><html><head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${messageCsp(opts)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<style>${BASE_CSS}</style>`,
    "</head><body>",
    sanitizedHtml,
    "</body></html>",
  ].join("");
}
