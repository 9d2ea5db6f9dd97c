import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  commandName,
  proportionalToFolder,
  type ImapCountingProxy,
  type ProxiedConnection,
} from "./imap-proxy";

export interface ImapCount {
  /** Every connection the client opened during the sign-in (through the counting proxy). */
  connections: number;
  /** Connections that logged in (Dovecot rawlog files; cross-check). */
  loggedInConnections: number;
  /** Tagged commands, all connections, IDLE included. */
  commands: number;
  /** Tagged commands other than IDLE. */
  commandsWithoutIdle: number;
  /** The most commands on any one connection (IDLE excluded). */
  maxPerConnection: number;
  /** Commands after LOGIN as Dovecot's rawlog saw them (cross-check). */
  rawlogCommands: number;
  /** Commands whose cost grows with the folder (SEARCH, SORT, FETCH 1:*). */
  proportional: string[];
  perConnection: Array<{ commands: string[] }>;
  byName: Record<string, number>;
}

/** What the proxy has seen so far, copied (the proxy keeps recording). */
export function snapshotOf(proxy: ImapCountingProxy): ProxiedConnection[] {
  return proxy.connections.map((c) => ({ ...c, commands: [...c.commands] }));
}

/**
 * Counts the IMAP of one sign-in, the same way for Pismo and for Roundcube: `signIn` signs in
 * through the counting proxy and returns its snapshot (taken before signing out); Dovecot's
 * rawlog files that appeared meanwhile in `rawlogDir` are the cross-check.
 */
export async function countImapCommands(
  proxy: ImapCountingProxy,
  rawlogDir: string,
  signIn: () => Promise<ProxiedConnection[]>,
): Promise<ImapCount> {
  const before = new Set(await readdir(rawlogDir).catch(() => [] as string[]));
  proxy.reset();
  const snapshot = await signIn();
  const files = (await readdir(rawlogDir).catch(() => [] as string[])).filter(
    (f) => !before.has(f) && f.endsWith(".in"),
  );
  let rawlogCommands = 0;
  for (const f of files) {
    const text = await readFile(join(rawlogDir, f), "latin1");
    for (const line of text.split("\n")) {
      // "<unix time> <tag> <COMMAND> ...": stop at the LOGOUT that ends the session (Roundcube:
      // each PHP request's own).
      const cmd = commandName(line.replace(/^\d+\.\d+ /, ""));
      if (cmd === "LOGOUT") break;
      if (cmd) rawlogCommands++;
    }
  }
  const perConnection = snapshot.map((c) => ({
    commands: c.commands.filter((l) => commandName(l) !== null).map(redactLogin),
  }));
  const all = perConnection.flatMap((c) => c.commands);
  const byName: Record<string, number> = {};
  for (const l of all) {
    const n = commandName(l) as string;
    byName[n] = (byName[n] ?? 0) + 1;
  }
  const notIdle = (l: string) => commandName(l) !== "IDLE";
  return {
    connections: snapshot.length,
    loggedInConnections: files.length,
    commands: all.length,
    commandsWithoutIdle: all.filter(notIdle).length,
    maxPerConnection: Math.max(0, ...perConnection.map((c) => c.commands.filter(notIdle).length)),
    rawlogCommands,
    proportional: all.filter(proportionalToFolder),
    perConnection,
    byName,
  };
}

function redactLogin(line: string): string {
  return /^\S+ (LOGIN|AUTHENTICATE) /i.test(line) ? line.replace(/^(\S+ \S+ \S+).*/, "$1 <redacted>") : line;
}
