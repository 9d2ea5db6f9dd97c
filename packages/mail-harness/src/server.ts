import type { DovecotCapacity } from "./config";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { makeCertificate } from "./certificate";
import { FTS_XAPIAN_MODULE } from "./config";
import { DovecotConfigFile, doveadmFor, startDovecot } from "./dovecot";
import { Mailboxes, type DeliverOptions, type SeedReport, type SpecialUse } from "./mailboxes";
import { findFreePorts } from "./ports";
import { DEFAULT_MESSAGE_SIZE_LIMIT, startPostfix, type PostfixInstance, type SmtpOptions } from "./postfix";
import { groupMembers, ProcessGuard } from "./processes";
import type { SeedOptions } from "./seed/generate";
import { DEFAULT_QUOTA, MailOwner, MailUsers, waitForPassdb, type MailUser } from "./users";

export type { DeliverOptions, MailUser, SeedReport, SpecialUse };

const execFileAsync = promisify(execFile);

export interface StartOptions {
  users?: MailUser[];
  /** @default a fresh mkdtemp under os.tmpdir() */
  dir?: string;
  /** Keep `dir` after stop(), for post-mortems. @default false */
  keep?: boolean;
  /** Dovecot rawlog of every IMAP session into DIR/rawlog/<user>/ (*.in, *.out). @default false */
  rawlog?: boolean;
  /** Dovecot's log goes to this process's stderr instead of DIR/dovecot.log. @default false */
  logToConsole?: boolean;
  /** Self-signed certificate: STARTTLS plus implicit-TLS ports imapsPort/pop3sPort. @default false */
  tls?: boolean;
  /**
   * A private Postfix (needs root and Debian's postfix + dovecot-lmtpd): SMTP submission with
   * AUTH on `smtpPort` (STARTTLS and an implicit-TLS `smtpsPort` with `tls: true`), delivering
   * mail for the test domains into this Dovecot over LMTP. @default false
   */
  smtp?: boolean | SmtpOptions;
  /**
   * Full-text search (Dovecot fts with Debian's dovecot-fts-xapian): body search answers from
   * an index. Off, Dovecot reads every message to search bodies, as a server without fts does.
   * @default true when the plugin is installed
   */
  fts?: boolean;
  /** Server annotations (IMAP METADATA, RFC 5464). Off, the server advertises no METADATA, as
   * many servers do not. @default true */
  metadata?: boolean;
  /**
   * Raises Dovecot's limits for this many IMAP connections from the one gateway address, as a
   * real deployment would (process_limit, client_limit, mail_max_userip_connections), and parks
   * idle IDLE connections in imap-hibernate so that thousands fit in memory. @default none
   */
  capacity?: DovecotCapacity;
}

export interface MailServer {
  host: "127.0.0.1";
  imapPort: number;
  pop3Port: number;
  /** ManageSieve (RFC 5804): Pigeonhole's managesieved. Sieve scripts run at LMTP delivery (with `smtp`). */
  sievePort: number;
  /** Present when started with `tls: true`. */
  imapsPort?: number;
  pop3sPort?: number;
  /** PEM of the self-signed certificate, to trust in TLS tests. */
  tlsCert?: string;
  /** Present when started with `smtp`: submission port (AUTH required; STARTTLS with `tls: true`). */
  smtpPort?: number;
  /** Implicit-TLS submission (RFC 8314), present with `smtp` and `tls: true`. */
  smtpsPort?: number;
  /** Postfix's message_size_limit in bytes, also advertised as EHLO `SIZE`. */
  smtpMessageSizeLimit?: number;
  /** Postfix's log file (DIR/postfix/maillog). */
  smtpLogPath?: string;
  dir: string;
  configPath: string;
  addUser(user: MailUser): Promise<void>;
  createFolder(user: string, path: string, specialUse?: SpecialUse): Promise<void>;
  deliver(user: string, raw: string | Uint8Array, opts?: DeliverOptions): Promise<void>;
  /** Saves through Dovecot (APPEND) and waits for its full-text indexing: see Mailboxes.save. */
  save(user: string, raw: string | Uint8Array, opts?: { folder?: string }): Promise<void>;
  seed(user: string, opts: SeedOptions): Promise<SeedReport>;
  doveadm(args: string[]): Promise<string>;
  /** A folder's message and unread counts as Dovecot has them (doveadm, past any client). */
  counts(user: string, folder: string): Promise<{ messages: number; unseen: number }>;
  /**
   * How many messages of a user's folder have `text` in their subject, asked again until there
   * are at least `atLeast` (delivery through a filter takes a moment) or `ms` have passed.
   */
  countWithSubject(
    user: string,
    folder: string,
    text: string,
    opts?: { atLeast?: number; ms?: number },
  ): Promise<number>;
  stop(): Promise<void>;
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

/**
 * A throwaway Dovecot (and, with `smtp`, a Postfix in front of it) on free loopback ports:
 * the process (./dovecot), its users (./users) and their mail (./mailboxes) behind one object.
 */
export async function startMailServer(opts: StartOptions = {}): Promise<MailServer> {
  if (opts.smtp && !isRoot)
    throw new Error("startMailServer: smtp needs root (Postfix's master runs as root)");
  // A port found free can be taken before Dovecot binds it; try again with new ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof Error && /in use/i.test(error.message))) throw error;
    }
  }
}

async function startOnce(opts: StartOptions): Promise<MailServer> {
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), "pismo-dovecot-")));
  await mkdir(dir, { recursive: true });
  const keep = opts.keep ?? false;
  // From here on, Dovecot and Postfix die with this process, and the directory goes with them
  // (unless `keep`), even when this process is killed (SIGKILL) before stop().
  const guard = new ProcessGuard(`mail server ${dir}`, keep ? null : dir);
  try {
    return await startInstance(opts, dir, keep, guard);
  } catch (error) {
    if (!keep) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    // With processes left (a stop that failed) the guard stays, to kill them on exit.
    if (guard.idle) await guard.release();
    throw error;
  }
}

async function startInstance(
  opts: StartOptions,
  dir: string,
  keep: boolean,
  guard: ProcessGuard,
): Promise<MailServer> {
  // Mail processes run as the mail uid and must be able to walk into the user homes.
  await chmod(dir, 0o755);
  const configPath = join(dir, "dovecot.conf");
  const logPath = opts.logToConsole ? null : join(dir, "dovecot.log");
  const me = userInfo();
  const owner = isRoot ? new MailOwner(65534, 65534, true) : new MailOwner(me.uid, me.gid, false);

  const smtp: SmtpOptions | undefined = opts.smtp === true ? {} : opts.smtp || undefined;
  for (const sub of ["run", "state", "users", "rawlog"]) await mkdir(join(dir, sub), { recursive: true });
  const ports = await findFreePorts((opts.tls ? 4 : 2) + (smtp ? (opts.tls ? 2 : 1) : 0) + 2);
  const [sievePort, relayPort, ...protocolPorts] = ports;
  const [imapPort, pop3Port, imapsPort, pop3sPort] = protocolPorts;
  const [smtpPort, smtpsPort] = protocolPorts.slice(opts.tls ? 4 : 2);
  if (imapPort === undefined || pop3Port === undefined || sievePort === undefined || relayPort === undefined)
    throw new Error("no free ports");
  const tlsFiles = opts.tls ? await makeCertificate(dir) : undefined;
  const tls =
    tlsFiles && imapsPort !== undefined && pop3sPort !== undefined
      ? { ...tlsFiles, imapsPort, pop3sPort }
      : undefined;
  const fts = opts.fts ?? existsSync(FTS_XAPIAN_MODULE);
  if (fts && !existsSync(FTS_XAPIAN_MODULE))
    throw new Error(`startMailServer: fts needs Debian's dovecot-fts-xapian (${FTS_XAPIAN_MODULE})`);
  const instanceName = `pismo-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

  let unprivilegedUser: { user: string; group: string } | undefined;
  if (!isRoot) {
    const group = (await execFileAsync("id", ["-gn"])).stdout.trim();
    unprivilegedUser = { user: me.username, group };
  }
  const config = new DovecotConfigFile(configPath, {
    dir,
    instanceName,
    imapPort,
    pop3Port,
    sievePort,
    logPath: logPath ?? "/dev/stderr",
    rawlog: opts.rawlog ?? false,
    mailUid: owner.uid,
    mailGid: owner.gid,
    defaultQuotaBytes: DEFAULT_QUOTA,
    ...(smtp
      ? {
          mta: {
            authSocket: "auth-postfix",
            lmtpSocket: "lmtp-postfix",
            user: "postfix",
            group: "postfix",
            submissionHost: `127.0.0.1:${relayPort}`,
          },
        }
      : {}),
    ...(tls ? { tls } : {}),
    ...(unprivilegedUser ? { unprivilegedUser } : {}),
    fts,
    ...(opts.metadata === false ? { metadata: false } : {}),
    ...(opts.capacity ? { capacity: opts.capacity } : {}),
  });
  await config.write();

  const users = new MailUsers(dir, owner, opts.rawlog ?? false);
  await users.writePasswd();
  for (const user of opts.users ?? []) await users.add(user);

  const removeDir = async (): Promise<void> => {
    if (!keep) await rm(dir, { recursive: true, force: true });
  };
  const dovecot = await startDovecot({ configPath, guard, logPath, imapPort, pop3Port, sievePort });
  const stopDovecot = async (): Promise<void> => {
    await dovecot.stop();
    await removeDir();
  };

  let postfix: PostfixInstance | undefined;
  const smtpDomains = new Set(
    [...(smtp?.domains ?? ["pismo.test"]), ...users.names().map(domainOf)].map((d) => d.toLowerCase()),
  );
  const messageSizeLimit = smtp?.messageSizeLimit ?? DEFAULT_MESSAGE_SIZE_LIMIT;
  if (smtp) {
    if (smtpPort === undefined) throw new Error("no free ports");
    const postfixDir = join(dir, "postfix");
    let postfixPid: number | undefined;
    try {
      postfix = await startPostfix({
        dir: postfixDir,
        logPath: join(postfixDir, "maillog"),
        submissionPort: smtpPort,
        relayPort,
        ...(tlsFiles && smtpsPort !== undefined ? { tls: { ...tlsFiles, submissionsPort: smtpsPort } } : {}),
        domains: [...smtpDomains],
        messageSizeLimit,
        authSocket: join(dir, "run", "auth-postfix"),
        lmtpSocket: join(dir, "run", "lmtp-postfix"),
        recipients: users.names(),
        onSpawn: (pid) => {
          postfixPid = pid;
          guard.watchGroup(pid);
        },
      });
    } catch (error) {
      // startPostfix stopped what it started; only a group found empty is off the guard.
      if (postfixPid !== undefined && groupMembers(postfixPid).length === 0) guard.forgetGroup(postfixPid);
      await stopDovecot().catch(() => undefined);
      throw error;
    }
  }
  const stopAll = async (): Promise<void> => {
    if (postfix) {
      // First the MTA, which may be delivering into Dovecot over LMTP.
      await postfix.stop();
      guard.forgetGroup(postfix.pid);
    }
    await stopDovecot();
    // Only after a stop that left nothing: otherwise the guard kills what is left on exit.
    await guard.release();
  };

  const doveadm = doveadmFor(configPath);
  const mailboxes = new Mailboxes(users, owner, doveadm, config, imapPort);
  const server: MailServer = {
    host: "127.0.0.1",
    imapPort,
    pop3Port,
    sievePort,
    dir,
    configPath,
    addUser: async (user) => {
      if (postfix && !smtpDomains.has(domainOf(user.name).toLowerCase())) {
        throw new Error(
          `addUser: ${user.name} is outside the SMTP domains ${[...smtpDomains].join(", ")} (set smtp.domains)`,
        );
      }
      await users.add(user);
      await waitForPassdb(doveadm, user);
      await postfix?.setRecipients(users.names());
    },
    createFolder: (user, path, specialUse) => mailboxes.createFolder(user, path, specialUse),
    deliver: (user, raw, o) => mailboxes.deliver(user, raw, o),
    save: (user, raw, o) => mailboxes.save(user, raw, o),
    seed: (user, seedOpts) => mailboxes.seed(user, seedOpts),
    doveadm,
    counts: async (user, folder) => {
      const status = await doveadm(["mailbox", "status", "-u", user, "messages unseen", folder]);
      return {
        messages: Number(/messages=(\d+)/.exec(status)?.[1] ?? Number.NaN),
        unseen: Number(/unseen=(\d+)/.exec(status)?.[1] ?? Number.NaN),
      };
    },
    countWithSubject: async (user, folder, text, { atLeast = 1, ms = 15_000 } = {}) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = await doveadm(["search", "-u", user, "mailbox", folder, "subject", text]).catch(
          () => "",
        );
        const n = found.split("\n").filter(Boolean).length;
        if (n >= atLeast || Date.now() > deadline) return n;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop: stopAll,
  };
  if (postfix && smtpPort !== undefined) {
    server.smtpPort = smtpPort;
    server.smtpMessageSizeLimit = messageSizeLimit;
    server.smtpLogPath = postfix.logPath;
    if (tls && smtpsPort !== undefined) server.smtpsPort = smtpsPort;
  }
  if (tls) {
    server.imapsPort = tls.imapsPort;
    server.pop3sPort = tls.pop3sPort;
    server.tlsCert = await readFile(tls.certPath, "utf8");
  }
  return server;
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1);
}

/**
 * The gateway's PISMO_* settings for this instance: plain protocols on loopback, and SMTP when
 * the private Postfix runs. The gateway's tests, the e2e tests and the benchmark all start a
 * gateway in front of the harness this way.
 */
export function gatewayEnv(
  server: Pick<MailServer, "host" | "imapPort" | "pop3Port" | "smtpPort"> & { sievePort?: number },
): Record<string, string> {
  return {
    PISMO_IMAP_HOST: server.host,
    PISMO_IMAP_PORT: String(server.imapPort),
    PISMO_IMAP_SECURITY: "none",
    PISMO_POP3_HOST: server.host,
    PISMO_POP3_PORT: String(server.pop3Port),
    PISMO_POP3_SECURITY: "none",
    // Tests never ask the machine's resolver: nothing listens on the discard port, so Pismo's
    // own DKIM lookups fail at once (tests that need records start a startTxtDnsServer).
    PISMO_DNS_SERVERS: "127.0.0.1:9",
    ...(server.sievePort !== undefined
      ? {
          PISMO_SIEVE_HOST: server.host,
          PISMO_SIEVE_PORT: String(server.sievePort),
          PISMO_SIEVE_SECURITY: "none",
        }
      : {}),
    ...(server.smtpPort !== undefined
      ? {
          PISMO_SMTP_HOST: server.host,
          PISMO_SMTP_PORT: String(server.smtpPort),
          PISMO_SMTP_SECURITY: "none",
        }
      : {}),
  };
}
