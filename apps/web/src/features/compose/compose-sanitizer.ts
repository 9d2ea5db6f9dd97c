import {
  BLOCKED_SRC_ATTRIBUTE,
  CID_SRC_ATTRIBUTE,
  SIGNATURE_ATTRIBUTE,
  createComposeSanitizer,
  htmlAsText,
} from "@pismo/protocol/html";
import { LIGHT_EDITOR, keepColoursLegible, keepFontSizesInBounds } from "./quote-legibility";
import type { EditorLook } from "./quote-legibility";

let sanitize: ReturnType<typeof createComposeSanitizer> | null = null;

/** The look a quote's colours are judged in: the light one, as most recipients' mail readers
 * show the message. What goes out never depends on the writer's theme (judged in the dark one
 * too, a quote's and a signature's ordinary colours, black and navy text, a white cell, were
 * taken out). */
const EDITOR_LOOKS: EditorLook[] = [LIGHT_EDITOR];

/**
 * HTML for the rich-text editor, which lives in the app's own document: the compose profile
 * of the HTML policy (no <style>, class or id, only text-level inline styles), bound to this
 * window's DOM parser and made once. Remote images stay blocked in the editor. Text the writer
 * could not see there (a colour on the same background, sizes nested into nothing) is made
 * visible, and sizes nested into text that fills the editor are brought down
 * (quote-legibility.ts), so that nothing hidden goes out under the writer's name.
 */
export function sanitizeComposeHtml(html: string): string {
  sanitize ??= createComposeSanitizer(window);
  const clean = sanitize(html, { allowRemote: false }).html;
  const holder = document.createElement("template");
  holder.innerHTML = clean;
  const colours = keepColoursLegible(holder.content, EDITOR_LOOKS);
  const sizes = keepFontSizesInBounds(holder.content);
  if (!colours && !sizes) return clean;
  // Through the policy again, so the editor gets the sanitiser's own serialisation (a tree
  // changed after sanitising is how mutation XSS comes back); only declarations were changed.
  return sanitize(holder.innerHTML, { allowRemote: false }).html;
}

/** HTML read as plain text, its lines kept, parsed by this window (DOMParser runs nothing and
 * loads nothing). */
export function htmlText(html: string): string {
  return htmlAsText(new DOMParser().parseFromString(html, "text/html"));
}

/** The writer's own words in a rich message: its text without the quote (blockquote) and the
 * signature (its mark), for the attachment reminder. */
export function ownHtmlText(html: string): string {
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const el of doc.querySelectorAll(`blockquote, [${SIGNATURE_ATTRIBUTE}]`)) el.remove();
  return htmlAsText(doc);
}

/**
 * HTML from elsewhere put into a message being written (a quote, a forward, a message edited as
 * new, a template, what is pasted or dropped): the compose profile, and no signature mark, which
 * is the writer's own signature's alone (a Pismo message quoted carries its sender's; changing
 * the sender would otherwise replace that one).
 */
export function sanitizeForeignHtml(html: string): string {
  const clean = sanitizeComposeHtml(html);
  if (!clean.includes(SIGNATURE_ATTRIBUTE)) return clean;
  const holder = document.createElement("template");
  holder.innerHTML = clean;
  for (const el of holder.content.querySelectorAll(`[${SIGNATURE_ATTRIBUTE}]`))
    el.removeAttribute(SIGNATURE_ATTRIBUTE);
  return holder.innerHTML;
}

/**
 * The editor's HTML as it goes out (sent or saved as a draft): images the editor kept from
 * loading (a quoted or forwarded message's remote images, held in BLOCKED_SRC_ATTRIBUTE) are
 * images again, as in the message they came from; whether they load is the recipient's
 * client's choice, as for any mail. A forwarded message's pictures, shown from local copies
 * (CID_SRC_ATTRIBUTE), point at their parts again (`cid:`), which go beside the HTML.
 */
export function outgoingHtml(html: string): string {
  if (!html.includes(BLOCKED_SRC_ATTRIBUTE) && !html.includes(CID_SRC_ATTRIBUTE)) return html;
  const holder = document.createElement("template");
  holder.innerHTML = html;
  for (const img of holder.content.querySelectorAll<HTMLImageElement>(`img[${BLOCKED_SRC_ATTRIBUTE}]`)) {
    const url = img.getAttribute(BLOCKED_SRC_ATTRIBUTE) ?? "";
    img.removeAttribute(BLOCKED_SRC_ATTRIBUTE);
    if (/^https?:\/\//i.test(url)) img.setAttribute("src", url);
  }
  for (const img of holder.content.querySelectorAll<HTMLImageElement>(`img[${CID_SRC_ATTRIBUTE}]`)) {
    img.setAttribute("src", `cid:${img.getAttribute(CID_SRC_ATTRIBUTE) ?? ""}`);
    img.removeAttribute(CID_SRC_ATTRIBUTE);
  }
  return holder.innerHTML;
}

/** The Content-ID an image of the editor shows: kept aside (CID_SRC_ATTRIBUTE) or its `cid:` src. */
function pictureContentId(img: HTMLImageElement): string | null {
  const kept = img.getAttribute(CID_SRC_ATTRIBUTE);
  if (kept) return kept;
  const src = img.getAttribute("src") ?? "";
  if (!/^cid:/i.test(src)) return null;
  let cid = src.slice(4);
  try {
    cid = decodeURIComponent(cid);
  } catch {
    // kept as written
  }
  return cid.replace(/^<|>$/g, "") || null;
}

/**
 * Shows the pictures the editor's text refers to by Content-ID from local copies (blob: URLs,
 * which the app's policy allows), each marked with its Content-ID for outgoingHtml; `load`
 * gives a picture's bytes, or null for one the message does not carry. Returns the undoing of
 * the copies (the editor's unmount).
 */
export function showPictures(
  root: HTMLElement,
  load: (cid: string) => (() => Promise<Blob>) | null,
): () => void {
  const urls: string[] = [];
  let gone = false;
  for (const img of root.querySelectorAll<HTMLImageElement>(
    `img[src^="cid:" i], img[${CID_SRC_ATTRIBUTE}]`,
  )) {
    const cid = pictureContentId(img);
    const bytes = cid === null ? null : load(cid);
    if (cid === null || !bytes) continue;
    img.setAttribute(CID_SRC_ATTRIBUTE, cid);
    // Not the part's address: the editor's text must not name an URL of the gateway.
    img.removeAttribute("src");
    void bytes().then(
      (blob) => {
        if (gone) return;
        const url = URL.createObjectURL(blob);
        urls.push(url);
        img.src = url;
      },
      () => undefined,
    );
  }
  return () => {
    gone = true;
    for (const url of urls) URL.revokeObjectURL(url);
  };
}
