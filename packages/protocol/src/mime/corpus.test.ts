// @vitest-environment node
// Every message of the shared real-world corpus (../shared/corpus, see its README) must
// parse within the limits, give a view that matches the schema (or carry a note saying
// what went wrong), and have HTML the policy can sanitise into something safe.

import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { JSDOM } from "jsdom";
import { afterAll, describe, expect, it } from "vitest";
import { corpusDir, corpusPresent, listCorpusMessages } from "../test-support/corpus";
import { createSanitizer } from "../html/index";
import { findUnsafe } from "../html/safety-check";
import { MemoryBlob, messageViewSchema, parseAttachedMessage, parseMessage } from "./index";

interface Outcome {
  file: string;
  ms: number;
  notes: string[];
  hasBody: boolean;
}

describe("shared corpus", () => {
  if (!corpusPresent()) {
    it.skip(`SKIPPED: the shared corpus is absent (looked in ${corpusDir}; set PISMO_SHARED_DIR)`, () => {});
    return;
  }
  const files = listCorpusMessages();
  const outcomes: Outcome[] = [];
  const sanitize = createSanitizer(new JSDOM("").window as unknown as Window);
  const checker = new JSDOM("");

  it("finds the messages", () => {
    // 151 .eml files plus the extension-less samples.
    expect(files.filter((file) => file.endsWith(".eml")).length).toBeGreaterThanOrEqual(151);
  });

  for (const file of files) {
    const name = relative(corpusDir, file);
    it(`renders ${name}`, { timeout: 20_000 }, async () => {
      const raw = new Uint8Array(readFileSync(file));
      const started = performance.now();
      const view = await parseMessage(raw);
      const ms = performance.now() - started;
      expect(() => messageViewSchema.parse(view)).not.toThrow();
      // A view either has something to show or says why not.
      const hasBody = view.text !== null || view.html !== null || view.attachments.length > 0;
      if (!hasBody && view.subject === null && view.from === null)
        expect(view.notes.length).toBeGreaterThan(0);
      for (const attached of view.attachments.filter((a) => a.isMessage).slice(0, 3)) {
        const inner = await parseAttachedMessage(raw, attached.id);
        expect(inner).not.toBeNull();
        expect(() => messageViewSchema.parse(inner)).not.toThrow();
      }
      if (view.html !== null) {
        for (const allowRemote of [false, true]) {
          const result = sanitize(view.html, { allowRemote });
          const body = checker.window.document.createElement("body");
          body.innerHTML = result.html;
          expect(findUnsafe(body, { allowRemote })).toEqual([]);
          expect(sanitize(result.html, { allowRemote }).html).toBe(result.html);
        }
      }
      // The parsing Worker gives postal-mime a Blob joined in memory: the same view from it.
      const realBlob = globalThis.Blob;
      globalThis.Blob = MemoryBlob as unknown as typeof Blob;
      try {
        expect(await parseMessage(raw)).toEqual(view);
      } finally {
        globalThis.Blob = realBlob;
      }
      outcomes.push({ file: name, ms, notes: view.notes.map((note) => note.code), hasBody });
      // Bounded time on every message, torture.eml and enclosed-endless.eml included.
      expect(ms).toBeLessThan(10_000);
    });
  }

  afterAll(() => {
    const slowest = [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 5);
    const noted = outcomes.filter((outcome) => outcome.notes.length > 0);
    console.info(
      [
        `corpus: ${outcomes.length} messages, ${outcomes.filter((o) => o.hasBody).length} with a body or attachments, ${noted.length} with notes`,
        ...noted.map((o) => `  note ${o.file}: ${o.notes.join(", ")}`),
        ...slowest.map((o) => `  slow ${o.file}: ${o.ms.toFixed(0)} ms`),
      ].join("\n"),
    );
  });
});
