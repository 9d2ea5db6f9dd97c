// The sign-in form written into the page's HTML at build time (app/page.tsx), so that it is on
// screen at the first paint instead of after the framework and the app's code have loaded
// (~250–320 ms on a cold load here). Both languages are written; the script run before paint
// (app/before-paint.ts) sets the document's language and the CSS shows that one's words. The
// app's own form replaces it (shell-takeover.ts). Used on the server only: the catalogs it
// reads do not reach the browser's code this way.

import { en } from "@/i18n/en";
import { sr } from "@/i18n/sr";
import {
  appNameClass,
  detailsClass,
  formClass,
  headerClass,
  inputClass,
  labelClass,
  mainClass,
  pageClass,
  protocolCardClass,
  radioGroupClass,
  radioHintClass,
  statusClass,
  submitClass,
  summaryClass,
  taglineClass,
  titleClass,
} from "./form-style";
import { SHELL_FIELD } from "./shell-takeover";

type SignInKey = keyof typeof en.signIn;

const escape = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

/** A text in both languages; CSS shows the document's (globals.css, `.pismo-en` / `.pismo-sr`). */
function both(english: string, serbian: string): string {
  if (english === serbian) return escape(english);
  return `<span class="pismo-en">${escape(english)}</span><span class="pismo-sr" lang="sr-Latn">${escape(serbian)}</span>`;
}

const text = (key: SignInKey): string => both(en.signIn[key], sr.signIn[key]);

/** The page as the app shows it to a visitor who is not signed in, without the app. */
export function signInShellHtml(): string {
  const protocol = (p: "imap" | "pop3") =>
    `<label class="${protocolCardClass(p === "imap")}"><span class="flex items-center gap-2 font-medium">` +
    `<input type="radio" name="${SHELL_FIELD.protocol}" value="${p}"${p === "imap" ? " checked" : ""} aria-describedby="${SHELL_FIELD.protocol}-${p}-hint">${text(p)}</span>` +
    `<span id="${SHELL_FIELD.protocol}-${p}-hint" class="${radioHintClass}">${text(`${p}Hint`)}</span></label>`;
  return (
    `<div class="${pageClass}">` +
    `<header class="${headerClass}"><div class="flex shrink-0 items-baseline gap-2">` +
    `<span class="${appNameClass}">${escape(en.app.name)}</span>` +
    `<span class="${taglineClass}">${both(en.app.tagline, sr.app.tagline)}</span></div></header>` +
    `<main class="${mainClass}"><h1 class="${titleClass}">${text("title")}</h1>` +
    // No form element: nothing can be submitted (a GET would put the password in the address)
    // before the app's form, which sends it, has taken this one's place.
    `<div class="${formClass}">` +
    `<div><label class="${labelClass}" for="${SHELL_FIELD.email}">${text("email")}</label>` +
    `<input id="${SHELL_FIELD.email}" class="${inputClass}" type="email" autocomplete="username" required></div>` +
    `<div><label class="${labelClass}" for="${SHELL_FIELD.password}">${text("password")}</label>` +
    `<input id="${SHELL_FIELD.password}" class="${inputClass}" type="password" autocomplete="current-password" required></div>` +
    `<fieldset><legend class="${labelClass}" id="${SHELL_FIELD.protocol}-type">${text("accountType")}</legend>` +
    `<div role="radiogroup" aria-labelledby="${SHELL_FIELD.protocol}-type" class="${radioGroupClass}">${protocol("imap")}${protocol("pop3")}</div></fieldset>` +
    `<details class="${detailsClass}"><summary class="${summaryClass}">${text("serverSettings")}</summary></details>` +
    `<p class="${statusClass}"></p>` +
    `<button type="button" disabled class="${submitClass}">${text("submit")}</button>` +
    `</div></main></div>`
  );
}
