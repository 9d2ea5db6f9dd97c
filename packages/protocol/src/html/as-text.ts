/** Elements that end a line when HTML is read as plain text. */
const BLOCKS = new Set(
  "P DIV LI TR BLOCKQUOTE PRE H1 H2 H3 H4 H5 H6 UL OL TABLE ADDRESS SECTION ARTICLE HEADER FOOTER".split(" "),
);
const UNREAD = new Set(["SCRIPT", "STYLE", "TEMPLATE", "HEAD", "TITLE", "NOSCRIPT"]);
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/**
 * A parsed HTML document read as plain text, its lines kept: a parsed document lays nothing
 * out, so its innerText is only its textContent, the paragraphs run together. Its scripts and
 * styles are not text. (The page parses with DOMParser, which runs nothing and loads nothing.)
 */
export function htmlAsText(doc: Document): string {
  let out = "";
  const walk = (node: Node) => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === TEXT_NODE) out += child.textContent ?? "";
      if (child.nodeType !== ELEMENT_NODE) continue;
      const tag = (child as Element).tagName.toUpperCase();
      if (tag === "BR") out += "\n";
      else if (UNREAD.has(tag)) continue;
      else if (BLOCKS.has(tag)) {
        if (out !== "" && !out.endsWith("\n")) out += "\n";
        walk(child);
        if (!out.endsWith("\n")) out += "\n";
      } else walk(child);
    }
  };
  walk(doc.body ?? doc);
  return out
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
