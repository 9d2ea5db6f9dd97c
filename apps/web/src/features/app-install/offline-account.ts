import type { Account, Security } from "@pismo/protocol/schemas";

// POP3 mail lives in this browser, so it can be read without the gateway, even after a reload
// (the service worker serves the page). The account it belongs to is remembered here; it is
// no secret: the mail in IndexedDB already names it, and the password is never stored.
const KEY = "pismo.offline-account";

export function rememberOfflineAccount(account: Account | null | undefined): void {
  try {
    if (account?.protocol === "pop3") localStorage.setItem(KEY, JSON.stringify(account));
    // Signed out, or another account (IMAP keeps nothing here): forget it.
    else if (account !== undefined) localStorage.removeItem(KEY);
  } catch {
    // Storage blocked: reading offline after a reload is not offered.
  }
}

/** The POP3 account last signed in here, or null (none, an IMAP one, or damaged data). */
export function offlineAccount(): Account | null {
  try {
    return storedPop3Account(JSON.parse(localStorage.getItem(KEY) ?? "null"));
  } catch {
    return null;
  }
}

const securities: readonly string[] = ["starttls", "tls", "none"];

/**
 * The stored account as the account schema would read it (accountSchema: unknown keys dropped,
 * the host trimmed), or null. Checked by hand because this runs on the page's first load, which
 * carries no zod (its schemas arrive with the mail views); offline-account.test.ts holds it to
 * the schema.
 */
export function storedPop3Account(value: unknown): Account | null {
  if (typeof value !== "object" || value === null) return null;
  const { protocol, email, server } = value as Record<string, unknown>;
  if (protocol !== "pop3" || typeof email !== "string") return null;
  if (typeof server !== "object" || server === null) return null;
  const { host, port, security } = server as Record<string, unknown>;
  if (typeof host !== "string" || typeof security !== "string" || !securities.includes(security)) return null;
  const trimmed = host.trim();
  if (trimmed.length < 1 || trimmed.length > 253) return null;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { protocol, email, server: { host: trimmed, port, security: security as Security } };
}
