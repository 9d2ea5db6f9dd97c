// @vitest-environment node
// Ordinary mail must not alarm: over every message of the shared real-world corpus
// (../shared/corpus, see its README), the sender checks raise no warning and no server
// verdict says "failed", except the messages listed below with the reason they deserve it;
// and no link of their HTML bodies is marked or held for confirmation.

import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { corpusDir, corpusPresent, listCorpusMessages } from "../test-support/corpus";
import { parseMessage } from "../mime/index";
import { assessSender, checkLink, readHeaderFields } from "./index";

/** Corpus messages that genuinely deserve a warning, with the reason. */
const EXPECTED_ALARMS: Record<string, string> = {
  // An advance-fee ("419") scam: From an sbcglobal.net user, replies to a "western.uniontransfer1" at hotmail.fr.
  "mikel-mail/error_emails/empty_group_lists.eml": "reply-to-other-domain",
  // RFC 2822 appendix A.2: Mary writes from example.net and asks for replies at home.example.
  // Exactly the pattern the warning names (a business address answering to a private one);
  // when Mary is a contact of the reader, it does not fire.
  "mikel-mail/rfc2822/example06.eml": "reply-to-other-domain",
};

describe("shared corpus: no alarm on ordinary mail", () => {
  if (!corpusPresent()) {
    it.skip(`SKIPPED: the shared corpus is absent (looked in ${corpusDir}; set PISMO_SHARED_DIR)`, () => {});
    return;
  }
  const files = listCorpusMessages();

  it("finds the messages", () => {
    expect(files.length).toBeGreaterThanOrEqual(151);
  });

  it("raises no warning and no failed verdict, except the listed ones", () => {
    const alarms: Record<string, string> = {};
    let verdicts = 0;
    for (const file of files) {
      const headers = readHeaderFields(new Uint8Array(readFileSync(file)));
      const { verdict, warnings } = assessSender(headers, { authservId: null, contacts: [] });
      if (verdict) verdicts++;
      const what = [
        ...warnings.map((warning) => warning.kind),
        ...(verdict?.status === "failed" ? [`failed:${(verdict.failed ?? []).join("+")}`] : []),
      ];
      if (what.length > 0) alarms[relative(corpusDir, file)] = what.join(", ");
    }
    console.log(`trust corpus: ${files.length} messages, ${verdicts} with a server verdict`);
    expect(alarms).toEqual(
      Object.fromEntries(Object.keys(EXPECTED_ALARMS).map((file) => [file, alarms[file]])),
    );
  });

  it("marks no link in the HTML bodies", async () => {
    let links = 0;
    const marked: string[] = [];
    for (const file of files) {
      const view = await parseMessage(new Uint8Array(readFileSync(file)));
      if (!view.html) continue;
      const doc = new JSDOM(view.html).window.document;
      for (const anchor of doc.querySelectorAll("a[href]")) {
        links++;
        const result = checkLink(anchor.textContent ?? "", anchor.getAttribute("href") ?? "");
        if (result.alwaysAsk) marked.push(`${relative(corpusDir, file)}: ${result.reasons.join(",")}`);
      }
    }
    expect(links).toBeGreaterThan(50);
    expect(marked).toEqual([]);
    // Every HTML message of the corpus parsed into a DOM: ~3 s on a slow 2-core machine, more
    // while the rest of the suite runs beside it (once over vitest's 5 s).
  }, 30_000);
});
