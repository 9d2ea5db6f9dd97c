// The shared real-world corpus (../shared/corpus beside the repository, see its README), for
// the tests that run every message of it. Only tests import this file: it reads the disk,
// which the protocol package itself never does.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
// src/test-support -> packages/protocol -> repo root -> its sibling "shared"
const sharedDir = process.env["PISMO_SHARED_DIR"] ?? resolve(here, "../../../../../shared");

/** The corpus folder, whether or not it exists (a clone elsewhere has none). */
export const corpusDir = join(sharedDir, "corpus");

export const corpusPresent = (): boolean => existsSync(corpusDir);

// Files without .eml are messages when they start like a header block (flanker's dkim
// samples, mikel-mail's sample_output_multipart); README, LICENSE and binaries are not.
function looksLikeMessage(path: string): boolean {
  if (path.endsWith(".eml")) return true;
  if (/(?:^|\/)(?:README|LICENSE)(?:\.md)?$|\.(?:png|wav|jpg|gif|pdf|md)$/i.test(path)) return false;
  const head = readFileSync(path).subarray(0, 200).toString("latin1");
  return /^[\x21-\x39\x3b-\x7e]+:/.test(head);
}

/** Every message file of the corpus, sorted. */
export function listCorpusMessages(dir: string = corpusDir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...listCorpusMessages(path));
    else if (looksLikeMessage(path)) out.push(path);
  }
  return out.sort();
}
