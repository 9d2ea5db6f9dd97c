import type { RuleSet, ServerRules } from "@pismo/protocol/rules";
import { errorCodeOf } from "@/lib/errors";

export type PismoRules = Extract<ServerRules, { kind: "pismo" }>;

/** One change to the account's rules or out-of-office reply, made to them as they are then. */
export type RuleSetChange = (set: RuleSet) => RuleSet;

/** What the saves need of the page: its copy of the rules (the query's cache) and the server. */
export interface RuleSavesPort {
  /** The rules shown now. */
  shown(): ServerRules | undefined;
  /** Shows these instead. */
  show(rules: PismoRules): void;
  /** Stops a reading of the rules under way, which would show them without the changes. */
  stopReading(): void;
  /** Saves, if the server's script is still `version` (else fails with CHANGED). */
  save(set: RuleSet, version: string): Promise<{ version: string }>;
  /** Reads the rules from the server again, and shows them. */
  reread(): Promise<ServerRules>;
}

/** A change was saved; `overOthers`: after the rules had been changed elsewhere, to them. */
export interface SavedChange {
  overOthers: boolean;
}

interface Waiting {
  change: RuleSetChange;
  /** Shown before it is saved (a change in the list); not a form's, which shows it itself. */
  shown: boolean;
  overOthers: boolean;
  resolve: (saved: SavedChange) => void;
  reject: (error: unknown) => void;
}

/**
 * The user's changes to an IMAP account's filters, shown at once and saved one after another.
 *
 * Each save is of every change so far, made to the rules as the server last had them, and
 * names the version it was made from: a second toggle made while the first is saved waits,
 * then goes with it, so neither undoes the other, and a rule deleted stays deleted. When the
 * server's rules are another by then (another device, another tab, a folder renamed), the save
 * is refused (CHANGED); the rules are read again and the same changes made to them, once.
 * Refused again, or refused for any other reason, a change is dropped from what is shown, and
 * its promise rejects with why.
 */
export class RuleSaves {
  /** The rules as the server has them, while changes wait; null when idle. */
  #server: PismoRules | null = null;
  #waiting: Waiting[] = [];
  #running = false;

  constructor(public port: RuleSavesPort) {}

  make(change: RuleSetChange, opts: { shown?: boolean } = {}): Promise<SavedChange> {
    if (!this.#running) {
      this.port.stopReading();
      const now = this.port.shown();
      if (now?.kind !== "pismo") return Promise.reject(new Error("The rules shown are not Pismo's"));
      this.#server = now;
    }
    return new Promise<SavedChange>((resolve, reject) => {
      this.#waiting.push({ change, shown: opts.shown ?? true, overOthers: false, resolve, reject });
      this.#show();
      if (!this.#running) void this.#run();
    });
  }

  /** The server's rules with the changes not saved yet that show before they are. */
  #show(): void {
    const server = this.#server;
    if (!server) return;
    const set = this.#waiting.filter((w) => w.shown).reduce((s, w) => w.change(s), server.set);
    this.port.show({ ...server, set });
  }

  #drop(batch: readonly Waiting[], error: unknown): void {
    this.#waiting = this.#waiting.filter((w) => !batch.includes(w));
    for (const w of batch) w.reject(error);
  }

  async #run(): Promise<void> {
    this.#running = true;
    let readAgain = false;
    try {
      while (this.#waiting.length > 0 && this.#server) {
        const server: PismoRules = this.#server;
        const batch = [...this.#waiting];
        const set = batch.reduce((s, w) => w.change(s), server.set);
        try {
          const { version } = await this.port.save(set, server.version);
          this.#server = { ...server, set, version };
          this.#waiting = this.#waiting.filter((w) => !batch.includes(w));
          // A reading started meanwhile (a reconnect, the folders changed) would put the rules
          // as they were before this save back on screen.
          this.port.stopReading();
          // What was saved shows now, a form's change too (shown only once saved): the
          // out-of-office banner reads the same rules.
          this.#show();
          for (const w of batch) w.resolve({ overOthers: w.overOthers });
          readAgain = false;
        } catch (error) {
          if (errorCodeOf(error) !== "CHANGED") {
            this.#drop(batch, error);
            this.#show();
            continue;
          }
          let fresh: ServerRules;
          try {
            fresh = await this.port.reread();
          } catch (readError) {
            this.#drop(this.#waiting, readError);
            this.#show();
            return;
          }
          if (fresh.kind !== "pismo") {
            // Another client's script now (or no server to read): shown as it is, and nothing
            // of these changes can be made to it.
            this.#server = null;
            this.#drop(this.#waiting, error);
            return;
          }
          this.#server = fresh;
          if (readAgain) {
            // Changed elsewhere again while being made: the user looks before making it a third
            // time.
            this.#drop(batch, error);
            readAgain = false;
          } else {
            for (const w of this.#waiting) w.overOthers = true;
            readAgain = true;
          }
          this.#show();
        }
      }
    } finally {
      this.#running = false;
      if (this.#waiting.length === 0) this.#server = null;
    }
  }
}
