import { createHash } from "node:crypto";
import type { RulesPort } from "@pismo/protocol/router/ports";
import {
  compileSieve,
  runsImap4flags,
  followFolderRename,
  PISMO_SCRIPT_NAME,
  readSieve,
  type Rule,
  type RuleSet,
} from "@pismo/protocol/rules";
import { defaultVacation } from "@pismo/protocol/rules";
import type { ApplyProgress, SavedRules, ScriptCheck, ServerRules } from "@pismo/protocol/rules";
import type { ServerEndpoint } from "@pismo/protocol/schemas";
import { SieveClient } from "./client";
import { SieveError } from "./errors";

export interface SieveRulesOptions {
  endpoint: ServerEndpoint;
  user: string;
  password: string;
  tlsVerify: boolean;
  /** Runs one rule over a folder's mail (IMAP SEARCH, then the actions); null without IMAP. */
  applyToFolder: ((folder: string, rule: Rule, signal: AbortSignal) => AsyncIterable<ApplyProgress>) | null;
}

/**
 * What the page was shown, as the `version` it sends back with a save: the active script's name
 * and text (none active: both empty). A hash, so the page carries no second copy of the script.
 */
function versionOf(activeName: string | undefined, script: string): string {
  return createHash("sha256")
    .update(activeName ?? "")
    .update("\0")
    .update(script)
    .digest("base64url");
}

/** The server's words as the page shows them after its own: on one line (Pigeonhole lists a
 * script's errors on several), and short (an answer may be up to the reader's 4 MiB). */
export function shownWords(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what goes
  const controls = /[\u0000-\u001f\u007f-\u009f]+/g;
  const line = text.replace(controls, " ").replace(/ {2,}/g, " ").trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/**
 * Runs a CHECKSCRIPT or PUTSCRIPT of the script Pismo wrote from the rules. The server refusing
 * it is not the user's input being wrong (the rules passed the schema) but the server lacking
 * something (an extension, a limit): said in its words (SERVER_REFUSED), which name what.
 */
async function inServerWords<T>(command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (error) {
    if (!(error instanceof SieveError) || error.code !== "BAD_INPUT") throw error;
    throw new SieveError("SERVER_REFUSED", shownWords(error.serverText || error.message), {
      respCode: error.respCode,
      command: error.command,
      serverText: error.serverText,
      cause: error,
    });
  }
}

/**
 * An IMAP account's filters, kept on the server as one Sieve script and managed over
 * ManageSieve. A connection per request: filters change rarely, and nothing is held open.
 *
 * Pismo's rules live in the script named "pismo". A script Pismo did not write is never
 * overwritten unasked: saving rules over it needs `replaceForeign`, and then it stays on the
 * server, inactive (or, if it was itself named "pismo", under a new name). What is shown is what
 * runs: the active script. An inactive "pismo" (turned off in another client), which the user
 * was not shown, is kept under a new name (`pismo-earlier`) before new rules take its name.
 * A save is of the rules the page was shown: it carries their `version`, and is refused
 * (CHANGED) when the active script is another by then, so that one device's save does not undo
 * another's unseen. A folder renamed through Pismo takes the rules that file into it along
 * (`followRename`, called by ./follow-renames).
 */
export class SieveRules implements RulesPort {
  /** The writes of this session, one after another (see #oneWriteAtATime). */
  #writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: SieveRulesOptions) {}

  /**
   * ManageSieve has no "store only if unchanged" (RFC 5804): a save compares the active script
   * with the version the page read, then writes. Two writes of one session (two tabs, a folder
   * renamed while a rule is saved) run one after the other, so that neither writes between the
   * other's comparing and writing. Another session's or client's write can still fall in there,
   * in a window of one round trip.
   */
  #oneWriteAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#writes.then(work, work);
    this.#writes = run.catch(() => undefined);
    return run;
  }

  async #session<T>(work: (client: SieveClient) => Promise<T>): Promise<T> {
    const { endpoint } = this.opts;
    const client = await SieveClient.connect({
      host: endpoint.host,
      port: endpoint.port,
      security: endpoint.security,
      tls: { rejectUnauthorized: this.opts.tlsVerify },
    });
    try {
      await client.authenticate(this.opts.user, this.opts.password);
      return await work(client);
    } finally {
      await client.logout();
    }
  }

  async read(): Promise<ServerRules> {
    // Signed in: a failure after this (the server closing in the middle of GETSCRIPT) is an
    // error to show, not a server without ManageSieve.
    let signedIn = false;
    try {
      return await this.#session(async (client) => {
        signedIn = true;
        const extensions = client.extensions;
        const shown = (await client.listScripts()).find((s) => s.active);
        if (!shown)
          return {
            kind: "pismo" as const,
            set: { rules: [], vacation: defaultVacation },
            extensions,
            version: versionOf(undefined, ""),
          };
        const script = await client.getScript(shown.name);
        const read = readSieve(script);
        const version = versionOf(shown.name, script);
        if (read.kind === "pismo") return { kind: "pismo" as const, set: read.rules, extensions, version };
        return {
          kind: "foreign" as const,
          scriptName: shown.name,
          script,
          reason: read.reason,
          ...(read.line !== undefined ? { line: read.line } : {}),
          extensions,
          version,
        };
      });
    } catch (error) {
      // No ManageSieve on this server: the app hides server filters rather than failing.
      if (
        !signedIn &&
        error instanceof SieveError &&
        (error.code === "SERVER_UNREACHABLE" || error.command === "GREETING")
      )
        return { kind: "unavailable", reason: error.message };
      throw error;
    }
  }

  save(set: RuleSet, opts: { replaceForeign: boolean; version?: string }): Promise<SavedRules> {
    // Refused (too large, not valid) before a connection is opened.
    compileSieve(set);
    return this.#oneWriteAtATime(() => this.#saveNow(set, opts));
  }

  #saveNow(set: RuleSet, opts: { replaceForeign: boolean; version?: string }): Promise<SavedRules> {
    return this.#session(async (client) => {
      const script = compileSieve(set, { imap4flags: runsImap4flags(client.extensions) });
      const scripts = await client.listScripts();
      const active = scripts.find((s) => s.active);
      const names = new Set(scripts.map((s) => s.name));
      // Kept under another name before Pismo's rules take the name.
      const keepCopy = async (current: string, as: "by-hand" | "earlier") => {
        let keep = `${PISMO_SCRIPT_NAME}-${as}`;
        for (let i = 2; names.has(keep); i++) keep = `${PISMO_SCRIPT_NAME}-${as}-${i}`;
        names.add(keep);
        await client.putScript(keep, current);
      };
      const current = active ? await client.getScript(active.name) : "";
      // Saved from rules that are no longer these (another device saved, a folder was renamed):
      // written, it would undo that change unseen. The page reads them again and says so.
      if (opts.version !== undefined && opts.version !== versionOf(active?.name, current))
        throw new SieveError(
          "CHANGED",
          "The filters on the server changed since they were read; nothing was saved",
        );
      // Checked before anything is written: a script the server refuses leaves no copy behind
      // (each retry would keep one more, until the server's MAXSCRIPTS). CHECKSCRIPT is RFC
      // 5804's, which a server names with its VERSION capability (section 1.7).
      if (client.capabilities.has("VERSION")) await inServerWords(() => client.checkScript(script));
      if (active) {
        if (readSieve(current).kind === "foreign") {
          if (!opts.replaceForeign)
            throw new SieveError(
              "BAD_INPUT",
              `The active script "${active.name}" was not written by Pismo; it was left as it is`,
            );
          if (active.name === PISMO_SCRIPT_NAME) await keepCopy(current, "by-hand");
        }
      }
      // A "pismo" the user was not shown (inactive): kept, not overwritten.
      if (active?.name !== PISMO_SCRIPT_NAME && names.has(PISMO_SCRIPT_NAME)) {
        const earlier = await client.getScript(PISMO_SCRIPT_NAME);
        if (earlier !== script) await keepCopy(earlier, "earlier");
      }
      const warnings = await inServerWords(() => client.putScript(PISMO_SCRIPT_NAME, script));
      if (active?.name !== PISMO_SCRIPT_NAME) await client.setActive(PISMO_SCRIPT_NAME);
      // The server keeps the script byte for byte (PUTSCRIPT's literal): this is what a read
      // would give now.
      return { ok: true, message: warnings ?? "", version: versionOf(PISMO_SCRIPT_NAME, script) };
    });
  }

  /**
   * Points the rules that file into `from` (or a folder inside it) at `to`, after the folder
   * was renamed; says whether it changed the script. Only Pismo's own script while it is the
   * active one: another client's script is that client's to keep up to date, and an inactive
   * one runs nothing.
   */
  followRename(from: string, to: string, delimiter: string): Promise<boolean> {
    return this.#oneWriteAtATime(() =>
      this.#session(async (client) => {
        const active = (await client.listScripts()).find((s) => s.active);
        if (!active) return false;
        const read = readSieve(await client.getScript(active.name));
        if (read.kind !== "pismo") return false;
        const next = followFolderRename(read.rules, from, to, delimiter);
        if (!next) return false;
        await client.putScript(
          active.name,
          compileSieve(next, { imap4flags: runsImap4flags(client.extensions) }),
        );
        return true;
      }),
    );
  }

  check(script: string): Promise<ScriptCheck> {
    return this.#session(async (client) => {
      try {
        return { ok: true, message: (await client.checkScript(script)) ?? "" };
      } catch (error) {
        if (error instanceof SieveError && error.code === "BAD_INPUT")
          return { ok: false, message: error.serverText };
        throw error;
      }
    });
  }

  saveScript(name: string, script: string): Promise<ScriptCheck> {
    return this.#oneWriteAtATime(() => this.#saveScriptNow(name, script));
  }

  #saveScriptNow(name: string, script: string): Promise<ScriptCheck> {
    return this.#session(async (client) => {
      try {
        // The server checks it again on PUTSCRIPT; checking first keeps a broken script from
        // replacing a working one even on servers that store first.
        await client.checkScript(script);
        const warnings = await client.putScript(name, script);
        return { ok: true, message: warnings ?? "" };
      } catch (error) {
        if (error instanceof SieveError && error.code === "BAD_INPUT")
          return { ok: false, message: error.serverText };
        throw error;
      }
    });
  }

  applyToFolder(folder: string, rule: Rule, signal: AbortSignal): AsyncIterable<ApplyProgress> {
    if (!this.opts.applyToFolder)
      throw new SieveError("BAD_INPUT", "This account has no folders on the server");
    return this.opts.applyToFolder(folder, rule, signal);
  }
}
