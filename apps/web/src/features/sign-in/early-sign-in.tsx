import type { ReactNode } from "react";
import { en } from "@/i18n/en";
import { sr } from "@/i18n/sr";
import { EARLY_FORM_ID, EARLY_MAIN_ID } from "./early-form";

// The sign-in screen as it is in the exported HTML: painted as soon as the document and its CSS
// arrive, long before the app's script has run. It is a server component (its text comes from
// the catalogs at build time and ships in no script), carries both languages (the inline
// script in app/layout.tsx sets <html lang> before paint and globals.css shows that one), and
// is replaced by the app's own form (sign-in-page.tsx), which takes over what was typed here.
//
// Its inputs have no `name`: a native submission (no script at all) sends neither the address
// nor the password anywhere. With script, the inline script holds a submission until the app
// takes over and sends it.

const input =
  "w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-accent dark:border-slate-700 dark:bg-slate-900";
const label = "mb-1 block text-sm font-medium text-slate-700 dark:text-slate-300";

type SignInKey = keyof typeof en.signIn;

/** A catalog text in both languages; globals.css shows the one of <html lang>. */
function Both({ english, serbian }: { english: string; serbian: string }): ReactNode {
  if (english === serbian) return english;
  return (
    <>
      <span className="early-en">{english}</span>
      <span className="early-sr" lang="sr-Latn">
        {serbian}
      </span>
    </>
  );
}

function T({ k }: { k: SignInKey }) {
  return <Both english={en.signIn[k]} serbian={sr.signIn[k]} />;
}

const ids = {
  email: "early-email",
  password: "early-password",
  type: "early-type",
  host: "early-host",
  port: "early-port",
  security: "early-security",
};

export function EarlySignIn() {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="relative flex h-12 shrink-0 items-center justify-between gap-2 border-b border-slate-200 bg-white px-3 dark:border-slate-800 dark:bg-slate-900">
        <div className="flex shrink-0 items-baseline gap-2">
          <span className="text-lg font-semibold tracking-tight text-accent">{en.app.name}</span>
          <span className="hidden text-xs text-slate-500 sm:inline dark:text-slate-400">
            <Both english={en.app.tagline} serbian={sr.app.tagline} />
          </span>
        </div>
      </header>
      <main
        id={EARLY_MAIN_ID}
        className="mx-auto flex w-full max-w-md flex-1 flex-col justify-center px-4 py-10"
      >
        <h1 className="mb-6 text-2xl font-semibold tracking-tight">
          <T k="title" />
        </h1>
        <noscript>
          <p className="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
            <T k="needsScript" />
          </p>
        </noscript>
        <form
          id={EARLY_FORM_ID}
          method="post"
          className="space-y-4 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
        >
          <div>
            <label className={label} htmlFor={ids.email}>
              <T k="email" />
            </label>
            <input
              id={ids.email}
              data-field="email"
              className={input}
              type="email"
              autoComplete="username"
              required
            />
          </div>
          <div>
            <label className={label} htmlFor={ids.password}>
              <T k="password" />
            </label>
            <input
              id={ids.password}
              data-field="password"
              className={input}
              type="password"
              autoComplete="current-password"
              required
            />
          </div>
          <fieldset>
            <legend className={label} id={ids.type}>
              <T k="accountType" />
            </legend>
            <div role="radiogroup" aria-labelledby={ids.type} className="grid gap-2 sm:grid-cols-2">
              {(["imap", "pop3"] as const).map((p) => (
                <label
                  key={p}
                  className={`flex cursor-pointer flex-col gap-1 rounded-xl border p-3 text-sm transition ${p === "imap" ? "border-accent bg-accent/5 ring-1 ring-accent" : "border-slate-200 hover:border-slate-300 dark:border-slate-700"}`}
                >
                  <span className="flex items-center gap-2 font-medium">
                    <input
                      type="radio"
                      // A radio group needs a name; the account type is no secret.
                      name="early-protocol"
                      data-field={`protocol-${p}`}
                      value={p}
                      defaultChecked={p === "imap"}
                      aria-describedby={`early-${p}-hint`}
                    />
                    <T k={p} />
                  </span>
                  <span
                    id={`early-${p}-hint`}
                    className="text-xs leading-snug text-slate-600 dark:text-slate-400"
                  >
                    <T k={`${p}Hint`} />
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          <details className="rounded-xl border border-slate-200 px-3 py-2 text-sm dark:border-slate-700">
            <summary className="cursor-pointer select-none font-medium">
              <T k="serverSettings" />
            </summary>
            <div className="mt-3 grid grid-cols-[1fr_6rem] gap-3">
              <div>
                <label className={label} htmlFor={ids.host}>
                  <T k="server" />
                </label>
                <input
                  id={ids.host}
                  data-field="host"
                  className={input}
                  autoComplete="off"
                  spellCheck={false}
                />
              </div>
              <div>
                <label className={label} htmlFor={ids.port}>
                  <T k="port" />
                </label>
                <input
                  id={ids.port}
                  data-field="port"
                  className={input}
                  inputMode="numeric"
                  defaultValue="143"
                />
              </div>
              <div className="col-span-2">
                <label className={label} htmlFor={ids.security}>
                  <T k="security" />
                </label>
                <select id={ids.security} data-field="security" className={input} defaultValue="starttls">
                  <option value="starttls">{en.signIn.securityStarttls}</option>
                  <option value="tls">{en.signIn.securityTls}</option>
                  <option value="none" className="early-en">
                    {en.signIn.securityNone}
                  </option>
                  <option value="none" className="early-sr">
                    {sr.signIn.securityNone}
                  </option>
                </select>
              </div>
            </div>
          </details>
          {/* The app's server check writes here; kept for the same layout. */}
          <p className="min-h-4 text-xs text-slate-500 dark:text-slate-400" />
          <button
            type="submit"
            className="w-full rounded-lg bg-accent px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-accent-strong disabled:opacity-60"
          >
            <span className="early-idle">
              <T k="submit" />
            </span>
            <span className="early-busy">
              <T k="signingIn" />
            </span>
          </button>
        </form>
      </main>
    </div>
  );
}
