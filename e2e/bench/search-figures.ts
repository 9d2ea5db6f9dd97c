import type { Browser } from "@playwright/test";
import { buildMessage } from "@pismo/mail-harness/seed";
import type { MailServer } from "@pismo/mail-harness";
import type { TimedSample } from "./imap-figures";
import type { Target, TimedFigure } from "./report";
import { inPage, openPage, signIn, signOutAndClose, VIEWPORT, type Account } from "./ui";

type Log = (line: string) => void;

/** A word found in exactly one message of the account: the body search's needle. */
export const BODY_NEEDLE = "kvarcnazebra";
/** A sender of about a tenth of the seeded mail (the seed's PEOPLE). */
export const FROM_QUERY = "from:jelena";

export const searchQueries = {
  from: FROM_QUERY,
  body: BODY_NEEDLE,
  fromAll: `in:all ${FROM_QUERY}`,
  bodyAll: `in:all ${BODY_NEEDLE}`,
} as const;
export type SearchKind = keyof typeof searchQueries;

export interface SearchSamples {
  first: TimedSample[];
  done: TimedSample[];
  /** Results found, per sample (the last folder's answer included). */
  count: number[];
}

// In the page: result rows carry "folder/uid" ids (folder rows a bare UID); the status says
// "found in" once every folder has answered.
const ARM = (timeoutMs: number) => `(() => {
  const B = window.__bench;
  const status = () => document.querySelector('[role="status"][aria-label="Search results"]');
  const resultRows = () => B.rows().filter((r) => (r.getAttribute("data-message-id") || "").includes("/"));
  window.__search = {
    first: B.until(() => !!status() && resultRows().length > 0, ${timeoutMs}),
    done: B.until(() => { const s = status(); return !!s && /found in/.test(s.textContent || "") && resultRows().length > 0; }, ${timeoutMs}),
  };
  window.__search.first.catch(() => undefined);
  window.__search.done.catch(() => undefined);
  return true;
})()`;

/**
 * Delivers the one message holding the body search's word into the Inbox, through Dovecot as a
 * server's delivery saves mail, so that its full-text index has it as it has arrived mail. (Written
 * into the Maildir past Dovecot, the first body search of the run indexed it while it waited:
 * ~250 ms, a p95 the server's own delivery never makes.)
 */
export async function plantNeedle(mail: MailServer, account: Account): Promise<void> {
  await mail.save(
    account.email,
    buildMessage({
      from: { name: "Vera Vukić", address: "vera@primer.rs" },
      to: account.email,
      subject: "Beleška sa puta",
      text: `Na putu smo videli ${BODY_NEEDLE} kod reke.\r\n`,
    }),
  );
}

/**
 * Search, timed from the Enter key to the first result row painted and to the results being
 * complete (every folder answered, the status says so), in the current folder and in all of
 * them: a header search (from:) and a body search for a word in one message.
 */
export async function measureSearch(
  browser: Browser,
  baseURL: string,
  account: Account,
  samples: number,
  log: Log,
): Promise<Record<SearchKind, SearchSamples>> {
  const out = Object.fromEntries(
    Object.keys(searchQueries).map((k) => [k, { first: [], done: [], count: [] }]),
  ) as unknown as Record<SearchKind, SearchSamples>;
  const bp = await openPage(browser, baseURL, VIEWPORT.desktop);
  try {
    await signIn(bp, account);
    const { page, meter } = bp;
    const box = page.getByRole("search").getByRole("searchbox", { name: "Search mail" });
    for (let k = 0; k < samples; k++) {
      for (const [kind, query] of Object.entries(searchQueries) as Array<[SearchKind, string]>) {
        await box.fill(query);
        await meter.quiet();
        await inPage(page, ARM(60_000));
        meter.reset();
        await box.press("Enter");
        const first = await inPage<{ committed: number; painted: number }>(page, "window.__search.first");
        const done = await inPage<{ committed: number; painted: number }>(page, "window.__search.done");
        const key = await inPage<number>(page, "window.__bench.lastKey");
        await meter.quiet();
        const bytes = meter.since();
        const status = await page.getByRole("status", { name: "Search results" }).textContent();
        const found = Number(/(\d+) found/.exec(status ?? "")?.[1] ?? Number.NaN);
        out[kind].first.push({ ms: first.painted - key, domMs: first.committed - key, bytes });
        out[kind].done.push({ ms: done.painted - key, domMs: done.committed - key, bytes });
        out[kind].count.push(found);
        log(
          `  search ${k + 1}/${samples} ${JSON.stringify(query)}: first rows ${(first.painted - key).toFixed(1)} ms, complete ${(done.painted - key).toFixed(1)} ms, ${found} found`,
        );
        // Back to the folder (Escape), as a user leaves a search.
        await box.press("Escape");
        await page.getByRole("status", { name: "Search results" }).waitFor({ state: "detached" });
      }
    }
  } finally {
    await signOutAndClose(bp);
  }
  return out;
}

const labels: Record<SearchKind, string> = {
  from: `Header search (${FROM_QUERY}) in the Inbox`,
  body: `Body search (a word in one message) in the Inbox`,
  fromAll: `Header search (${FROM_QUERY}) in all folders`,
  bodyAll: `Body search (a word in one message) in all folders`,
};

/** The figures' ids and labels in BenchResults.figures. */
export function searchFigureEntries(
  size: number,
  results: Record<SearchKind, SearchSamples>,
  timedFigure: (label: string, samples: TimedSample[], extra?: Record<string, number[]>) => TimedFigure,
): Record<string, TimedFigure> {
  const label = `${size.toLocaleString("en")} INBOX`;
  const entries: Record<string, TimedFigure> = {};
  for (const kind of Object.keys(searchQueries) as SearchKind[]) {
    const r = results[kind];
    const key = searchKey(kind, size);
    entries[`search.${key}`] = timedFigure(`${labels[kind]}: first results painted (${label})`, r.first, {
      found: r.count,
    });
    entries[`searchDone.${key}`] = timedFigure(`${labels[kind]}: complete (${label})`, r.done, {
      found: r.count,
    });
  }
  return entries;
}

/** The key a search's figures go under, the same for Roundcube's (roundcube/compare.ts):
 * `<from|body>.<folder|all>.<size>`; `search.` is the first result, `searchDone.` the end. */
export function searchKey(kind: SearchKind, size: number): string {
  const what = kind.startsWith("from") ? "from" : "body";
  const scope = kind.endsWith("All") ? "all" : "folder";
  return `${what}.${scope}.${size}`;
}

/** The issue's search aims: from: first results within 500 ms, body search within 1 s. */
export function searchTargets(
  figure: (id: string) => TimedFigure | undefined,
  size: number,
  roundcube: (id: string) => TimedFigure | undefined = () => undefined,
): Target[] {
  const fmt = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);
  const targets: Target[] = [];
  const from = figure(`search.${searchKey("from", size)}`);
  // Roundcube answers a search in one response: its first result is its complete answer.
  const rcFrom = roundcube(`search.${searchKey("from", size)}`);
  if (from) {
    const limit = rcFrom ? Math.min(500, rcFrom.ms.median / 2) : 500;
    targets.push({
      id: "searchFrom",
      what: `Header search (${FROM_QUERY}) until its first results are painted (${size.toLocaleString("en")}-message INBOX), median`,
      roundcube: rcFrom
        ? fmt(rcFrom.ms.median)
        : "not measured in this run (npm run bench -- --with-roundcube)",
      aim: rcFrom ? "< 500 ms and at most half of Roundcube's" : "< 500 ms",
      pismo: fmt(from.ms.median),
      value: from.ms.median,
      limit,
      unit: "ms",
      met: from.ms.median < limit,
      note: `complete ${fmt(figure(`searchDone.${searchKey("from", size)}`)?.ms.median ?? Number.NaN)}; in all folders: first ${fmt(figure(`search.${searchKey("fromAll", size)}`)?.ms.median ?? Number.NaN)}, complete ${fmt(figure(`searchDone.${searchKey("fromAll", size)}`)?.ms.median ?? Number.NaN)}`,
    });
  }
  const body = figure(`searchDone.${searchKey("body", size)}`);
  if (body)
    targets.push({
      id: "searchBody",
      what: `Body search (a word in one message) with the server's index until complete (${size.toLocaleString("en")}-message INBOX), median`,
      roundcube: (() => {
        const rc = roundcube(`searchDone.${searchKey("body", size)}`);
        return rc ? fmt(rc.ms.median) : "not measured in this run (npm run bench -- --with-roundcube)";
      })(),
      aim: "< 1 s",
      pismo: fmt(body.ms.median),
      value: body.ms.median,
      limit: 1000,
      unit: "ms",
      met: body.ms.median < 1000,
      note: `first result ${fmt(figure(`search.${searchKey("body", size)}`)?.ms.median ?? Number.NaN)}; in all folders complete ${fmt(figure(`searchDone.${searchKey("bodyAll", size)}`)?.ms.median ?? Number.NaN)}`,
    });
  return targets;
}
