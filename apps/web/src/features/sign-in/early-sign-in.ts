import type { Security } from "@pismo/protocol/schemas";
import type { Language } from "@/i18n/language";
import type { SignInFields } from "./sign-in-form";

// The exported page carries the sign-in form in each language (pages/_document.tsx), hidden.
// A script inline after it shows the reader's one before the app's code has loaded (a cold
// load parses ~400 kB of it first), so the form is on screen with the page's HTML and a reader
// can type meanwhile; the app, once mounted, takes what was typed (`takeEarlySignIn`) into its
// own form and removes the copies. Nothing is sent from the copy: its script takes the submit,
// which the app then sends.

/** The gateway's hint cookie (pismo_signed_in, set beside the httpOnly session cookie and
 * cleared with it): this browser may hold a session. Read by the app and by the early script. */
export const SIGNED_IN_HINT = /(?:^|;\s*)(?:__Host-)?pismo_signed_in=1(?:;|$)/;

/**
 * The language the app will show (`detectLanguage` in src/i18n/language.ts, whose rules this
 * repeats: it runs inline, before any module): `?lang=`, the stored choice, the browser's.
 * Self-contained: its source is written into the page as it is.
 */
export function earlyLanguage(query: string, stored: string | null, browser: readonly string[]): string {
  const tags = [new URLSearchParams(query).get("lang"), stored, ...browser];
  for (const tag of tags) {
    const primary = (tag || "").trim().toLowerCase().split(/[-_]/)[0];
    if (primary === "en") return "en";
    if (primary === "sr" || primary === "hr" || primary === "bs") return "sr";
  }
  return "en";
}

/**
 * Runs inline right after the copies (its source is written into the page): shows the copy in
 * the reader's language unless the gateway's hint cookie says a session may be open (the app
 * then shows the mailbox, not a form), enables its button and keeps its submit for the app.
 * Any failure leaves the copies hidden: the app's own form shows once its code has run.
 */
export function showEarlySignIn(
  languageOf: typeof earlyLanguage,
  signedInHint: RegExp,
  languageKey: string,
  fallbackPort: Readonly<Record<string, number>>,
  documentLanguage: (language: Language) => string,
): void {
  try {
    const signedIn = signedInHint.test(document.cookie);
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(languageKey);
    } catch {
      // Storage blocked: the browser's languages decide.
    }
    const language = languageOf(location.search, stored, navigator.languages || []);
    const boxes = document.querySelectorAll<HTMLElement>("[data-early-sign-in]");
    for (let i = 0; i < boxes.length; i++) {
      const box = boxes[i] as HTMLElement;
      const form = box.querySelector("form");
      const button = form && form.querySelector<HTMLButtonElement>('button[type="submit"]');
      if (signedIn || box.getAttribute("data-early-sign-in") !== language || !form || !button) {
        box.remove();
        continue;
      }
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        form.setAttribute("data-submitted", "true");
        button.disabled = true;
        button.textContent = button.getAttribute("data-busy-label");
      });
      // Another account type starts from its own server settings, as in the app's form (the
      // edits dropped): its port shown as the copy's starting value, so not taken as an edit.
      form.addEventListener("change", (event) => {
        const target = event.target as HTMLInputElement;
        if (target.type !== "radio") return;
        for (const field of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>(
          'input[name="host"], input[name="port"], select[name="security"]',
        )) {
          if (field instanceof HTMLSelectElement) {
            for (const option of field.options) option.selected = option.defaultSelected;
          } else if (field.name === "port") {
            field.defaultValue = field.value = String(fallbackPort[target.value] ?? "");
          } else field.value = field.defaultValue;
        }
      });
      // The app's code failed to load (a script's load error, which does not bubble): nothing
      // would ever take the submit, so the copy says so instead of waiting for ever.
      const label = button.textContent;
      window.addEventListener(
        "error",
        (event) => {
          const failed = form.querySelector<HTMLElement>("[data-early-load-error]");
          if (!(event.target instanceof HTMLScriptElement) || !failed || !form.isConnected) return;
          failed.hidden = false;
          button.disabled = true;
          button.textContent = label;
        },
        true,
      );
      // A press on Sign in that the app's form replaces before its release would make no click
      // (down and up on two elements): the app takes a press still held as a submit.
      button.addEventListener("pointerdown", () => form.setAttribute("data-pressed", "true"));
      document.addEventListener("pointerup", () => form.removeAttribute("data-pressed"), true);
      document.addEventListener("pointercancel", () => form.removeAttribute("data-pressed"), true);
      button.disabled = false;
      box.hidden = false;
      document.documentElement.lang = documentLanguage(language as Language);
    }
  } catch {
    // Left hidden (above).
  }
}

/** What a reader did in the early copy before the app mounted. */
export interface EarlySignIn {
  protocol: SignInFields["protocol"];
  email: string;
  password: string;
  /** The server settings changed from what the copy showed. */
  edits: { host?: string; port?: string; security?: Security };
  settingsOpen: boolean;
  /** The field that had the focus (its name), and the caret in it. */
  focus: { name: string; start: number | null; end: number | null } | null;
  /** The reader asked to sign in already (sent, or Sign in pressed and not yet released). */
  submitted: boolean;
}

const shown = () => document.querySelector<HTMLElement>("[data-early-sign-in]:not([hidden])");

/** What was typed into the early copy on screen, or null when none is shown. Reads only. */
export function takeEarlySignIn(): EarlySignIn | null {
  if (typeof document === "undefined") return null;
  const form = shown()?.querySelector("form");
  if (!form) return null;
  const field = (name: string) => form.querySelector<HTMLInputElement>(`[name="${name}"]`);
  const changed = (name: string) => {
    const el = field(name);
    return el && el.value !== el.defaultValue ? el.value : undefined;
  };
  const security = form.querySelector<HTMLSelectElement>('select[name="security"]');
  const securityChanged = security && !security.selectedOptions[0]?.defaultSelected;
  const active = document.activeElement;
  const focused = active instanceof HTMLInputElement || active instanceof HTMLSelectElement ? active : null;
  let focus: EarlySignIn["focus"] = null;
  if (focused && form.contains(focused) && focused.name && focused.type !== "radio") {
    let start: number | null = null;
    let end: number | null = null;
    try {
      // null (or a throw) where the field has no caret to read (email, select).
      if (focused instanceof HTMLInputElement) ({ selectionStart: start, selectionEnd: end } = focused);
    } catch {
      // No caret: focus alone is restored.
    }
    focus = { name: focused.name, start, end };
  }
  const host = changed("host");
  const port = changed("port");
  return {
    protocol:
      form.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.value === "pop3" ? "pop3" : "imap",
    email: field("email")?.value ?? "",
    password: field("password")?.value ?? "",
    edits: {
      ...(host !== undefined ? { host } : {}),
      ...(port !== undefined ? { port: port.replace(/\D/g, "") } : {}),
      ...(security && securityChanged ? { security: security.value as Security } : {}),
    },
    settingsOpen: form.querySelector("details")?.open ?? false,
    focus,
    submitted: form.getAttribute("data-submitted") === "true" || form.getAttribute("data-pressed") === "true",
  };
}

/** Removes the early copies (the app's own screen is mounted, or is not a form). */
export function removeEarlySignIn(): void {
  if (typeof document === "undefined") return;
  for (const box of document.querySelectorAll("[data-early-sign-in]")) box.remove();
}
