import { buildMessageDocument, escapeHtml } from "@pismo/protocol/html";

export interface PrintHeader {
  label: string;
  value: string;
}

const PRINT_CSS = [
  "@page{margin:15mm}",
  ".pismo-print-head{margin:0 0 12px;padding:0 0 8px;border-bottom:1px solid #999;font:13px/1.45 system-ui,sans-serif;color:#000}",
  ".pismo-print-head h1{margin:0 0 6px;font-size:18px;line-height:1.3}",
  ".pismo-print-head dl{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:2px 8px}",
  ".pismo-print-head dt{color:#555}",
  ".pismo-print-head dd{margin:0;overflow-wrap:anywhere}",
  ".pismo-print-text{white-space:pre-wrap;font:13px/1.5 ui-monospace,monospace;margin:0}",
].join("");

/**
 * The document "Print" shows and prints: the message's headers written here (escaped, never
 * the sender's markup) over the body, sanitised HTML or plain text, inside the message
 * document with its CSP (no script, nothing remote). `sanitizedHtml` must be the output of
 * the HTML policy with remote content held back; plain text is escaped here.
 */
export function buildPrintDocument(input: {
  subject: string;
  headers: readonly PrintHeader[];
  body: { kind: "html"; sanitizedHtml: string } | { kind: "text"; text: string } | { kind: "none" };
}): string {
  const rows = input.headers
    .filter((h) => h.value !== "")
    .map((h) => `<dt>${escapeHtml(h.label)}</dt><dd>${escapeHtml(h.value)}</dd>`)
    .join("");
  const head = `<style>${PRINT_CSS}</style><header class="pismo-print-head"><h1>${escapeHtml(input.subject)}</h1><dl>${rows}</dl></header>`;
  const body =
    input.body.kind === "html"
      ? input.body.sanitizedHtml
      : input.body.kind === "text"
        ? `<pre class="pismo-print-text">${escapeHtml(input.body.text)}</pre>`
        : "";
  return buildMessageDocument(`${head}<main>${body}</main>`, { allowRemote: false });
}
