"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useLayoutEffect, useState, type FormEvent } from "react";
import { useTranslation } from "@/i18n/react";
import type { MailProtocol, Security, SignInAnswer } from "@pismo/protocol/schemas";
import { useTRPC } from "@/trpc/client";
import { describeError, errorCodeOf, type UiErrorCode } from "@/lib/errors";
import { headSize } from "../imap/first-window";
import { CONVERSATION_PAGE, conversationModeOf } from "../conversations/conversation-mode";
import { signIn } from "./session-api";
import {
  detailsClass,
  formClass,
  inputClass as input,
  labelClass as label,
  mainClass,
  protocolCardClass,
  radioGroupClass,
  radioHintClass,
  statusClass,
  submitClass,
  summaryClass,
  titleClass,
} from "./form-style";
import { readShell, type ShellInput } from "./shell-takeover";

export function SignInPage({
  onSignedIn,
  onSubmitting,
  notice,
}: {
  /** `rows`: the first window's size the answer's rows were asked for. */
  onSignedIn: (answer: SignInAnswer, rows: number) => void;
  onSubmitting?: (protocol: MailProtocol) => void;
  notice?: UiErrorCode | null;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const id = useId();
  const defaults = useQuery(trpc.server.defaults.queryOptions());
  const [protocol, setProtocol] = useState<MailProtocol>("imap");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  // What was typed into the form the page's HTML carried, taken when this form is committed,
  // in the same task as that form goes (app.tsx): read while rendering, which React may pause
  // for input, a key typed meanwhile would have gone into the form about to go.
  const [carried, setCarried] = useState<ShellInput | null>(null);
  /* eslint-disable react-hooks/set-state-in-effect -- the written-in form is outside React: read once, at commit */
  useLayoutEffect(() => {
    const typed = readShell();
    if (!typed) return;
    setEmail(typed.email);
    setPassword(typed.password);
    setProtocol(typed.protocol);
    setCarried(typed);
  }, []);
  /* eslint-enable react-hooks/set-state-in-effect */
  useLayoutEffect(() => {
    if (!carried?.focus) return;
    const field = document.getElementById(`${id}-${carried.focus.field}`) as HTMLInputElement | null;
    field?.focus();
    // Email fields have no selection API (it throws); the password's caret is kept.
    if (field?.type === "password" && carried.focus.start !== null)
      field.setSelectionRange(carried.focus.start, carried.focus.end ?? carried.focus.start);
  }, [carried, id]);
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
  const probe = useQuery({
    ...trpc.server.probe.queryOptions(protocol),
    enabled: configured !== null && checking,
    retry: false,
    staleTime: 30_000,
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    onSubmitting?.(protocol);
    setBusy(true);
    setError(null);
    const portNumber = Number(port);
    // Before the gateway's defaults have arrived (the form shows without waiting for them),
    // only what was typed in the server settings is sent: the gateway fills in its own.
    const custom =
      configured === null
        ? edits.host !== undefined || edits.port !== undefined || edits.security !== undefined
        : host.trim().toLowerCase() !== configured.host.toLowerCase() ||
          portNumber !== configured.port ||
          security !== configured.security;
    try {
      // An IMAP sign-in answers with the first screen: the rows this screen shows, in one FETCH,
      // or the first conversations where this browser lists the Inbox as conversations.
      const conversations = protocol === "imap" && conversationModeOf(email.trim(), "INBOX");
      const rows = conversations ? CONVERSATION_PAGE : headSize();
      const answer = await signIn({
        protocol,
        email,
        password,
        ...(custom ? { server: { host: host.trim(), port: portNumber, security } } : {}),
        ...(protocol === "imap"
          ? { firstRows: rows, firstView: conversations ? "conversations" : "messages" }
          : {}),
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
    <main className={mainClass}>
      <h1 className={titleClass}>{t("signIn.title")}</h1>
      <form onSubmit={submit} className={formClass} noValidate={false}>
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
          <div role="radiogroup" aria-labelledby={`${id}-type`} className={radioGroupClass}>
            {(["imap", "pop3"] as const).map((p) => (
              <label key={p} className={protocolCardClass(protocol === p)}>
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
                <span id={`${id}-${p}-hint`} className={radioHintClass}>
                  {t(`signIn.${p}Hint`)}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <details
          onToggle={(e) => {
            if (e.currentTarget.open) setChecking(true);
          }}
          className={detailsClass}
        >
          <summary className={summaryClass}>{t("signIn.serverSettings")}</summary>
          <div className="mt-3 grid grid-cols-[1fr_6rem] gap-3">
            <div>
              <label className={label} htmlFor={`${id}-host`}>
                {t("signIn.server")}
              </label>
              <input
                id={`${id}-host`}
                className={input}
                value={host}
                onChange={(e) => setEdits((x) => ({ ...x, host: e.target.value }))}
                autoComplete="off"
                spellCheck={false}
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
          </div>
        </details>
        <p role="status" aria-label={t("signIn.serverCheck")} className={statusClass}>
          {probeText}
        </p>
        {error && (
          <p
            role="alert"
            className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
          >
            {describeError(error, t)}
          </p>
        )}
        <button type="submit" disabled={busy} className={submitClass}>
          {busy ? t("signIn.signingIn") : t("signIn.submit")}
        </button>
      </form>
    </main>
  );
}
