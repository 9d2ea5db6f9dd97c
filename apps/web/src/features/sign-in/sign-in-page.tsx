"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "@/i18n/react";
import type { MailProtocol, Security, SignInAnswer, SignInInput } from "@pismo/protocol/schemas";
import { useTRPC } from "@/trpc/client";
import { describeError, errorCodeOf, type UiErrorCode } from "@/lib/errors";
import { headSize } from "../imap/first-window";
import { CONVERSATION_PAGE, conversationModeOf } from "../conversations/conversation-mode";
import { signIn } from "./session-api";

/** How the first screen of an IMAP sign-in lists the Inbox. */
export type SignInFirstView = NonNullable<SignInInput["firstView"]>;

const input =
  "w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-accent dark:border-slate-700 dark:bg-slate-900";
const label = "mb-1 block text-sm font-medium text-slate-700 dark:text-slate-300";

export function SignInPage({
  onSignedIn,
  onSubmitting,
  notice,
}: {
  /** `rows`: the first window's size the answer's rows were asked for. */
  onSignedIn: (answer: SignInAnswer, rows: number) => void;
  /** The form was sent: the view the first screen will show can load its code meanwhile. */
  onSubmitting?: (protocol: MailProtocol, firstView: SignInFirstView | null) => void;
  notice?: UiErrorCode | null;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const id = useId();
  const defaults = useQuery(trpc.server.defaults.queryOptions());
  const [protocol, setProtocol] = useState<MailProtocol>("imap");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  // Server fields show the gateway's configuration for the chosen protocol until edited.
  const [edits, setEdits] = useState<{ host?: string; port?: string; security?: Security }>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiErrorCode | null>(notice ?? null);

  const configured = defaults.data?.[protocol] ?? null;
  const host = edits.host ?? configured?.host ?? "";
  const port = edits.port ?? String(configured?.port ?? (protocol === "imap" ? 143 : 110));
  const security = edits.security ?? configured?.security ?? "starttls";
  const chooseProtocol = (p: MailProtocol) => {
    setProtocol(p);
    setEdits({});
  };

  // The server check costs the mail server a connection of its own: it runs when the reader
  // opens the server settings to look at or choose a server, not on every visit of the form
  // (signing in reports an unreachable server by itself).
  const [checking, setChecking] = useState(false);
  // A server setting that cannot be right, said next to it (the section opened to show it)
  // before anything is sent: not the gateway's general "not valid".
  const [fieldError, setFieldError] = useState<{ field: "host" | "port"; text: string } | null>(null);
  const settings = useRef<HTMLDetailsElement>(null);
  const probe = useQuery({
    ...trpc.server.probe.queryOptions(protocol),
    enabled: configured !== null && checking,
    retry: false,
    staleTime: 30_000,
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const portNumber = Number(port);
    // Only what is sent is checked: before the gateway's defaults arrive, an untouched host is
    // empty and the gateway fills in its own.
    const sendsHost = configured !== null || edits.host !== undefined;
    const wrong =
      sendsHost && host.trim() === ""
        ? ({ field: "host", text: t("signIn.hostMissing") } as const)
        : !Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535
          ? ({ field: "port", text: t("signIn.portRange") } as const)
          : null;
    setFieldError(wrong);
    if (wrong) {
      if (settings.current) settings.current.open = true;
      document.getElementById(`${id}-${wrong.field}`)?.focus();
      return;
    }
    // An IMAP sign-in answers with the first screen: the rows this screen shows, in one FETCH,
    // or the first conversations where this browser lists the Inbox as conversations.
    const conversations = protocol === "imap" && conversationModeOf(email.trim(), "INBOX");
    const firstView: SignInFirstView | null =
      protocol === "imap" ? (conversations ? "conversations" : "messages") : null;
    onSubmitting?.(protocol, firstView);
    setBusy(true);
    setError(null);
    // Before the gateway's defaults have arrived (the form shows without waiting for them),
    // only what was typed in the server settings is sent: the gateway fills in its own.
    const custom =
      configured === null
        ? edits.host !== undefined || edits.port !== undefined || edits.security !== undefined
        : host.trim().toLowerCase() !== configured.host.toLowerCase() ||
          portNumber !== configured.port ||
          security !== configured.security;
    try {
      const rows = conversations ? CONVERSATION_PAGE : headSize();
      const answer = await signIn({
        protocol,
        email,
        password,
        ...(custom ? { server: { host: host.trim(), port: portNumber, security } } : {}),
        ...(firstView ? { firstRows: rows, firstView } : {}),
      });
      onSignedIn(answer, rows);
    } catch (e) {
      setError(errorCodeOf(e));
      setBusy(false);
    }
  }

  const probeText = probe.data
    ? `${t("signIn.serverAnswers", { protocol: probe.data.protocol.toUpperCase(), host: probe.data.endpoint.host, port: probe.data.endpoint.port })}${
        probe.data.protocol === "imap"
          ? ` · ${probe.data.capabilities.includes("IDLE") ? t("signIn.serverPush") : t("signIn.serverNoPush")}`
          : ""
      }`
    : probe.error
      ? describeError(probe.error, t)
      : configured && checking
        ? t("signIn.serverChecking")
        : "";

  return (
    <main className="mx-auto flex w-full max-w-md flex-1 flex-col justify-center px-4 py-10">
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">{t("signIn.title")}</h1>
      <form
        onSubmit={submit}
        className="space-y-4 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
        noValidate={false}
      >
        <div>
          <label className={label} htmlFor={`${id}-email`}>
            {t("signIn.email")}
          </label>
          <input
            id={`${id}-email`}
            className={input}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div>
          <label className={label} htmlFor={`${id}-password`}>
            {t("signIn.password")}
          </label>
          <input
            id={`${id}-password`}
            className={input}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
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
                className={`flex cursor-pointer flex-col gap-1 rounded-xl border p-3 text-sm transition ${protocol === p ? "border-accent bg-accent/5 ring-1 ring-accent" : "border-slate-200 hover:border-slate-300 dark:border-slate-700"}`}
              >
                <span className="flex items-center gap-2 font-medium">
                  <input
                    type="radio"
                    name={`${id}-protocol`}
                    value={p}
                    checked={protocol === p}
                    onChange={() => chooseProtocol(p)}
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
          ref={settings}
          onToggle={(e) => {
            if (e.currentTarget.open) setChecking(true);
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
                className={input}
                value={host}
                aria-invalid={fieldError?.field === "host" || undefined}
                aria-describedby={fieldError?.field === "host" ? `${id}-field-error` : undefined}
                onChange={(e) => setEdits((x) => ({ ...x, host: e.target.value }))}
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
                className={input}
                inputMode="numeric"
                value={port}
                aria-invalid={fieldError?.field === "port" || undefined}
                aria-describedby={fieldError?.field === "port" ? `${id}-field-error` : undefined}
                onChange={(e) => setEdits((x) => ({ ...x, port: e.target.value.replace(/\D/g, "") }))}
              />
            </div>
            <div className="col-span-2">
              <label className={label} htmlFor={`${id}-security`}>
                {t("signIn.security")}
              </label>
              <select
                id={`${id}-security`}
                className={input}
                value={security}
                onChange={(e) => setEdits((x) => ({ ...x, security: e.target.value as Security }))}
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
        {error && (
          <p
            role="alert"
            className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
          >
            {describeError(error, t, { RATE_LIMITED: t("signIn.tooManyAttempts") })}
          </p>
        )}
        <button
          type="submit"
          disabled={busy}
          className="w-full rounded-lg bg-accent px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-accent-strong disabled:opacity-60"
        >
          {busy ? t("signIn.signingIn") : t("signIn.submit")}
        </button>
      </form>
    </main>
  );
}
