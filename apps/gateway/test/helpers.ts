import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import WebSocket from "ws";
import type { AppRouter } from "@pismo/protocol/router";
import type { Pop3PullEvent, Pop3PullInput } from "@pismo/protocol/pop3";
import type { MailEvent } from "@pismo/protocol/schemas";
import {
  gatewayEnv,
  imapCommand,
  RawSocket,
  startMailServer,
  type MailServer,
  type StartOptions,
} from "@pismo/mail-harness";
import { buildMessage } from "@pismo/mail-harness/seed";
import { readConfig } from "../src/env";
import { Pop3Client } from "../src/pop3/client";
import { Pop3Session, type Pop3SessionOptions } from "../src/pop3/pop3-session";
import { startFakePop3Server, type FakePop3Options, type FakePop3Server } from "./fixtures/fake-pop3-server";
import { createLogger, type LogLevel } from "../src/log";
import { startGateway, type Gateway } from "../src/gateway";
import type { GatewayLimits } from "../src/limits";

export interface TestStack {
  mail: MailServer;
  gateway: Gateway;
  /** Every line the gateway logged (only when started with `captureLog`). */
  logLines: string[];
  /** The gateway's PISMO_DATA_DIR (its session files): another gateway started on it resumes
   * its sessions, as after a restart. */
  dataDir: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Gateway environment on top of the defaults (PISMO_*). */
  env?: Record<string, string>;
  /** Options for the Dovecot harness (rawlog, users, ...). */
  mail?: StartOptions;
  /** Keep the gateway's log lines in `logLines` at this level (default: silent). */
  captureLog?: LogLevel;
  /** The gateway's resource limits (limits.ts), over the defaults. */
  limits?: Partial<GatewayLimits>;
}

/** A real Dovecot and an in-process gateway in front of it, on free loopback ports.
 * The first argument may be the gateway env (the old signature) or StackOptions. */
export async function startStack(opts: Record<string, string> | StackOptions = {}): Promise<TestStack> {
  const o: StackOptions =
    "env" in opts || "mail" in opts || "captureLog" in opts || "limits" in opts
      ? (opts as StackOptions)
      : { env: opts as Record<string, string> };
  const mail = await startMailServer(o.mail ?? {});
  const logLines: string[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "pismo-gw-test-"));
  try {
    const config = readConfig({
      PISMO_PORT: "0",
      // The embedded session store (the product's default), in a directory of this test's own.
      PISMO_DATA_DIR: dataDir,
      ...gatewayEnv(mail),
      ...o.env,
    });
    if (o.limits) config.limits = o.limits;
    const log = o.captureLog
      ? createLogger(o.captureLog, (line) => logLines.push(line))
      : createLogger("silent");
    const gateway = await startGateway(config, log);
    return {
      mail,
      gateway,
      logLines,
      dataDir,
      stop: async () => {
        try {
          await gateway.close();
        } finally {
          await mail.stop();
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await mail.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * One stack for the tests of the file (or describe block) that calls this: started before the
 * first of them, stopped after the last. What it returns stands for that stack inside the tests
 * and hooks. `opts` as a function is read when the stack starts, for what a hook registered
 * before this call made (vitest runs beforeAll hooks in order and afterAll hooks in reverse, so
 * that hook's resource outlives the stack).
 */
export function useStack(opts: StackOptions | (() => StackOptions) = {}): TestStack {
  let started: TestStack | undefined;
  beforeAll(async () => {
    started = await startStack(typeof opts === "function" ? opts() : opts);
  });
  afterAll(async () => {
    await started?.stop();
    started = undefined;
  });
  const current = (): TestStack => {
    if (!started) throw new Error("the stack is used outside the tests it was started for");
    return started;
  };
  return {
    get mail() {
      return current().mail;
    },
    get gateway() {
      return current().gateway;
    },
    get logLines() {
      return current().logLines;
    },
    get dataDir() {
      return current().dataDir;
    },
    stop: () => current().stop(),
  };
}

export interface SignInResult {
  status: number;
  /** `pismo_session=<id>`, ready for a Cookie header; null when no cookie was set. */
  cookie: string | null;
  setCookie: string | null;
  body: { account?: unknown; error?: { code: string; message: string } };
}

/** POST /api/session as the browser sends it (same Origin, JSON). */
export async function signInRaw(
  stack: TestStack,
  body: Record<string, unknown>,
  opts: { origin?: string | null; cookie?: string } = {},
): Promise<SignInResult> {
  const origin = opts.origin === undefined ? stack.gateway.url : opts.origin;
  const res = await fetch(`${stack.gateway.url}/api/session`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(origin ? { Origin: origin } : {}),
      ...(opts.cookie ? { Cookie: opts.cookie } : {}),
    },
    body: JSON.stringify(body),
  });
  const setCookie = res.headers.get("set-cookie");
  const cookie = setCookie ? (setCookie.split(";")[0] ?? null) : null;
  return {
    status: res.status,
    cookie: cookie && !cookie.endsWith("=") ? cookie : null,
    setCookie,
    body: (await res.json()) as SignInResult["body"],
  };
}

/** POST /api/session from a chosen loopback address (127.0.0.x), as a browser elsewhere would. */
export function signInFrom(
  stack: TestStack,
  localAddress: string,
  body: Record<string, unknown>,
): Promise<SignInResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${stack.gateway.url}/api/session`,
      {
        method: "POST",
        localAddress,
        headers: { "Content-Type": "application/json", Origin: stack.gateway.url },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => {
          const setCookie = res.headers["set-cookie"]?.[0] ?? null;
          resolve({
            status: res.statusCode ?? 0,
            setCookie,
            cookie: setCookie ? (setCookie.split(";")[0] ?? null) : null,
            body: JSON.parse(text) as SignInResult["body"],
          });
        });
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

/** Signs in to the stack's IMAP (or POP3) server and returns the cookie; throws when refused. */
export async function signIn(
  stack: TestStack,
  email: string,
  password: string,
  protocol: "imap" | "pop3" = "imap",
): Promise<string> {
  const result = await signInRaw(stack, { protocol, email, password });
  if (result.status !== 200 || !result.cookie)
    throw new Error(`sign-in failed: ${result.status} ${JSON.stringify(result.body)}`);
  return result.cookie;
}

/** DELETE /api/session (sign-out) with the cookie. */
/**
 * Posts a file to the session's uploads, as the compose window does (POST /api/upload). A
 * stream is sent chunked, without a Content-Length.
 */
export function postUpload(
  stack: TestStack,
  cookie: string,
  filename: string,
  body: BodyInit,
  contentType = "application/octet-stream",
): Promise<Response> {
  return fetch(`${stack.gateway.url}/api/upload?filename=${encodeURIComponent(filename)}`, {
    method: "POST",
    body,
    headers: { Origin: stack.gateway.url, Cookie: cookie, "Content-Type": contentType },
    duplex: "half",
  } as RequestInit);
}

/** postUpload, taken: the upload's id and size. */
export async function uploadFile(
  stack: TestStack,
  cookie: string,
  filename: string,
  bytes: Uint8Array,
  contentType?: string,
): Promise<{ id: string; size: number }> {
  const res = await postUpload(stack, cookie, filename, new Uint8Array(bytes), contentType);
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string; size: number };
}

export async function signOut(stack: TestStack, cookie: string): Promise<Response> {
  return fetch(`${stack.gateway.url}/api/session`, {
    method: "DELETE",
    headers: { Origin: stack.gateway.url, Cookie: cookie },
  });
}

let userCounter = 0;

/** Users to create at start (`startStack({ mail: { users } })`): no wait for Dovecot to re-read its passwd-file. */
export function makeUsers(
  count: number,
  opts: { quotaBytes?: number; prefix?: string } = {},
): Array<{ name: string; email: string; password: string; quotaBytes?: number }> {
  return Array.from({ length: count }, () => {
    const email = `${opts.prefix ?? "u"}${++userCounter}-${Math.random().toString(36).slice(2, 7)}@pismo.test`;
    return {
      name: email,
      email,
      password: `pw-${Math.random().toString(36).slice(2)}-Ž`,
      ...(opts.quotaBytes !== undefined ? { quotaBytes: opts.quotaBytes } : {}),
    };
  });
}

/** A fresh mailbox user on the stack's Dovecot (about a second: Dovecot re-reads its passwd-file at most once a second). */
export async function newUser(
  stack: TestStack,
  opts: { quotaBytes?: number; prefix?: string } = {},
): Promise<{ email: string; password: string }> {
  const email = `${opts.prefix ?? "u"}${process.pid}-${++userCounter}-${Math.random().toString(36).slice(2, 7)}@pismo.test`;
  const password = `pw-${Math.random().toString(36).slice(2)}-Ž`;
  await stack.mail.addUser({
    name: email,
    password,
    ...(opts.quotaBytes !== undefined ? { quotaBytes: opts.quotaBytes } : {}),
  });
  return { email, password };
}

/** A new user (`<prefix><n>@pismo.test`) whose INBOX holds `count` messages, `message(1)` first. */
export async function mailboxOf(
  stack: TestStack,
  opts: { prefix: string; password: string; count: number; message: (i: number) => string | Uint8Array },
): Promise<string> {
  const user = `${opts.prefix}${++userCounter}@pismo.test`;
  await stack.mail.addUser({ name: user, password: opts.password });
  for (let i = 1; i <= opts.count; i += 1) await stack.mail.deliver(user, opts.message(i));
  return user;
}

/**
 * POP3 mailboxes on the stack, all of one password: a new user holding `count` messages
 * (`message(1)` first), its POP3 sign-in, and the UIDLs the server still holds for it.
 */
export function pop3Mailboxes(
  stack: TestStack,
  opts: { prefix: string; message: (i: number) => string | Uint8Array },
) {
  const password = `${opts.prefix}-Secret-1`;
  return {
    password,
    mailbox: (count: number) =>
      mailboxOf(stack, { prefix: opts.prefix, password, count, message: opts.message }),
    signIn: (user: string) => signIn(stack, user, password, "pop3"),
    onServer: (user: string) => pop3Uids(stack.mail, user, password),
  };
}

/** Message `i` of a POP3 test mailbox: its subject and Message-ID name `tag` and `i`, its body is `lines` lines. */
export function numberedMessage(i: number, opts: { tag: string; lines: number }): string {
  return `From: sender${i}@primer.rs\r\nTo: someone@pismo.test\r\nSubject: ${opts.tag} ${i}\r\nMessage-ID: <${opts.tag}${i}@primer.rs>\r\n\r\n${"body line\r\n".repeat(opts.lines)}`;
}

/** A tRPC client over a real WebSocket, as the browser makes one (same Origin, optional cookie).
 * `onClose` hears every close of the underlying socket (with its close code). */
export function connectClient(
  gatewayUrl: string,
  cookie?: string,
  opts: { onClose?: (code: number | undefined) => void; onOpen?: () => void } = {},
) {
  const url = gatewayUrl.replace(/^http/, "ws") + "/trpc";
  const headers: Record<string, string> = { Origin: gatewayUrl, ...(cookie ? { Cookie: cookie } : {}) };
  class BrowserLikeWebSocket extends WebSocket {
    constructor(address: string | URL) {
      super(address, { headers });
    }
  }
  const ws = createWSClient({
    url,
    WebSocket: BrowserLikeWebSocket as unknown as typeof globalThis.WebSocket,
    retryDelayMs: () => 100,
    ...(opts.onClose ? { onClose: (cause?: { code?: number }) => opts.onClose?.(cause?.code) } : {}),
    ...(opts.onOpen ? { onOpen: opts.onOpen } : {}),
  });
  const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
  return { client, close: () => ws.close() };
}

export type TestClient = ReturnType<typeof connectClient>["client"];

/**
 * connectClient for a tab whose session is to end: `untilClosed` waits until the gateway has
 * closed the socket (it closes every socket of an ended session), failing with `describe()`,
 * and then until the client has opened its next one, as a page does; it answers the close code.
 *
 * The wait for the reopening is not cosmetic: a call made while tRPC's client waits to
 * reconnect opens a socket of its own, which the reconnect then closes under it, failing the
 * call with "Unknown error" whenever its answer takes longer than the retry delay (a loaded
 * machine: a clean-clone CI run failed so). The web app mends that loop (reconnectOnce); these
 * tests use tRPC's client as it comes.
 */
export function connectUntilClosed(gatewayUrl: string, cookie: string) {
  let closeCode: number | undefined;
  let closed = false;
  let opensAfterClose = 0;
  const tab = connectClient(gatewayUrl, cookie, {
    onClose: (code) => {
      if (!closed) closeCode = code;
      closed = true;
    },
    onOpen: () => {
      if (closed) opensAfterClose += 1;
    },
  });
  return {
    ...tab,
    untilClosed: async (timeoutMs: number, describe: () => string): Promise<number | undefined> => {
      await waitUntil(() => closed, timeoutMs, describe);
      await waitUntil(
        () => opensAfterClose > 0,
        timeoutMs,
        () => "the client did not open a new socket after the close",
      );
      return closeCode;
    },
  };
}

/**
 * Pages (a socket each, with `cookie`s: one repeated is two tabs of one session) listening to
 * mail events, every subscription started and each page watching `folder`.
 */
export async function listeningPages(gatewayUrl: string, cookies: readonly string[], folder = "INBOX") {
  const pages = cookies.map((cookie) => {
    const tab = connectClient(gatewayUrl, cookie);
    return { ...tab, events: collectEvents(tab.client) };
  });
  await waitUntil(
    () => pages.every((p) => p.events.started),
    10_000,
    () => "subscriptions did not start",
  );
  for (const p of pages) await p.client.imap.watch.mutate({ folder });
  return pages;
}

/** Subscribes to mail.events and keeps every event; `waitFor` resolves on the first match. */
export function collectEvents(client: TestClient) {
  const events: MailEvent[] = [];
  const errors: unknown[] = [];
  let started = false;
  const sub = client.imap.events.subscribe(undefined, {
    onStarted: () => {
      started = true;
    },
    onData: (event) => {
      events.push(event as MailEvent);
    },
    onError: (error) => {
      errors.push(error);
    },
  });
  return {
    events,
    errors,
    get started() {
      return started;
    },
    /** Resolves with the first event (from index `from` on) that matches. */
    async waitFor<T extends MailEvent["type"]>(
      type: T,
      match: (e: Extract<MailEvent, { type: T }>) => boolean = () => true,
      timeoutMs = 10_000,
      from = 0,
    ): Promise<Extract<MailEvent, { type: T }>> {
      let found: Extract<MailEvent, { type: T }> | undefined;
      await waitUntil(
        () => {
          found = events
            .slice(from)
            .find(
              (e): e is Extract<MailEvent, { type: T }> =>
                e.type === type && match(e as Extract<MailEvent, { type: T }>),
            );
          return found !== undefined;
        },
        timeoutMs,
        () => `no matching ${type} event; got ${JSON.stringify(events)} ${errors.map(String).join(",")}`,
      );
      return found as Extract<MailEvent, { type: T }>;
    },
    unsubscribe: () => sub.unsubscribe(),
  };
}

/** Polls `check` until it is true (or resolves true); fails with `describe()` after timeoutMs. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  describe: () => string = () => "condition not met",
  intervalMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Number of IMAP connections Dovecot holds for the user (doveadm who). */
export async function imapConnections(mail: MailServer, user: string): Promise<number> {
  const out = await mail.doveadm(["who", "-1", user]).catch(() => "");
  return out.split("\n").filter((line) => line.includes(user) && /\bimap\b/.test(line)).length;
}

/** The UIDL of every message the POP3 server still holds for the user, read in a session of its own. */
export async function pop3Uids(mail: MailServer, user: string, password: string): Promise<string[]> {
  const c = await Pop3Client.connect({ host: mail.host, port: mail.pop3Port, security: "none" });
  await c.login(user, password);
  const uids = (await c.uidl()).map((e) => e.uid);
  await c.quit();
  return uids;
}

/** The POP3 policy that removes every pulled message from the server, and nothing else. */
export const removeAfterPullPolicy = {
  leaveOnServer: false,
  deleteAfterDays: null,
  deleteWhenDeletedLocally: false,
  headersOnlyAboveBytes: null,
} as const;

/** The POP3 policy that leaves every message on the server. */
export const leaveOnServerPolicy = { ...removeAfterPullPolicy, leaveOnServer: true } as const;

/** The MailError code a tRPC error carries (the router's error formatter puts it in data.mailCode). */
export function codeOf(error: unknown): string | undefined {
  const e = error as { data?: { mailCode?: string }; shape?: { data?: { mailCode?: string } } };
  return e.data?.mailCode ?? e.shape?.data?.mailCode;
}

/** Runs fn and returns the MailError code it rejected with (fails when it resolved). */
export async function rejectionCode(
  fn: () => Promise<unknown>,
): Promise<{ code: string | undefined; message: string }> {
  try {
    await fn();
  } catch (error) {
    return { code: codeOf(error), message: (error as Error).message };
  }
  throw new Error("expected a rejection");
}

/** The commands the gateway sent to Dovecot for this user (needs `mail: { rawlog: true }`):
 * every line of the user's rawlog *.in files, in file order, without Dovecot's timestamps. */
export async function rawlogCommands(mail: MailServer, user: string): Promise<string[]> {
  const { readdir, readFile } = await import("node:fs/promises");
  const { join } = await import("node:path");
  const dir = join(mail.dir, "rawlog", user);
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(".in")).sort();
  const lines: string[] = [];
  // Dovecot prefixes each line with a timestamp ("1795790122.720168 ").
  for (const f of files)
    lines.push(
      ...(await readFile(join(dir, f), "latin1"))
        .split(/\r?\n/)
        .filter(Boolean)
        .map((l) => l.replace(/^\d+\.\d+ /, "")),
    );
  return lines;
}

/** The rawlog's commands once Dovecot has written out the earlier ones (it writes a little late):
 * read again every 300 ms until no line is added. */
export async function rawlogSettled(mail: MailServer, user: string): Promise<string[]> {
  let lines = await rawlogCommands(mail, user);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const again = await rawlogCommands(mail, user);
    if (again.length === lines.length) return again;
    lines = again;
  }
}

/** Total bytes Dovecot sent on the user's IMAP sessions (rawlog *.out files). */
export async function rawlogBytesOut(mail: MailServer, user: string): Promise<number> {
  const { readdir, stat } = await import("node:fs/promises");
  const { join } = await import("node:path");
  const dir = join(mail.dir, "rawlog", user);
  let total = 0;
  for (const f of await readdir(dir).catch(() => [] as string[]))
    if (f.endsWith(".out")) total += (await stat(join(dir, f))).size;
  return total;
}

/** One raw IMAP session of the user, for looking at what the gateway stored. */
export async function rawImap(stack: TestStack, user: { email: string; password: string }) {
  const socket = await RawSocket.connect(stack.mail.imapPort);
  await socket.readLine();
  const login = await imapCommand(socket, `LOGIN "${user.email}" "${user.password}"`);
  expect(login.status).toMatch(/ OK/);
  return {
    command: (line: string) => imapCommand(socket, line),
    close: () => socket.close(),
  };
}

/** A browser's client, signed in as `user`. */
export async function signedInClient(stack: TestStack, user: { email: string; password: string }) {
  return connectClient(stack.gateway.url, await signIn(stack, user.email, user.password));
}

/** The first 200 rows of a folder, as the browser's list shows them. */
export async function firstRows(client: TestClient, folder: string) {
  return (await client.imap.list.query({ folder, offset: 0, limit: 200 })).messages;
}

/**
 * A new user signed in from two devices, and a raw IMAP session beside them to look at what the
 * gateway stored: what one device saves, the other reads. `close` ends all three.
 */
export async function twoDevicesAndRaw(stack: TestStack, prefix: string) {
  const user = await newUser(stack, { prefix });
  const one = await signedInClient(stack, user);
  const two = await signedInClient(stack, user);
  const raw = await rawImap(stack, user);
  const close = async () => {
    raw.close();
    await one.close();
    await two.close();
  };
  return { user, one, two, raw, close };
}

/** A plain test message whose body names its subject. */
export function testMessage(
  subject: string,
  opts: { from?: string; text?: string | undefined } = {},
): Uint8Array {
  return buildMessage({
    from: opts.from ?? "ana@example.org",
    to: "x@pismo.test",
    subject,
    text: opts.text ?? `Body of ${subject}`,
  });
}

export type Pop3MessageEvent = Extract<Pop3PullEvent, { type: "message" }>;

/** A pop3.pull subscription as the browser holds it (see `pullUntilDone`). */
export interface PullRun {
  /** Every event heard so far, in order. */
  readonly events: Pop3PullEvent[];
  /** The pull's id once "started" came ("" before it), for acknowledging. */
  readonly pullId: string;
  /**
   * Runs `step` after the steps queued before it, as the browser stores and acknowledges in
   * order; a step that throws ends the pull with that error.
   */
  queue(step: () => unknown): void;
  /**
   * The tab goes: no further event or error is heard; once the queued steps have run, the
   * subscription is closed (`unsubscribe`, as Cancel does; otherwise the caller drops the
   * socket) and the pull settles 500 ms later, time for the gateway to see the close.
   */
  leave(opts: { unsubscribe: boolean }): void;
  /**
   * Resolves with every event once the pull is done (or left) and the queued steps have run;
   * rejects with "pull failed: <code>" on an "error" event, or with the subscription's error.
   */
  readonly ended: Promise<Pop3PullEvent[]>;
}

/**
 * Subscribes to pop3.pull and hears it until "done" (or "error"), then unsubscribes;
 * `onMessage` hears each "message" event (the JSON body path; a pull with a body channel
 * brings its bodies on that socket instead).
 */
export function pullUntilDone(
  client: TestClient,
  input: Pop3PullInput,
  onMessage?: (event: Pop3MessageEvent, run: PullRun) => void,
): PullRun {
  const events: Pop3PullEvent[] = [];
  let pullId = "";
  let hearing = true;
  let chain: Promise<void> = Promise.resolve();
  let settle: (events: Pop3PullEvent[]) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const ended = new Promise<Pop3PullEvent[]>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const end = (outcome: Pop3PullEvent | undefined) => {
    hearing = false;
    chain.then(() => {
      if (outcome?.type === "error") fail(new Error(`pull failed: ${outcome.code}`));
      else settle(events);
    }, fail);
  };
  const run: PullRun = {
    events,
    get pullId() {
      return pullId;
    },
    ended,
    queue(step) {
      chain = chain.then(async () => {
        await step();
      });
      chain.catch((error: unknown) => {
        hearing = false;
        fail(error);
        sub.unsubscribe();
      });
    },
    leave({ unsubscribe }) {
      hearing = false;
      chain = chain.then(async () => {
        if (unsubscribe) sub.unsubscribe();
        await new Promise((r) => setTimeout(r, 500));
      });
      end(undefined);
    },
  };
  const sub = client.pop3.pull.subscribe(input, {
    onData(event) {
      if (!hearing) return;
      events.push(event);
      if (event.type === "started") pullId = event.pullId;
      if (event.type === "message") onMessage?.(event, run);
      if (event.type === "done" || event.type === "error") {
        // Ended before unsubscribing: the unsubscribe completes the subscription at once.
        end(event);
        sub.unsubscribe();
      }
    },
    onComplete() {
      if (hearing) end(undefined);
    },
    onError(error) {
      if (hearing) fail(error);
    },
  });
  return run;
}

/** Starts fake POP3 servers for the tests of the file (or describe block) that calls this; each is closed after its test. */
export function useFakePop3Server(): (options?: FakePop3Options) => Promise<FakePop3Server> {
  const started: FakePop3Server[] = [];
  afterEach(async () => {
    for (const server of started.splice(0)) await server.close();
  });
  return async (options = {}) => {
    const server = await startFakePop3Server(options);
    started.push(server);
    return server;
  };
}

/** A POP3 client signed in to a fake server as its user "ana". */
export async function fakeServerClient(
  server: FakePop3Server,
  opts: Partial<Parameters<typeof Pop3Client.connect>[0]> = {},
): Promise<Pop3Client> {
  const client = await Pop3Client.connect({
    host: server.host,
    port: server.port,
    security: "none",
    ...opts,
  });
  await client.login("ana", "tajna");
  return client;
}

/** The gateway's POP3 session (no WebSocket, no browser) against a fake server, as its user "ana". */
export function fakeServerSession(
  server: FakePop3Server,
  opts: Partial<Pop3SessionOptions> = {},
): Pop3Session {
  return new Pop3Session({
    endpoint: { host: server.host, port: server.port, security: "none" },
    user: "ana",
    password: "tajna",
    tlsVerify: false,
    log: createLogger("silent"),
    ...opts,
  });
}

/**
 * Runs a remove-after-pull pull of the session to its end, as the browser's side would:
 * `onMessage` hears each "message" event with the pull's id, and the next event is asked for
 * only once it has returned. Resolves with every event.
 */
export async function pullSessionToEnd(
  session: Pop3Session,
  onMessage: (event: Pop3MessageEvent, pullId: string) => unknown,
): Promise<Pop3PullEvent[]> {
  const events: Pop3PullEvent[] = [];
  let pullId = "";
  const controller = new AbortController();
  for await (const event of session.pull(
    { known: new Map(), policy: removeAfterPullPolicy },
    controller.signal,
  )) {
    events.push(event);
    if (event.type === "started") pullId = event.pullId;
    if (event.type === "message") await onMessage(event, pullId);
  }
  return events;
}
