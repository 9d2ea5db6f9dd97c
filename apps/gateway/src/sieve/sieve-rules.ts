import type { RulesPort } from "@pismo/protocol/router/ports";
import { compileSieve, PISMO_SCRIPT_NAME, readSieve, type Rule, type RuleSet } from "@pismo/protocol/rules";
import { defaultVacation } from "@pismo/protocol/rules";
import type { ApplyProgress, ScriptCheck, ServerRules } from "@pismo/protocol/rules";
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
 * An IMAP account's filters, kept on the server as one Sieve script and managed over
 * ManageSieve. A connection per request: filters change rarely, and nothing is held open.
 *
 * Pismo's rules live in the script named "pismo". A script Pismo did not write is never
 * overwritten unasked: saving rules over it needs `replaceForeign`, and then it stays on the
 * server, inactive (or, if it was itself named "pismo", under a new name). What is shown is what
 * runs: the active script. An inactive "pismo" (turned off in another client), which the user
 * was not shown, is kept under a new name (`pismo-earlier`) before new rules take its name.
 */
export class SieveRules implements RulesPort {
  constructor(private readonly opts: SieveRulesOptions) {}

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
          return { kind: "pismo" as const, set: { rules: [], vacation: defaultVacation }, extensions };
        const script = await client.getScript(shown.name);
        const read = readSieve(script);
        if (read.kind === "pismo") return { kind: "pismo" as const, set: read.rules, extensions };
        return { kind: "foreign" as const, scriptName: shown.name, script, reason: read.reason, extensions };
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

  save(set: RuleSet, opts: { replaceForeign: boolean }): Promise<ScriptCheck> {
    const script = compileSieve(set);
    return this.#session(async (client) => {
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
      if (active) {
        const current = await client.getScript(active.name);
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
      const warnings = await client.putScript(PISMO_SCRIPT_NAME, script);
      if (active?.name !== PISMO_SCRIPT_NAME) await client.setActive(PISMO_SCRIPT_NAME);
      return { ok: true, message: warnings ?? "" };
    });
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
