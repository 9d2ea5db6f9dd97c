"use client";

import { useEffect, useLayoutEffect, useRef, type RefObject } from "react";
import { useTranslation } from "@/i18n/react";
import { LinkIcon } from "@/components/ui/icons";
import { SIGNATURE_ATTRIBUTE } from "@pismo/protocol/html";
import { sanitizeComposeHtml, sanitizeForeignHtml, showPictures } from "./compose-sanitizer";
import type { SignaturePlacement } from "@pismo/protocol/identities";

/**
 * A small rich-text editor on contentEditable. Whatever is loaded into it (a draft from the
 * server, a quoted message) goes through the compose profile of the HTML policy first: it is
 * rendered in the app's own document, where a message's <style>, class names or positioned
 * boxes would restyle or cover the app itself.
 */
/** Puts the new sender's signature block in place of the old one (`add`: where there was none,
 * where a message starts with it, `placement` saying above or below a reply's quote). */
export type RichSignature = (block: string, opts: { add: boolean; placement: SignaturePlacement }) => boolean;

export function RichEditor({
  initialHtml,
  onChange,
  onLoad,
  label,
  bodyLabel,
  autoFocus = false,
  insertRef,
  signatureRef,
  pictures,
}: {
  initialHtml: string;
  onChange: (html: string, text: string) => void;
  /** The text of what was loaded (the editor's own reading of it), before any edit. */
  onLoad?: (text: string) => void;
  label: string;
  /** The editable area's name. @default "Message text" */
  bodyLabel?: string;
  /** Focused when loaded, the caret at the start (a reply's empty line above the quote). */
  autoFocus?: boolean;
  /** Set to a function that inserts HTML where the caret last was in the editor (at its start
   * if it never was there), through the compose profile: a template chosen from a menu. */
  insertRef?: RefObject<((html: string) => void) | null>;
  /** Set to a function that puts this signature block (HTML; "" for none) in place of the one
   * the message has (its mark, outside a quote), or, with `add` (the sender before had none),
   * where a message starts with it (`placement`: above a reply's quote, or at the end); false
   * when it did neither (one the writer deleted). */
  signatureRef?: RefObject<RichSignature | null>;
  /** The bytes of a picture the text shows by Content-ID (a forwarded message's), or null for
   * one the message does not carry: shown in the editor, sent as `cid:` beside the HTML. */
  pictures?: (cid: string) => (() => Promise<Blob>) | null;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const draggingOwn = useRef(false);

  // Filled before the window is first painted (a quote or a draft, never a frame late).
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.innerHTML = sanitizeComposeHtml(initialHtml);
    const hidePictures = pictures ? showPictures(el, pictures) : null;
    onLoad?.(markedText(el));
    if (autoFocus) {
      el.focus();
      const start = document.createRange();
      start.selectNodeContents(el.firstElementChild ?? el);
      start.collapse(true);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(start);
    }
    return () => hidePictures?.();
    // Only on mount: afterwards the DOM is the source of truth.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const emit = () => {
    const el = ref.current;
    if (el) onChange(el.innerHTML, markedText(el));
  };

  // Where the caret last was in the editor: a menu's button takes the focus, and with it the
  // selection, before the menu inserts anything.
  const caret = useRef<Range | null>(null);
  useEffect(() => {
    const keep = () => {
      const selection = window.getSelection();
      const el = ref.current;
      if (el && selection?.rangeCount && el.contains(selection.getRangeAt(0).commonAncestorContainer))
        caret.current = selection.getRangeAt(0).cloneRange();
    };
    document.addEventListener("selectionchange", keep);
    return () => document.removeEventListener("selectionchange", keep);
  }, []);
  useEffect(() => {
    if (!insertRef) return;
    insertRef.current = (html: string) => {
      const el = ref.current;
      if (!el) return;
      el.focus();
      let at = caret.current;
      if (!at || !el.contains(at.commonAncestorContainer)) {
        at = document.createRange();
        at.selectNodeContents(el.firstElementChild ?? el);
        at.collapse(true);
      }
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(at);
      document.execCommand("insertHTML", false, sanitizeForeignHtml(html));
      emit();
    };
    return () => {
      insertRef.current = null;
    };
  });
  useEffect(() => {
    if (!signatureRef) return;
    signatureRef.current = (block, { add, placement }) => {
      const el = ref.current;
      if (!el) return false;
      const own = Array.from(el.querySelectorAll(`[${SIGNATURE_ATTRIBUTE}]`)).find(
        (node) => !node.closest("blockquote"),
      );
      const holder = document.createElement("template");
      holder.innerHTML = block ? sanitizeComposeHtml(block) : "";
      // A reply's quote, the blockquote it ends with (a writer's own quote further up is not
      // it), and its attribution paragraph ("… wrote:") just above it.
      const last = Array.from(el.children)
        .reverse()
        .find((node) => node.tagName !== "P" || node.textContent?.trim() !== "");
      const quote = last?.tagName === "BLOCKQUOTE" ? last : null;
      const attribution =
        quote?.previousElementSibling?.tagName === "P" ? quote.previousElementSibling : quote;
      if (own) own.replaceWith(holder.content);
      else if (!block || !add) return false;
      else if (attribution && placement === "above") attribution.before(holder.content);
      else el.append(holder.content);
      emit();
      return true;
    };
    return () => {
      signatureRef.current = null;
    };
  });
  const exec = (command: string, value?: string) => {
    ref.current?.focus();
    document.execCommand(command, false, value);
    emit();
  };

  const tool = "rounded px-2 py-0.5 text-sm hover:bg-slate-100 dark:hover:bg-slate-800";
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div
        role="toolbar"
        aria-label={label}
        className="flex gap-1 border-b border-slate-200 px-2 py-1 dark:border-slate-700"
      >
        <button
          type="button"
          className={`${tool} font-bold`}
          aria-label={t("compose.bold")}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => exec("bold")}
        >
          B
        </button>
        <button
          type="button"
          className={`${tool} italic`}
          aria-label={t("compose.italic")}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => exec("italic")}
        >
          I
        </button>
        <button
          type="button"
          className={tool}
          aria-label={t("compose.bulletList")}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => exec("insertUnorderedList")}
        >
          • —
        </button>
        <button
          type="button"
          className={tool}
          aria-label={t("compose.link")}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            const url = prompt(t("compose.linkPrompt"), "https://");
            if (url && /^(https?:|mailto:)/i.test(url.trim())) exec("createLink", url.trim());
          }}
        >
          <LinkIcon />
        </button>
      </div>
      <div
        ref={ref}
        role="textbox"
        aria-multiline="true"
        aria-label={bodyLabel ?? t("compose.body")}
        contentEditable
        suppressContentEditableWarning
        onInput={emit}
        onPaste={(e) => {
          // Pasted HTML (say, copied from a message) would otherwise enter the app's
          // document with whatever styles it carries: it gets the same profile as a quote.
          const html = e.clipboardData.getData("text/html");
          if (!html) return;
          e.preventDefault();
          document.execCommand("insertHTML", false, sanitizeForeignHtml(html));
          emit();
        }}
        onDragStart={() => {
          draggingOwn.current = true;
        }}
        onDragEnd={() => {
          draggingOwn.current = false;
        }}
        onDrop={(e) => {
          // So is HTML dragged in (a selection of a message); files go to the compose window, and
          // the editor's own text moved within it is the browser's to move.
          const html = e.dataTransfer.getData("text/html");
          if (!html || e.dataTransfer.files.length || draggingOwn.current) return;
          e.preventDefault();
          ref.current?.focus();
          const at = document.caretRangeFromPoint?.(e.clientX, e.clientY);
          if (at && ref.current?.contains(at.startContainer)) {
            window.getSelection()?.removeAllRanges();
            window.getSelection()?.addRange(at);
          }
          document.execCommand("insertHTML", false, sanitizeForeignHtml(html));
          emit();
        }}
        // A light page in both themes: quoted mail's colours are judged against it (what goes out
        // never depends on the writer's theme, compose-sanitizer.ts), and the writer sees them so.
        className="min-h-40 flex-1 overflow-y-auto bg-white px-3 py-2 text-sm leading-relaxed text-slate-900 [color-scheme:light] outline-none [&_a]:text-accent [&_a]:underline [&_blockquote]:border-l-2 [&_blockquote]:border-slate-300 [&_blockquote]:pl-3 [&_blockquote]:text-slate-600 [&_ul]:list-disc [&_ul]:pl-5"
      />
    </div>
  );
}

/**
 * The editor's text as its plain alternative goes out (and as plain text shows it): its text as
 * rendered (innerText, its lines as shown), each quoted block's lines marked "> " (once more for
 * each level), as mail programs mark a quote in plain text. Without the marks, a reply's plain
 * part ran the quoted message on as if the writer had written it.
 */
export function markedText(el: HTMLElement): string {
  return withQuotesMarked(el, el.innerText, null);
}

function withQuotesMarked(el: HTMLElement, text: string, self: Element | null): string {
  let out = text;
  let limit = out.length;
  // The blockquotes directly in this one (or in the editor), last first, each found in the text
  // before the one after it.
  const quotes = Array.from(el.querySelectorAll<HTMLElement>("blockquote")).filter(
    (q) => (q.parentElement?.closest("blockquote") ?? null) === self,
  );
  for (const quote of quotes.reverse()) {
    const inner = quote.innerText.replace(/\n+$/, "");
    const at = inner ? out.lastIndexOf(inner, limit - inner.length) : -1;
    if (at < 0) continue;
    const marked = withQuotesMarked(quote, inner, quote)
      .split("\n")
      .map((line) => (line ? `> ${line}` : ">"))
      .join("\n");
    out = out.slice(0, at) + marked + out.slice(at + inner.length);
    limit = at;
  }
  return out;
}
