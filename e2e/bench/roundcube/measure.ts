import type { Browser } from "@playwright/test";
import type { MailServer } from "@pismo/mail-harness";
import type { ResponseRecord } from "../byte-meter";
import type { ImapCount } from "../imap-count";
import { timedFigure, type TimedFigure } from "../report";
import { summarize } from "../stats";
import type { Account } from "../ui";
import {
  countRcImap,
  measureRcFolderSwitch,
  measureRcReading,
  measureRcSearch,
  measureRcSignIn,
  readRefreshInterval,
  RC_PAGE_ROWS,
  RC_SCOPES,
  RC_SEARCHES,
} from "./figures";
import { startRoundcube, type RoundcubeServer } from "./server";

/** Search samples per query and scope: a body search of a big mailbox takes seconds each. */
export const RC_SEARCH_SAMPLES = 5;

export interface RoundcubeMeasured {
  measured: true;
  version: string;
  php: string;
  /** How Roundcube was served in this run. */
  server: string;
  /** Seconds between Roundcube's checks for new mail, as the signed-in page had it. */
  refreshIntervalS: number;
  /** Keys as Pismo's (signin.N, open.N, next.N, folder.N, folderWarm.N), plus
   * search.<from|body>.<folder|all>.N (first result) and searchDone.… (complete). */
  figures: Record<string, TimedFigure>;
  /** Matches Roundcube reported per search key (without the size suffix: key.N). */
  searchMatches: Record<string, number>;
  firstLoad: {
    coldSignInDown: number;
    coldSignInUp: number;
    requests: number;
    js: { files: number; wireBytes: number };
    css: { files: number; wireBytes: number };
  };
  imap: Record<string, ImapCount>;
  /** Sizes whose measurement failed, with the first line of the error. */
  failures: string[];
}

export type RoundcubeResults = RoundcubeMeasured | { measured: false; reason: string };

const totals = (records: ResponseRecord[], type: string) => {
  const of = records.filter((r) => r.type === type);
  return { files: of.length, wireBytes: of.reduce((a, r) => a + r.wireBytes, 0) };
};

/**
 * Debian's Roundcube measured in the same run as Pismo: same Dovecot, same users and mailboxes,
 * same Chromium, the same kinds of probes (see figures.ts for how each one is timed).
 */
export class RoundcubeBench {
  private readonly figures: Record<string, TimedFigure> = {};
  private readonly imap: Record<string, ImapCount> = {};
  private readonly searchMatches: Record<string, number> = {};
  private readonly failures: string[] = [];
  private firstLoad: ResponseRecord[] = [];
  private coldDown: number[] = [];
  private coldUp: number[] = [];
  private refreshIntervalS = Number.NaN;

  private constructor(
    private readonly server: RoundcubeServer,
    private readonly browser: Browser,
    private readonly mail: MailServer,
    private readonly samples: number,
    private readonly warmup: boolean,
    private readonly log: (line: string) => void,
  ) {}

  static async start(
    browser: Browser,
    mail: MailServer,
    opts: { samples: number; warmup: boolean },
    log: (line: string) => void,
  ): Promise<RoundcubeBench> {
    const server = await startRoundcube(mail.imapPort);
    return new RoundcubeBench(server, browser, mail, opts.samples, opts.warmup, log);
  }

  /** Every Roundcube figure for one INBOX size; a failure is recorded, not thrown. */
  async measureSize(size: number, account: Account, first: boolean): Promise<void> {
    const { browser, log, samples } = this;
    const url = this.server.url;
    const label = `${size.toLocaleString("en")} INBOX`;
    try {
      const s = await measureRcSignIn(browser, url, account, samples, log, this.warmup);
      this.figures[`signin.${size}`] = timedFigure(
        `Roundcube: sign-in to ${RC_PAGE_ROWS} rows painted, cold (${label})`,
        s.samples,
        {
          formMs: s.samples.map((x) => x.formMs),
          typingMs: s.samples.map((x) => x.typingMs),
          submitToRowsMs: s.samples.map((x) => x.submitToRowsMs),
          netMs: s.samples.map((x) => x.netMs),
        },
      );
      if (first) {
        this.firstLoad = s.firstLoad;
        this.coldDown = s.samples.map((x) => x.bytes.down);
        this.coldUp = s.samples.map((x) => x.bytes.up);
        this.refreshIntervalS = await readRefreshInterval(browser, url, account);
      }
      const r = await measureRcReading(browser, url, account, samples, log);
      this.figures[`open.${size}`] = timedFigure(
        `Roundcube: open a message, body painted (${label})`,
        r.open,
      );
      this.figures[`next.${size}`] = timedFigure(`Roundcube: next message with ArrowDown (${label})`, r.next);
      const f = await measureRcFolderSwitch(browser, url, account, samples, log);
      this.figures[`folder.${size}`] = timedFigure(`Roundcube: switch to a folder (${label})`, f.cold);
      this.figures[`folderWarm.${size}`] = timedFigure(
        `Roundcube: switch back to the Inbox (${label})`,
        f.warm,
      );
      const found = await measureRcSearch(browser, url, account, Math.min(samples, RC_SEARCH_SAMPLES), log);
      for (const search of RC_SEARCHES)
        for (const scope of RC_SCOPES) {
          const key = `${search.id}.${scope.id}`;
          const fig = found[key];
          if (!fig) continue;
          const what = `${search.label} in ${scope.label}`;
          this.figures[`search.${key}.${size}`] = timedFigure(
            `Roundcube: search ${what}, first result painted (${label})`,
            fig.first,
          );
          this.figures[`searchDone.${key}.${size}`] = timedFigure(
            `Roundcube: search ${what}, complete (${label})`,
            fig.complete,
          );
          this.searchMatches[`${key}.${size}`] = fig.matches;
        }
      this.imap[String(size)] = await countRcImap(browser, this.mail, account, log);
    } catch (error) {
      const line = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
      this.failures.push(`${label}: ${line}`);
      log(`  Roundcube at ${label} failed: ${line}`);
    }
  }

  results(): RoundcubeResults {
    return {
      measured: true,
      version: this.server.version,
      php: this.server.php,
      server: `PHP ${this.server.php} built-in server (php -S, 4 workers, OPcache on, gzip by zlib.output_compression), Roundcube's defaults otherwise, SQLite`,
      refreshIntervalS: this.refreshIntervalS,
      figures: this.figures,
      searchMatches: this.searchMatches,
      firstLoad: {
        coldSignInDown: summarize(this.coldDown).median,
        coldSignInUp: summarize(this.coldUp).median,
        requests: this.firstLoad.length,
        js: totals(this.firstLoad, "Script"),
        css: totals(this.firstLoad, "Stylesheet"),
      },
      imap: this.imap,
      failures: this.failures,
    };
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }
}
