"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useLayoutEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "@/i18n/react";
import type { MailProtocol, Security, SignInAnswer, SignInInput } from "@pismo/protocol/schemas";
import { useTRPC } from "@/trpc/client";
import { describeError, errorCodeOf, type UiErrorCode } from "@/lib/errors";
import { headSize } from "../imap/first-window";
import { CONVERSATION_PAGE, conversationModeOf } from "../conversations/conversation-mode";
import { signIn } from "./session-api";
import { FALLBACK_PORT, SignInForm, type SignInHandlers } from "./sign-in-form";
import { takeEarlySignIn } from "./early-sign-in";

/** How the first screen of an IMAP sign-in lists the Inbox. */
export type SignInFirstView = NonNullable<SignInInput["firstView"]>;

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
  // What was typed into the page's early copy of this form, shown before the app's code ran.
  const [early] = useState(takeEarlySignIn);
  const [protocol, setProtocol] = useState<MailProtocol>(early?.protocol ?? "imap");
  const [email, setEmail] = useState(early?.email ?? "");
  const [password, setPassword] = useState(early?.password ?? "");
  // Server fields show the gateway's configuration for the chosen protocol until edited.
  const [edits, setEdits] = useState<{ host?: string; port?: string; security?: Security }>(
    early?.edits ?? {},
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiErrorCode | null>(notice ?? null);

  const configured = defaults.data?.[protocol] ?? null;
  const host = edits.host ?? configured?.host ?? "";
  const port = edits.port ?? String(configured?.port ?? FALLBACK_PORT[protocol]);
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
  const form = useRef<HTMLFormElement>(null);
  const probe = useQuery({
    ...trpc.server.probe.queryOptions(protocol),
    enabled: configured !== null && checking,
    retry: false,
    staleTime: 30_000,
  });

  // Taking over from the early copy (the app removes it in the same commit): the focus and
  // caret where the reader left them, the settings as open, and a submit already asked for.
  useLayoutEffect(() => {
    if (!early) return;
    if (early.settingsOpen && settings.current) settings.current.open = true;
    const focused = early.focus;
    const field = focused && document.getElementById(`${id}-${focused.name}`);
    if (focused && field instanceof HTMLElement) {
      field.focus();
      if (field instanceof HTMLInputElement && focused.start !== null && focused.end !== null) {
        try {
          field.setSelectionRange(focused.start, focused.end);
        } catch {
          // A field without a caret.
        }
      }
    }
    if (early.submitted) form.current?.requestSubmit();
  }, [early, id]);

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

  const handlers: SignInHandlers = {
    onSubmit: (event) => void submit(event),
    onEmail: setEmail,
    onPassword: setPassword,
    onProtocol: chooseProtocol,
    onHost: (value) => setEdits((x) => ({ ...x, host: value })),
    onPort: (value) => setEdits((x) => ({ ...x, port: value.replace(/\D/g, "") })),
    onSecurity: (value) => setEdits((x) => ({ ...x, security: value })),
    onSettingsOpened: () => setChecking(true),
    formRef: form,
    settingsRef: settings,
  };

  return (
    <SignInForm
      t={t}
      id={id}
      fields={{ protocol, email, password, host, port, security }}
      live={handlers}
      busy={busy}
      fieldError={fieldError}
      probeText={probeText}
      errorText={error && describeError(error, t, { RATE_LIMITED: t("signIn.tooManyAttempts") })}
    />
  );
}
