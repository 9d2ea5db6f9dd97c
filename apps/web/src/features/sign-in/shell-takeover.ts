// The sign-in form that the page's HTML carries (sign-in-shell.ts) is on screen at the first
// paint, before the app's code has loaded; the app's own form takes its place. What was typed
// into it meanwhile, and where the cursor was, carry over; its button stays disabled, so
// nothing is sent before the app can send it.

import type { MailProtocol } from "@pismo/protocol/schemas";

/** The element holding the written-in form; its content is not React's (innerHTML). */
export const SHELL_ID = "sign-in-shell";
export const SHELL_FIELD = {
  email: "sign-in-shell-email",
  password: "sign-in-shell-password",
  protocol: "sign-in-shell-protocol",
} as const;

export interface ShellInput {
  email: string;
  password: string;
  protocol: MailProtocol;
  /** The field the cursor was in, and its selection. */
  focus: { field: "email" | "password"; start: number | null; end: number | null } | null;
}

/** What the written-in form holds now; null once it is gone (or never was). */
export function readShell(): ShellInput | null {
  if (typeof document === "undefined") return null;
  const email = document.getElementById(SHELL_FIELD.email) as HTMLInputElement | null;
  const password = document.getElementById(SHELL_FIELD.password) as HTMLInputElement | null;
  if (!email || !password) return null;
  const pop3 = document.querySelector<HTMLInputElement>(
    `input[name="${SHELL_FIELD.protocol}"][value="pop3"]`,
  );
  const active = document.activeElement;
  const focused = active === email ? "email" : active === password ? "password" : null;
  return {
    email: email.value,
    password: password.value,
    protocol: pop3?.checked ? "pop3" : "imap",
    focus: focused
      ? {
          field: focused,
          start: (active as HTMLInputElement).selectionStart,
          end: (active as HTMLInputElement).selectionEnd,
        }
      : null,
  };
}

/** The app's screen is up: the written-in form goes, with what was typed into it. */
export function retireShell(): void {
  const shell = typeof document === "undefined" ? null : document.getElementById(SHELL_ID);
  if (!shell) return;
  shell.hidden = true;
  shell.replaceChildren();
}
