import { accountSchema, type Account } from "@pismo/protocol/schemas";

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
    const parsed = accountSchema.safeParse(JSON.parse(localStorage.getItem(KEY) ?? "null"));
    return parsed.success && parsed.data.protocol === "pop3" ? parsed.data : null;
  } catch {
    return null;
  }
}
