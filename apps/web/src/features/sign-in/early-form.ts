import type { MailProtocol, Security } from "@pismo/protocol/schemas";

/** The sign-in form of the exported HTML (early-sign-in.tsx) and its screen. */
export const EARLY_FORM_ID = "early-sign-in";
export const EARLY_MAIN_ID = "early-sign-in-main";

export type EarlyField =
  "email" | "password" | "protocol-imap" | "protocol-pop3" | "host" | "port" | "security";

/** A sign-in the inline script of app/layout.tsx sent before the app ran. */
export interface EarlySignIn {
  protocol: MailProtocol;
  /** The first window's size it asked for (headSize()'s count on this screen). */
  rows: number;
  /** status 0: no answer came at all. */
  answer: Promise<{ status: number; statusText: string; text: string }>;
}

declare global {
  interface Window {
    __pismoEarlySignIn?: EarlySignIn;
  }
}

/** What the reader did in the HTML's form before the app took over. */
export interface EarlyForm {
  email: string;
  password: string;
  protocol: MailProtocol;
  /** Server settings the reader changed (the others stay the gateway's defaults). */
  edits: { host?: string; port?: string; security?: Security };
  serverSettingsOpen: boolean;
  /** Submitted before the app ran: the inline script (app/layout.tsx) held it back. */
  submitted: boolean;
  /** The submission the inline script already sent to the gateway (its answer on the way). */
  sent: EarlySignIn | null;
  /** The field that had the focus, with its selection where the field has one. */
  focus: { field: EarlyField; start: number | null; end: number | null } | null;
}

const securities: readonly string[] = ["starttls", "tls", "none"];

/**
 * Reads the HTML's sign-in form, or null when it is gone (already taken over) or hidden (the
 * "signed in" hint cookie hid it: nothing can have been typed into it).
 */
export function readEarlyForm(doc: Document = document): EarlyForm | null {
  const form = doc.getElementById(EARLY_FORM_ID);
  if (!(form instanceof HTMLFormElement) || form.offsetParent === null) return null;
  const field = (name: EarlyField) => form.querySelector<HTMLInputElement>(`[data-field="${name}"]`);
  const value = (name: EarlyField) => field(name)?.value ?? "";
  const edits: EarlyForm["edits"] = {};
  const host = field("host");
  if (host && host.value !== host.defaultValue) edits.host = host.value;
  const port = field("port");
  if (port && port.value !== port.defaultValue) edits.port = port.value.replace(/\D/g, "");
  const security = value("security");
  if (security !== "starttls" && securities.includes(security)) edits.security = security as Security;

  let focus: EarlyForm["focus"] = null;
  const active = doc.activeElement;
  const focused = active instanceof HTMLElement && form.contains(active) ? active.dataset.field : undefined;
  if (focused && active instanceof HTMLInputElement) {
    // Email inputs have no selection API (it throws): their caret goes to the end.
    let start: number | null = null;
    let end: number | null = null;
    try {
      start = active.selectionStart;
      end = active.selectionEnd;
    } catch {
      // No selection on this input type.
    }
    focus = { field: focused as EarlyField, start, end };
  } else if (focused) focus = { field: focused as EarlyField, start: null, end: null };

  return {
    email: value("email"),
    password: value("password"),
    protocol: field("protocol-pop3")?.checked ? "pop3" : "imap",
    edits,
    serverSettingsOpen: form.querySelector("details")?.open ?? false,
    submitted: form.hasAttribute("data-submitted"),
    sent: window.__pismoEarlySignIn ?? null,
    focus,
  };
}

let read = false;
let taken: EarlyForm | null = null;

/**
 * Reads the HTML's form while it is still there, in the commit where the app first shows (the
 * app's own form may show only later: a returning reader whose session turned out to be gone).
 * Once per page: a second read would find the submission it already handed over.
 */
export function keepEarlyForm(): void {
  if (read) return;
  read = true;
  taken = readEarlyForm();
}

/** What the HTML's form held, once: to the first form of the app that asks. */
export function takeEarlyForm(): EarlyForm | null {
  keepEarlyForm();
  const form = taken;
  taken = null;
  return form;
}
