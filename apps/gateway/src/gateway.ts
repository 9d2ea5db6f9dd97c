import type { AddressInfo } from "node:net";
import type { RouterContext } from "@pismo/protocol/router";
import type { ProbeResult } from "@pismo/protocol/schemas";
import { MailError } from "@pismo/protocol/errors";
import type { GatewayConfig } from "./env";
import type { Logger } from "./log";
import { createHttpServer, type RouteHandler } from "./server/http-server";
import { attachTrpcWebSocket } from "./server/trpc-ws";
import { ClientAddresses, limiterKey } from "./server/client-address";
import { acceptBodyChannel, POP3_BODIES_PATH } from "./pop3/body-socket";
import { probeServer } from "./server-probe";
import { partRoute } from "./server/attachment-route";
import { messageRoute } from "./message-tools/message-route";
import { sessionRoutes } from "./server/session-routes";
import type { Session } from "./sessions/session";
import { SessionStore } from "./sessions/session-store";
import { openSessionStore } from "./sessions/stores/open-store";
import { RedisSessionStore } from "./sessions/stores/redis-store";
import { LeasedMail } from "./cluster/leased-mail";
import { ImapSession } from "./imap/imap-session";
import { SignInLimiter } from "./sessions/sign-in-limiter";
import { Pop3Session } from "./pop3/pop3-session";
import { ComposeSession, parseSendAnswer, type SendAnswer } from "./compose/compose-session";
import type { Draft } from "@pismo/protocol/compose";
import { SendQueue } from "./smtp/send-queue";
import { sealedSends } from "./smtp/kept-sends";
import { UploadStore } from "./compose/upload-store";
import { resolveGatewayLimits, Slots } from "./limits";
import { submitRaw, smtpSizeLimit } from "./smtp/send-mail";
import { uploadRoute } from "./server/upload-route";
import { SenderChecks } from "./trust/sender-check";
import { smtpEndpointFor, sieveEndpointFor } from "./account-servers";
import { SieveRules } from "./sieve/sieve-rules";
import { ImapIdentityStore } from "./imap/identity-store";
import { ImapContactsStore } from "./imap/contacts-store";
import { applyRuleToFolder } from "./sieve/apply-rule";
import { followRenames } from "./sieve/follow-renames";

export interface Gateway {
  url: string;
  port: number;
  sessions: SessionStore;
  close(): Promise<void>;
}

/** Wires the HTTP server, the tRPC WebSocket and the ports together, and listens. */
/** How long a stopping gateway keeps its sockets open for the held sends to go out. */
const FLUSH_BEFORE_CLOSE_MS = 10_000;

/** Waits for `work` (whether it succeeds or fails), or `ms`, whichever comes first. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    await Promise.race([
      work.then(
        () => undefined,
        () => undefined,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function startGateway(config: GatewayConfig, log: Logger): Promise<Gateway> {
  const durable = await openSessionStore(config.sessionStore, {
    idleMs: config.sessionIdleMs,
    gatewayId: config.gatewayId,
    log,
  });
  const sessions = new SessionStore(
    {
      idleMs: config.sessionIdleMs,
      maxLifetimeMs: config.sessionMaxMs,
      cookie: {
        hostPrefix: config.cookieHostPrefix,
        publicOrigins: config.publicOrigins,
        allowedOrigins: config.allowedOrigins,
      },
      ...(durable ? { durable } : {}),
    },
    log,
  );
  // An IMAP session's mail: its connection opens on this gateway when a call needs it, after
  // taking the session's lease; changes made through it reach the account's other pages.
  sessions.setMailFactory((session) =>
    session.account.protocol === "imap"
      ? new LeasedMail({
          create: () =>
            new ImapSession({
              endpoint: session.account.server,
              user: session.account.email,
              password: session.password,
              tlsVerify: config.tlsVerify,
              clientAddress: session.clientAddress,
              log,
              senderChecks,
            }),
          takeLease: () => sessions.takeLease(session),
          announce: (event) => sessions.announce(session, event),
          // The password was changed elsewhere: the session ends, its pages go to the sign-in.
          signInRefused: () => void sessions.destroy(session.id, "SESSION_EXPIRED"),
          log,
        })
      : null,
  );
  // With Redis, failed sign-ins count on every gateway and survive a restart; otherwise they
  // live in this process (one gateway: a restart forgets them).
  const ledger =
    durable?.records instanceof RedisSessionStore ? durable.records.signInLedger(durable.secret) : null;
  const limiter = new SignInLimiter({}, ledger ? { ledger, log } : {});
  // One for the sign-in, the socket caps and the rest: a proxy missing from the trusted ones is
  // warned of once per gateway, whichever request shows it first.
  const clientAddresses = new ClientAddresses(config.trustedProxies, log);
  const limits = resolveGatewayLimits(config.limits);
  const gatewayFetches = new Slots(limits.pop3FetchesPerGateway);
  const gatewayPulls = new Slots(limits.pop3PullsPerGateway);
  const uploads = new UploadStore(limits);
  const pop3Sessions = new WeakMap<Session, Pop3Session>();
  // One DNS cache and one bound on signature checks for every session.
  const senderChecks = new SenderChecks({
    authservIds: config.authservIds,
    dnsServers: config.dnsServers,
    log,
  });
  // Sends held back for Undo, keyed by session; a session that leaves sends what it holds. When
  // the gateway stops, the answers their browsers have not taken yet (a POP3 account's Sent
  // copy) are kept in the session store, for the gateway that resumes the session.
  const heldSends = new SendQueue<Draft, SendAnswer>(limits, log);
  let stopping = false;
  sessions.onLeaving(async (session) => {
    await heldSends.flush(session.id);
    if (stopping) await heldSends.keepUnacknowledged(session.id);
  });
  // One ComposeSession per signed-in session; the SMTP server's size limit is read once.
  const composeSessions = new WeakMap<Session, ComposeSession>();
  const composeFor = (session: Session): ComposeSession | null => {
    const smtp = smtpEndpointFor(config, session.account.server);
    if (!smtp) return null;
    let compose = composeSessions.get(session);
    if (!compose) {
      const auth = { user: session.account.email, pass: session.password };
      compose = new ComposeSession({
        account: session.account,
        sessionKey: session.id,
        imap: session.mail,
        uploads,
        submit: (envelope, raw) => submitRaw(smtp, auth, envelope, raw, { tlsVerify: config.tlsVerify }),
        sizeLimit: () => smtpSizeLimit(smtp, auth, { tlsVerify: config.tlsVerify }),
        held: heldSends,
        ...(durable
          ? {
              kept: sealedSends({
                records: durable.records,
                secret: durable.secret,
                token: { id: session.id, key: session.key },
                limits,
                parse: parseSendAnswer,
                onDropped: (dropped) =>
                  log.warn("send.kept_dropped", { user: session.account.email, dropped }),
              }),
            }
          : {}),
        log,
      });
      composeSessions.set(session, compose);
    }
    return compose;
  };
  // Identities live on the IMAP server (METADATA or a settings message); POP3 keeps them in the browser.
  const identitySessions = new WeakMap<Session, ImapIdentityStore>();
  const identitiesFor = (session: Session): ImapIdentityStore | null => {
    const mail = session.mail;
    if (session.account.protocol !== "imap" || !mail) return null;
    let store = identitySessions.get(session);
    if (!store) {
      store = new ImapIdentityStore(() => mail.context());
      identitySessions.set(session, store);
    }
    return store;
  };
  // The address book too (the browser keeps a copy and merges before saving).
  const contactSessions = new WeakMap<Session, ImapContactsStore>();
  const contactsFor = (session: Session): ImapContactsStore | null => {
    const mail = session.mail;
    if (session.account.protocol !== "imap" || !mail) return null;
    let store = contactSessions.get(session);
    if (!store) {
      store = new ImapContactsStore(() => mail.context());
      contactSessions.set(session, store);
    }
    return store;
  };
  // Server-side filters: ManageSieve on the IMAP account's own server (the configured one, or
  // port 4190 of an allowed host), with the account's credentials.
  const rulesSessions = new WeakMap<Session, SieveRules>();
  const rulesFor = (session: Session): SieveRules | null => {
    const mail = session.mail;
    if (session.account.protocol !== "imap" || !mail) return null;
    let rules = rulesSessions.get(session);
    if (!rules) {
      const endpoint = sieveEndpointFor(config, session.account.server);
      if (!endpoint) return null;
      rules = new SieveRules({
        endpoint,
        user: session.account.email,
        password: session.password,
        tlsVerify: config.tlsVerify,
        applyToFolder: (folder, rule, signal) =>
          applyRuleToFolder(
            {
              ctx: () => mail.context(),
              setFlags: (f, u, fl) => mail.setFlags(f, u, fl),
              move: (f, u, to) => mail.move(f, u, to),
              copy: (f, u, to) => mail.copy(f, u, to),
              remove: (f, u) => mail.remove(f, u),
            },
            folder,
            rule,
            signal,
          ),
      });
      rulesSessions.set(session, rules);
    }
    return rules;
  };
  sessions.onEnded((session) => {
    // A POP3 pull in flight stops now, committing nothing; nothing sends any more.
    pop3Sessions.get(session)?.close();
    void uploads.clear(session.id);
  });
  const routes = new Map<string, RouteHandler>([
    ...sessionRoutes({ config, sessions, limiter, log, clientAddresses, senderChecks }),
    partRoute(sessions, log),
    messageRoute(sessions, log),
    uploadRoute(sessions, uploads, config.allowedOrigins, async (id) => {
      const session = sessions.get(id);
      return session ? ((await composeFor(session)?.limits())?.maxUploadBytes ?? null) : null;
    }),
  ]);
  const server = createHttpServer({
    staticDir: config.staticDir,
    log,
    routes,
    listedOrigins: config.allowedOrigins,
  });

  const probes = new Map<string, { at: number; result: Promise<ProbeResult> }>();
  const ports: RouterContext["ports"] = {
    server: {
      defaults: () => ({ imap: config.imap, pop3: config.pop3, allowedHosts: config.allowedHosts }),
      probe: (protocol) => {
        const endpoint = protocol === "imap" ? config.imap : config.pop3;
        if (!endpoint)
          return Promise.reject(
            new MailError("BAD_INPUT", `No ${protocol.toUpperCase()} server is configured`),
          );
        // One probe a minute per server, however many sign-in pages are open: each costs the
        // mail server a connection.
        const cached = probes.get(protocol);
        if (cached && Date.now() - cached.at < 60_000) return cached.result;
        const result = probeServer(protocol, endpoint, { tlsVerify: config.tlsVerify });
        probes.set(protocol, { at: Date.now(), result });
        result.catch(() => probes.delete(protocol));
        return result;
      },
    },
  };

  // One Pop3Session per signed-in POP3 session (shared by its browser tabs), so one pull runs
  // at a time; it holds no connection between pulls and goes with the session.
  const pop3For = (session: Session): Pop3Session | null => {
    if (session.account.protocol !== "pop3") return null;
    let pop3 = pop3Sessions.get(session);
    if (!pop3) {
      pop3 = new Pop3Session({
        endpoint: session.account.server,
        user: session.account.email,
        password: session.password,
        tlsVerify: config.tlsVerify,
        log,
        limits,
        gatewayFetches,
        gatewayPulls,
        senderChecks,
      });
      pop3Sessions.set(session, pop3);
    }
    return pop3;
  };

  const ws = attachTrpcWebSocket({
    server,
    allowedOrigins: config.allowedOrigins,
    limits,
    clientOf: (req) => limiterKey(clientAddresses.of(req)),
    log,
    binary: {
      path: POP3_BODIES_PATH,
      accept: (req) =>
        acceptBodyChannel(req, async (r) => {
          const session = await sessions.resolve(r);
          return session ? pop3For(session) : null;
        }),
    },
    createContext: async (req, ws) => {
      // Held here, or rebuilt from the store: after a restart, or a socket that the load
      // balancer sent to another gateway, the page carries on without signing in.
      const session = await sessions.resolve(req);
      // Closed while the session was read from the store (a tab closed or reloaded while a
      // restarted gateway resumes its sessions): its close has been heard already, so attached
      // now it would never leave, and the session would never idle out.
      if (!session || ws.readyState !== ws.OPEN) return { ports, session: null };
      // tRPC builds this context once per WebSocket: when the session ends (sign-out from
      // another tab, expiry), the server closes this socket, and until it is gone every call
      // on it sees no session (NOT_SIGNED_IN) rather than the ports that hold the password.
      ws.once(
        "close",
        sessions.attach(session, () => {
          ws.close(4401, "session ended");
          setTimeout(() => ws.terminate(), 2_000).unref();
        }),
      );
      // The session's mail and compose as this page calls them: what it changes is told to the
      // session's other pages (another tab) and not back to this one.
      const mail = session.mail?.forPage() ?? null;
      const rules = rulesFor(session);
      const port = {
        account: session.account,
        // A folder renamed here takes the server filters that file into it along.
        mail: mail && rules ? followRenames(mail, rules, log) : mail,
        pop3: pop3For(session),
        compose: composeFor(session)?.forPage(mail) ?? null,
        rules,
        identities: identitiesFor(session),
        contacts: contactsFor(session),
      };
      return {
        ports,
        get session() {
          return sessions.isLive(session) ? port : null;
        },
      };
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.bind, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.bind === "0.0.0.0" || config.bind === "::" ? "localhost" : config.bind;
  const url = `http://${host}:${port}`;
  log.info("gateway.listening", { url, imap: config.imap, pop3: config.pop3 });

  const closeOnce = async (): Promise<void> => {
    stopping = true;
    try {
      try {
        // What is held goes out now, while its pages are still connected to hear the answer
        // (and file a POP3 account's copy); what they have not acknowledged by then is kept in
        // the session store. Both before the sockets close: a page then connects at once to
        // another gateway, which must find the answer there. Not for ever: a send stuck on its
        // SMTP server must not keep every socket open; one still going then is kept as its
        // session leaves (onLeaving), the sockets closed.
        await settledWithin(heldSends.flushAll(), FLUSH_BEFORE_CLOSE_MS);
        await heldSends.keepUnacknowledged();
      } finally {
        ws.close();
      }
      // The last failures reach the ledger before its connection closes with the store.
      await limiter.settled();
      // Sessions leaving send what was held since (onLeaving), and keep its answer before the
      // store closes; anything else still held goes too.
      await sessions.closeAll();
      await heldSends.flushAll();
    } finally {
      // Also when a held send failed at the end: the uploads and the port are let go.
      await uploads.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    sessions,
    // Closing twice (a signal handler and a test's clean-up, say) waits for the one close.
    close: () => (closing ??= closeOnce()),
  };
}
