import { MailError } from "@pismo/protocol/errors";
import {
  signInInputSchema,
  type Account,
  type FirstScreen,
  type ServerEndpoint,
  type SignInInput,
  type SignInAnswer,
} from "@pismo/protocol/schemas";
import type { GatewayConfig } from "../env";
import type { Logger } from "../log";
import { assertAllowedEndpoint } from "../allowed-hosts";
import { toMailError } from "../mail-errors";
import { ImapSession } from "../imap/imap-session";
import { Pop3Client } from "../pop3/client";
import { sessionCookieHeader, signedInHintHeader } from "../sessions/cookie";
import type { SessionStore } from "../sessions/session-store";
import type { SignInLimiter } from "../sessions/sign-in-limiter";
import type { RouteHandler } from "./http-server";
import { isAllowedOrigin } from "./origin";
import { readJsonBody } from "./read-json";
import { refuseForeignOrigin, sendError, sendJson } from "./responses";
import { limiterKey, type ClientAddresses } from "./client-address";
import type { SenderChecks } from "../trust/sender-check";

interface Deps {
  config: GatewayConfig;
  sessions: SessionStore;
  limiter: SignInLimiter;
  log: Logger;
  /** The gateway's one reading of client addresses (its warning about an untrusted proxy is
   * logged once per gateway). */
  clientAddresses: ClientAddresses;
  senderChecks?: SenderChecks;
}

/** Checks a POP3 login (USER/PASS, then QUIT without touching mail). */
async function verifyPop3(
  endpoint: ServerEndpoint,
  user: string,
  password: string,
  tlsVerify: boolean,
): Promise<void> {
  const client = await Pop3Client.connect({
    host: endpoint.host,
    port: endpoint.port,
    security: endpoint.security,
    tls: { rejectUnauthorized: tlsVerify },
  });
  try {
    await client.login(user, password);
  } finally {
    await client.quit().catch(() => client.close());
  }
}

/**
 * The first screen of an IMAP sign-in, from the connection that checked the password: the
 * folder tree (the LIST-STATUS it took before selecting the Inbox, no command of its own) and
 * the Inbox's first `rows` rows (the first FETCH on the connection, ahead of the quota). Null
 * when either fails: the browser then asks for them itself.
 */
async function firstScreenOf(
  imap: ImapSession,
  rows: number,
  view: SignInInput["firstView"],
  log: Logger,
): Promise<FirstScreen | null> {
  try {
    const first = { folder: "INBOX", offset: 0, limit: rows };
    if (view === "conversations") {
      const [folders, conversations] = await Promise.all([imap.folders(), imap.conversations(first)]);
      return { folders, conversations };
    }
    const [folders, window] = await Promise.all([imap.folders(), imap.list({ ...first, sort: "arrival" })]);
    return { folders, window };
  } catch (error) {
    log.debug("session.first_screen_failed", { error });
    return null;
  }
}

export function sessionRoutes({
  config,
  sessions,
  limiter,
  log,
  clientAddresses,
  senderChecks,
}: Deps): Array<[string, RouteHandler]> {
  const signIn: RouteHandler = async (req, res) => {
    if (!isAllowedOrigin(req, config.allowedOrigins)) {
      refuseForeignOrigin(res);
      return;
    }
    try {
      const parsed = signInInputSchema.safeParse(await readJsonBody(req));
      if (!parsed.success) {
        throw new MailError(
          "BAD_INPUT",
          parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
        );
      }
      const input = parsed.data;
      const endpoint = input.server ?? config[input.protocol];
      if (!endpoint)
        throw new MailError(
          "BAD_INPUT",
          `No ${input.protocol.toUpperCase()} server is configured; enter one under Server settings`,
        );
      assertAllowedEndpoint(config.allowedEndpoints, input.protocol, endpoint.host, endpoint.port);

      const address = clientAddresses.of(req);
      // Reserved before the login, in one step: parallel guesses cannot all pass the check.
      const attempt = await limiter.acquire(limiterKey(address), input.email);
      if (!attempt.ok)
        throw new MailError(
          "RATE_LIMITED",
          `Too many failed sign-ins; try again in ${Math.ceil(attempt.retryAfterMs / 60_000)} min`,
        );

      const account: Account = { protocol: input.protocol, email: input.email, server: endpoint };
      let mail: ImapSession | null = null;
      try {
        if (input.protocol === "imap") {
          const imap: ImapSession = new ImapSession({
            endpoint,
            user: input.email,
            password: input.password,
            tlsVerify: config.tlsVerify,
            clientAddress: address,
            log,
            ...(senderChecks ? { senderChecks } : {}),
          });
          await imap.start();
          mail = imap;
        } else {
          await verifyPop3(endpoint, input.email, input.password, config.tlsVerify);
        }
      } catch (error) {
        const mapped = toMailError(error);
        // A failed connect counts too: sign-in must not serve to probe what answers where.
        attempt.release(false);
        log.warn("session.sign_in_failed", { user: input.email, code: mapped.code, reason: mapped.message });
        throw mapped;
      }
      attempt.release(true);
      await sessions.destroyByCookie(req);
      const opened = mail;
      let created: { cookie: string };
      try {
        created = await sessions.create(
          { account, password: input.password, clientAddress: address },
          // The connection that checked the password is the session's: nothing opens twice.
          async (session) => {
            if (!opened || !session.mail) return;
            await sessions.takeLease(session);
            session.mail.adopt(opened);
          },
        );
      } catch (error) {
        await opened?.close().catch(() => undefined);
        log.error("session.store_failed", { error });
        throw new MailError("INTERNAL", "The session could not be stored; try again");
      }
      const firstScreen =
        opened && input.firstRows !== undefined
          ? await firstScreenOf(opened, input.firstRows, input.firstView, log)
          : null;
      res.setHeader("Set-Cookie", [
        sessionCookieHeader(req, created.cookie, sessions.cookie),
        signedInHintHeader(req, true, sessions.cookie),
      ]);
      const answer: SignInAnswer = firstScreen ? { account, firstScreen } : { account };
      // With the first screen's rows the answer is some 20 kB of JSON: compressed, about 4.
      sendJson(res, 200, answer, req);
    } catch (error) {
      sendError(res, error);
    }
  };

  const signOut: RouteHandler = async (req, res) => {
    if (!isAllowedOrigin(req, config.allowedOrigins)) {
      refuseForeignOrigin(res);
      return;
    }
    // Also when another gateway holds the session: the record goes, and every gateway closes
    // the session's pages.
    await sessions.destroyByCookie(req);
    res.setHeader("Set-Cookie", [
      sessionCookieHeader(req, null, sessions.cookie),
      signedInHintHeader(req, false, sessions.cookie),
    ]);
    sendJson(res, 200, { ok: true });
  };

  return [
    ["POST /api/session", signIn],
    ["DELETE /api/session", signOut],
  ];
}
