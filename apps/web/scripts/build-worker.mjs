// Builds the service worker as its own step after `next build` (a static export has no
// Next plugin hook for it): bundles worker/sw.ts with esbuild and gives it the list of the
// app shell's files to precache. Only the shell: the page, the scripts and styles the page
// itself loads, the manifest and the icons. The mail views' lazily loaded chunks are cached
// when the browser has loaded them (from its HTTP cache, so no byte is fetched twice), and
// mail itself never.
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? "out");

const revision = async (file) =>
  createHash("sha256")
    .update(await readFile(file))
    .digest("hex")
    .slice(0, 16);

/**
 * The scripts and styles the page loads. Files with a content hash in their name need no
 * revision: the URL changes with them. A `noModule` script (the polyfills for browsers without
 * modules) is left out: no browser that runs the worker loads it, so precaching it would
 * download it for nothing at every install.
 */
function staticAssets(html) {
  const urls = new Set();
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/g)) {
    if (/\bnoModule\b/i.test(tag)) continue;
    const url = /(?:src|href)="(\/_next\/static\/[^"?#]+\.(?:js|css))"/.exec(tag)?.[1];
    if (url) urls.add(url);
  }
  return [...urls].sort();
}

const index = path.join(root, "index.html");
const html = await readFile(index, "utf8");
const entries = [{ url: "/", revision: await revision(index) }];
for (const file of ["manifest.webmanifest", "icons/icon-192.png", "icons/icon-512.png", "icon.svg"]) {
  const full = path.join(root, file);
  if (!(await stat(full).catch(() => null))) {
    console.error(`build-worker: ${full} is missing from the export`);
    process.exit(1);
  }
  entries.push({ url: `/${file}`, revision: await revision(full) });
}
for (const url of staticAssets(html)) {
  await stat(path.join(root, url)).catch(() => {
    console.error(`build-worker: index.html refers to ${url}, which the export does not have`);
    process.exit(1);
  });
  entries.push({ url, revision: null });
}

// The language catalogs are chunks of their own, fetched for the language shown (src/i18n):
// the shell must start offline in either language, so both are precached. A catalog's chunk
// is the one holding its first entry, the app's name and tagline (src/i18n/en.ts).
const chunksDir = path.join(root, "_next/static/chunks");
const catalogChunks = [];
for (const name of (await readdir(chunksDir)).filter((f) => f.endsWith(".js"))) {
  const text = await readFile(path.join(chunksDir, name), "utf8");
  if (/\{app:\{name:"Pismo",tagline:"/.test(text)) catalogChunks.push(`/_next/static/chunks/${name}`);
}
if (catalogChunks.length < 2) {
  console.error(`build-worker: expected a chunk per language catalog, found ${catalogChunks.length}`);
  process.exit(1);
}
for (const url of catalogChunks)
  if (!entries.some((e) => e.url === url)) entries.push({ url, revision: null });

await build({
  entryPoints: [path.join(here, "../worker/sw.ts")],
  outfile: path.join(root, "sw.js"),
  bundle: true,
  format: "iife",
  target: "es2022",
  minify: true,
  legalComments: "none",
  define: {
    PISMO_PRECACHE: JSON.stringify(entries),
    "process.env.NODE_ENV": '"production"',
  },
  logLevel: "warning",
});
const size = (await stat(path.join(root, "sw.js"))).size;
console.log(`build-worker: sw.js (${(size / 1024).toFixed(1)} kB) precaches ${entries.length} shell files`);
