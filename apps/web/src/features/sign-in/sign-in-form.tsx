import type { FormEvent, RefObject } from "react";
import type { MailProtocol, Security } from "@pismo/protocol/schemas";
import type { TFunction } from "@/i18n/react";

const input =
  "w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-accent dark:border-slate-700 dark:bg-slate-900";
const label = "mb-1 block text-sm font-medium text-slate-700 dark:text-slate-300";
const alert =
  "rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200";

/** The port shown for each account type until the gateway's own settings are known. */
export const FALLBACK_PORT: Readonly<Record<MailProtocol, number>> = { imap: 143, pop3: 110 };

/** What the form shows. */
export interface SignInFields {
  protocol: MailProtocol;
  email: string;
  password: string;
  host: string;
  port: string;
  security: Security;
}

/** The live form's handlers (the mounted app's). */
export interface SignInHandlers {
  onSubmit: (event: FormEvent) => void;
  onEmail: (value: string) => void;
  onPassword: (value: string) => void;
  onProtocol: (protocol: MailProtocol) => void;
  onHost: (value: string) => void;
  onPort: (value: string) => void;
  onSecurity: (value: Security) => void;
  onSettingsOpened: () => void;
  formRef: RefObject<HTMLFormElement | null>;
  settingsRef: RefObject<HTMLDetailsElement | null>;
}

/**
 * The sign-in page's markup, the same for the mounted app and for the page's early copy: the
 * exported HTML carries this form in each language (`pages/_document.tsx`), shown before the
 * app's code has run, so that a reader types while it loads (`early-sign-in.ts` hands what was
 * typed to the app). Without `live` the fields are uncontrolled (static HTML, no handlers).
 */
export function SignInForm({
  t,
  id,
  fields,
  live,
  busy = false,
  fieldError = null,
  probeText = "",
  errorText = null,
}: {
  t: TFunction;
  /** The prefix of the fields' ids. */
  id: string;
  fields: SignInFields;
  live?: SignInHandlers;
  busy?: boolean;
  fieldError?: { field: "host" | "port"; text: string } | null;
  probeText?: string;
  errorText?: string | null;
}) {
  // Controlled in the app; in the early copy a field's value is only its starting value.
  const text = (value: string, onChange?: (value: string) => void) =>
    live && onChange
      ? { value, onChange: (e: { target: { value: string } }) => onChange(e.target.value) }
      : { defaultValue: value };
  return (
    <main className="mx-auto flex w-full max-w-md flex-1 flex-col justify-center px-4 py-10">
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">{t("signIn.title")}</h1>
      <form
        ref={live?.formRef}
        onSubmit={live?.onSubmit}
        className="space-y-4 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
        noValidate={false}
        // The early copy is never sent by the browser itself: its script takes the submit
        // (and without the script its button stays disabled). POST keeps what was typed out of
        // any address should it ever be.
        {...(live ? {} : { method: "post", action: "/" })}
      >
        <div>
          <label className={label} htmlFor={`${id}-email`}>
            {t("signIn.email")}
          </label>
          <input
            id={`${id}-email`}
            name="email"
            className={input}
            type="email"
            autoComplete="username"
            required
            {...text(fields.email, live?.onEmail)}
          />
        </div>
        <div>
          <label className={label} htmlFor={`${id}-password`}>
            {t("signIn.password")}
          </label>
          <input
            id={`${id}-password`}
            name="password"
            className={input}
            type="password"
            autoComplete="current-password"
            required
            {...text(fields.password, live?.onPassword)}
          />
        </div>
        <fieldset>
          <legend className={label} id={`${id}-type`}>
            {t("signIn.accountType")}
          </legend>
          <div role="radiogroup" aria-labelledby={`${id}-type`} className="grid gap-2 sm:grid-cols-2">
            {(["imap", "pop3"] as const).map((p) => (
              <label
                key={p}
                // Marked by the radio's own state, so the early copy shows the choice too.
                className="flex cursor-pointer flex-col gap-1 rounded-xl border border-slate-200 p-3 text-sm transition hover:border-slate-300 has-checked:border-accent has-checked:bg-accent/5 has-checked:ring-1 has-checked:ring-accent dark:border-slate-700 dark:has-checked:border-accent"
              >
                <span className="flex items-center gap-2 font-medium">
                  <input
                    type="radio"
                    name={`${id}-protocol`}
                    value={p}
                    {...(live
                      ? { checked: fields.protocol === p, onChange: () => live.onProtocol(p) }
                      : { defaultChecked: fields.protocol === p })}
                    aria-describedby={`${id}-${p}-hint`}
                  />
                  {t(`signIn.${p}`)}
                </span>
                <span
                  id={`${id}-${p}-hint`}
                  className="text-xs leading-snug text-slate-600 dark:text-slate-400"
                >
                  {t(`signIn.${p}Hint`)}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <details
          ref={live?.settingsRef}
          onToggle={(e) => {
            if (e.currentTarget.open) live?.onSettingsOpened();
          }}
          className="rounded-xl border border-slate-200 px-3 py-2 text-sm dark:border-slate-700"
        >
          <summary className="cursor-pointer select-none font-medium">{t("signIn.serverSettings")}</summary>
          <div className="mt-3 grid grid-cols-[1fr_6rem] gap-3">
            <div>
              <label className={label} htmlFor={`${id}-host`}>
                {t("signIn.server")}
              </label>
              <input
                id={`${id}-host`}
                name="host"
                className={input}
                {...text(fields.host, live?.onHost)}
                aria-invalid={fieldError?.field === "host" || undefined}
                aria-describedby={fieldError?.field === "host" ? `${id}-field-error` : undefined}
                autoComplete="off"
                spellCheck="false"
              />
            </div>
            <div>
              <label className={label} htmlFor={`${id}-port`}>
                {t("signIn.port")}
              </label>
              <input
                id={`${id}-port`}
                name="port"
                className={input}
                inputMode="numeric"
                {...text(fields.port, live && ((value) => live.onPort(value)))}
                aria-invalid={fieldError?.field === "port" || undefined}
                aria-describedby={fieldError?.field === "port" ? `${id}-field-error` : undefined}
              />
            </div>
            <div className="col-span-2">
              <label className={label} htmlFor={`${id}-security`}>
                {t("signIn.security")}
              </label>
              <select
                id={`${id}-security`}
                name="security"
                className={input}
                {...text(fields.security, live && ((value) => live.onSecurity(value as Security)))}
              >
                <option value="starttls">{t("signIn.securityStarttls")}</option>
                <option value="tls">{t("signIn.securityTls")}</option>
                <option value="none">{t("signIn.securityNone")}</option>
              </select>
            </div>
            {fieldError && (
              <p
                id={`${id}-field-error`}
                role="alert"
                className="col-span-2 text-sm text-red-700 dark:text-red-400"
              >
                {fieldError.text}
              </p>
            )}
          </div>
        </details>
        <p
          role="status"
          aria-label={t("signIn.serverCheck")}
          className="min-h-4 text-xs text-slate-500 dark:text-slate-400"
        >
          {probeText}
        </p>
        {errorText && (
          <p role="alert" className={alert}>
            {errorText}
          </p>
        )}
        {!live && (
          // The early copy's one error: the app's code failed to load (shown by its script).
          <p role="alert" data-early-load-error hidden className={alert}>
            {t("signIn.notLoaded")}
          </p>
        )}
        <button
          type="submit"
          // The early copy's button is enabled by its script, which then takes the submit.
          disabled={busy || !live}
          data-busy-label={live ? undefined : t("signIn.signingIn")}
          className="w-full rounded-lg bg-accent px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-accent-strong disabled:opacity-60"
        >
          {busy ? t("signIn.signingIn") : t("signIn.submit")}
        </button>
      </form>
    </main>
  );
}
