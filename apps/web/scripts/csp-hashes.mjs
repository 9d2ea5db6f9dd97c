// Next's static export bootstraps with inline <script> elements (the page's data, the theme
// set before paint). Instead of 'unsafe-inline', the gateway allows exactly these scripts by
// their SHA-256 (CSP 3 hash-source): this step, run after `next build`, hashes every inline
// script of every exported page and writes the list to csp-hashes.json in the export.
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

const root = path.resolve(process.argv[2] ?? "out");

async function* htmlFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* htmlFiles(full);
    else if (entry.name.endsWith(".html")) yield full;
  }
}

// The browser hashes a script element's text exactly as written (script content is raw
// text in HTML: no entity decoding), which is the text between the tags here. Next writes
// no "</script" inside a script, so the first closing tag ends it.
const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

const hashes = new Set();
let pages = 0;
for await (const file of htmlFiles(root)) {
  pages += 1;
  const html = await readFile(file, "utf8");
  for (const [, attributes, body] of html.matchAll(SCRIPT)) {
    if (/\ssrc\s*=/i.test(` ${attributes}`)) continue;
    hashes.add(`sha256-${createHash("sha256").update(body, "utf8").digest("base64")}`);
  }
}
if (pages === 0) {
  console.error(`csp-hashes: no HTML files in ${root}`);
  process.exit(1);
}
const sorted = [...hashes].sort();
await writeFile(path.join(root, "csp-hashes.json"), `${JSON.stringify({ scriptSrc: sorted }, null, 2)}\n`);
console.log(`csp-hashes: ${sorted.length} inline scripts in ${pages} pages`);
