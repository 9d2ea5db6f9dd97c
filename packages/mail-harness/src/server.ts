import { execFile, spawn, type ChildProcess } from "node:child_process";
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { chmod, chown, mkdir, mkdtemp, readFile, rename, rm, utimes, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { promisify } from "node:util";
import { renderDovecotConfig } from "./config";
import { encodeModifiedUtf7, folderDirName, maildirBaseName, maildirFlags, virtualSize } from "./maildir";
import { findFreePorts } from "./ports";
import { DEFAULT_MESSAGE_SIZE_LIMIT, startPostfix, type PostfixInstance, type SmtpOptions } from "./postfix";
import { imapCommand, RawSocket } from "./raw-socket";
import { generateMessages, planFolders, type SeedOptions } from "./seed/generate";

const execFileAsync = promisify(execFile);

export interface MailUser {
  /** Full address, e.g. alice@pismo.test; also the IMAP/POP3 login. */
  name: string;
  password: string;
  /** @default 1 GiB */
  quotaBytes?: number;
}

export type SpecialUse = "\\Sent" | "\\Drafts" | "\\Trash" | "\\Junk" | "\\Archive";

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
}

export interface DeliverOptions {
  /** @default "INBOX" */
  folder?: string;
  flags?: string[];
  /** INTERNALDATE (the file's mtime). @default now */
  date?: Date;
}

export interface SeedReport {
  count: number;
  bytes: number;
  perFolder: Record<string, number>;
}

export interface MailServer {
  host: "127.0.0.1";
  imapPort: number;
  pop3Port: number;
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
  seed(user: string, opts: SeedOptions): Promise<SeedReport>;
  doveadm(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

const DEFAULT_QUOTA = 1024 ** 3;
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

// Instances still running, killed synchronously if the test process exits without stop().
const live = new Map<number, { dir: string; keep: boolean }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const [pgid, { dir, keep }] of live) {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        // already gone
      }
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  });
}

interface GroupMember {
  pid: number;
  comm: string;
}

/** Live processes in a process group, from /proc: Dovecot's children stay in the master's group. */
function groupMembers(pgid: number): GroupMember[] {
  const members: GroupMember[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "latin1");
      // The command name may contain spaces and parentheses: fields start after the last ")".
      const close = stat.lastIndexOf(")");
      const fields = stat.slice(close + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z")
        members.push({ pid: Number(entry), comm: stat.slice(stat.indexOf("(") + 1, close) });
    } catch {
      // exited while we were looking
    }
  }
  return members;
}

async function waitForGreeting(
  port: number,
  prefix: string,
  deadline: number,
  child: ChildProcess,
): Promise<void> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error("dovecot exited during start-up");
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port });
      const timer = setTimeout(() => done(false), 2000);
      function done(result: boolean): void {
        clearTimeout(timer);
        socket.destroy();
        resolve(result);
      }
      socket.once("data", (data) => done(data.toString("latin1").startsWith(prefix)));
      socket.once("error", () => done(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`no ${prefix} greeting on port ${port}`);
    await delay(50);
  }
}

async function makeCertificate(dir: string): Promise<{ certPath: string; keyPath: string }> {
  const certPath = join(dir, "tls-cert.pem");
  const keyPath = join(dir, "tls-key.pem");
  // EC keys: generated in milliseconds, unlike RSA.
  await execFileAsync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    keyPath,
    "-out",
    certPath,
    "-days",
    "7",
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
  ]);
  return { certPath, keyPath };
}

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
  // Mail processes run as the mail uid and must be able to walk into the user homes.
  await chmod(dir, 0o755);
  const keep = opts.keep ?? false;
  const configPath = join(dir, "dovecot.conf");
  const logPath = opts.logToConsole ? "/dev/stderr" : join(dir, "dovecot.log");
  const me = userInfo();
  const mailUid = isRoot ? 65534 : me.uid;
  const mailGid = isRoot ? 65534 : me.gid;
  const ownMail = async (path: string): Promise<void> => {
    if (isRoot) await chown(path, mailUid, mailGid);
  };

  const smtp: SmtpOptions | undefined = opts.smtp === true ? {} : opts.smtp || undefined;
  for (const sub of ["run", "state", "users", "rawlog"]) await mkdir(join(dir, sub), { recursive: true });
  const ports = await findFreePorts((opts.tls ? 4 : 2) + (smtp ? (opts.tls ? 2 : 1) : 0));
  const [imapPort, pop3Port, imapsPort, pop3sPort] = ports;
  const [smtpPort, smtpsPort] = ports.slice(opts.tls ? 4 : 2);
  if (imapPort === undefined || pop3Port === undefined) throw new Error("no free ports");
  const tlsFiles = opts.tls ? await makeCertificate(dir) : undefined;
  const tls =
    tlsFiles && imapsPort !== undefined && pop3sPort !== undefined
      ? { ...tlsFiles, imapsPort, pop3sPort }
      : undefined;
  const instanceName = `pismo-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

  let unprivilegedUser: { user: string; group: string } | undefined;
  if (!isRoot) {
    const group = (await execFileAsync("id", ["-gn"])).stdout.trim();
    unprivilegedUser = { user: me.username, group };
  }
  const extraSpecialUse: Array<[string, SpecialUse]> = [];
  const writeConfig = (): Promise<void> =>
    writeFile(
      configPath,
      renderDovecotConfig({
        dir,
        instanceName,
        imapPort,
        pop3Port,
        logPath,
        rawlog: opts.rawlog ?? false,
        mailUid,
        mailGid,
        defaultQuotaBytes: DEFAULT_QUOTA,
        extraSpecialUse,
        ...(smtp
          ? {
              mta: {
                authSocket: "auth-postfix",
                lmtpSocket: "lmtp-postfix",
                user: "postfix",
                group: "postfix",
              },
            }
          : {}),
        ...(tls ? { tls } : {}),
        ...(unprivilegedUser ? { unprivilegedUser } : {}),
      }),
    );
  await writeConfig();

  const users = new Map<string, MailUser>();
  const passwdPath = join(dir, "passwd");
  const homeOf = (name: string): string => join(dir, "users", name);
  const maildirOf = (name: string): string => join(homeOf(name), "Maildir");
  const writePasswd = async (): Promise<void> => {
    const lines = [...users.values()].map(
      (u) =>
        `${u.name}:{PLAIN}${u.password}:${mailUid}:${mailGid}::${homeOf(u.name)}::userdb_quota_rule=*:storage=${u.quotaBytes ?? DEFAULT_QUOTA}B`,
    );
    // Rename, so auth never reads half a file; the new inode makes Dovecot re-read it.
    const tmp = `${passwdPath}.${process.pid}.tmp`;
    await writeFile(tmp, lines.join("\n") + "\n", { mode: 0o644 });
    await rename(tmp, passwdPath);
  };

  const addUserFiles = async (user: MailUser): Promise<void> => {
    if (/[:\n/]/.test(user.name) || /[:\n]/.test(user.password))
      throw new Error(`unsupported characters in user ${user.name}`);
    users.set(user.name, user);
    await writePasswd();
    for (const path of [
      homeOf(user.name),
      maildirOf(user.name),
      ...["cur", "new", "tmp"].map((d) => join(maildirOf(user.name), d)),
    ]) {
      await mkdir(path, { recursive: true });
      await ownMail(path);
    }
    if (opts.rawlog) {
      // Dovecot writes rawlogs only into a directory that already exists.
      const rawDir = join(dir, "rawlog", user.name);
      await mkdir(rawDir, { recursive: true });
      await ownMail(rawDir);
    }
  };
  await writePasswd();
  for (const user of opts.users ?? []) await addUserFiles(user);
  let running = false;

  // `ulimit -n`: a thousand IMAP sessions need more descriptors in the master than the default.
  const child = spawn(
    "/bin/sh",
    ["-c", 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec dovecot -F -c "$0"', configPath],
    {
      detached: true, // own process group, so stop() and the exit hook can kill every child
      stdio: ["ignore", opts.logToConsole ? "inherit" : "pipe", opts.logToConsole ? "inherit" : "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const pgid = child.pid;
  if (pgid === undefined) throw new Error("could not spawn dovecot");
  installExitHook();
  live.set(pgid, { dir, keep });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(pgid, "SIGTERM");
        } catch {
          // already gone
        }
        const deadline = Date.now() + STOP_TIMEOUT_MS;
        let masterGone = false;
        void exited.then(() => (masterGone = true));
        while (!masterGone) {
          const others = groupMembers(pgid).filter((m) => m.pid !== pgid);
          // The master waits a full second for its log process before exiting; once every
          // mail and auth process is gone there is nothing left to flush that we care about.
          if (others.length > 0 && others.every((m) => m.comm === "log")) {
            for (const m of others) killPid(m.pid);
          }
          if (Date.now() > deadline) {
            killGroup(pgid);
            break;
          }
          await Promise.race([exited, delay(20)]);
        }
        await exited;
      }
      // The master is gone; its children finish on their own shortly after.
      const deadline = Date.now() + STOP_TIMEOUT_MS;
      while (groupMembers(pgid).length > 0) {
        if (Date.now() > deadline) {
          killGroup(pgid);
          await delay(100);
          if (groupMembers(pgid).length > 0) throw new Error(`dovecot processes left in group ${pgid}`);
          break;
        }
        await delay(25);
      }
      live.delete(pgid);
      if (!keep) await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    await waitForGreeting(imapPort, "* OK", deadline, child);
    await waitForGreeting(pop3Port, "+OK", deadline, child);
    running = true;
  } catch (error) {
    await stop().catch(() => undefined);
    const log = opts.logToConsole ? "" : safeRead(join(dir, "dovecot.log"));
    throw new Error(`dovecot did not start: ${(error as Error).message}\n${output}\n${log}`, {
      cause: error,
    });
  }

  let postfix: PostfixInstance | undefined;
  const smtpDomains = new Set(
    [...(smtp?.domains ?? ["pismo.test"]), ...[...users.keys()].map(domainOf)].map((d) => d.toLowerCase()),
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
        ...(tlsFiles && smtpsPort !== undefined ? { tls: { ...tlsFiles, submissionsPort: smtpsPort } } : {}),
        domains: [...smtpDomains],
        messageSizeLimit,
        authSocket: join(dir, "run", "auth-postfix"),
        lmtpSocket: join(dir, "run", "lmtp-postfix"),
        recipients: [...users.keys()],
        onSpawn: (pid) => {
          postfixPid = pid;
          live.set(pid, { dir, keep });
        },
      });
    } catch (error) {
      if (postfixPid !== undefined) live.delete(postfixPid);
      await stop().catch(() => undefined);
      throw error;
    }
  }
  const stopAll = async (): Promise<void> => {
    if (postfix) {
      // First the MTA, which may be delivering into Dovecot over LMTP.
      await postfix.stop();
      live.delete(postfix.pid);
    }
    await stop();
  };

  const doveadm = async (args: string[]): Promise<string> => {
    try {
      const { stdout } = await execFileAsync("doveadm", ["-c", configPath, ...args], {
        maxBuffer: 256 * 1024 * 1024,
      });
      return stdout;
    } catch (error) {
      const e = error as { stderr?: string; code?: number };
      throw new Error(`doveadm ${args.join(" ")} failed (${e.code}): ${e.stderr ?? ""}`.trim(), {
        cause: error,
      });
    }
  };

  // Dovecot stats the passwd-file at most once a second, so a user added right after a lookup
  // is not visible at once; wait until auth accepts the new password.
  const waitForPassdb = async (user: MailUser): Promise<void> => {
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        await doveadm(["auth", "test", "-x", "service=imap", user.name, user.password]);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await delay(100);
      }
    }
  };

  const requireUser = (name: string): void => {
    if (!users.has(name)) throw new Error(`unknown user ${name}`);
  };

  const createFolder = async (user: string, path: string, specialUse?: SpecialUse): Promise<void> => {
    requireUser(user);
    if (!existsSync(join(maildirOf(user), folderDirName(path), "cur"))) {
      await doveadm(["mailbox", "create", "-u", user, "-s", path]).catch(async (error: unknown) => {
        // Special-use folders are auto-created by config and may already "exist" virtually.
        if (!/exists/i.test((error as Error).message)) throw error;
      });
    }
    if (specialUse && !extraSpecialUse.some(([p, u]) => p === path && u === specialUse)) {
      // Dovecot 2.3 has no CREATE-SPECIAL-USE and /private/specialuse is read-only, so the
      // attribute goes into the namespace config (for every user of this instance) and a reload.
      extraSpecialUse.push([path, specialUse]);
      await writeConfig();
      await doveadm(["reload"]);
      await waitForSpecialUse(imapPort, users.get(user) as MailUser, path, specialUse);
    }
  };

  /** Makes sure a folder exists on disk before files are written into it directly. */
  const ensureFolderDir = async (user: string, folder: string): Promise<string> => {
    const folderDir = join(maildirOf(user), folderDirName(folder));
    if (!existsSync(join(folderDir, "cur"))) {
      await createFolder(user, folder);
      // An auto=subscribe folder that was never opened has no directory yet.
      for (const d of ["cur", "new", "tmp"]) {
        await mkdir(join(folderDir, d), { recursive: true });
      }
      if (isRoot) await execFileAsync("chown", ["-R", `${mailUid}:${mailGid}`, folderDir]);
    }
    return folderDir;
  };

  let seq = 0;
  const deliver = async (user: string, raw: string | Uint8Array, o: DeliverOptions = {}): Promise<void> => {
    requireUser(user);
    const bytes = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw;
    const folderDir = await ensureFolderDir(user, o.folder ?? "INBOX");
    const date = o.date ?? new Date();
    const base = maildirBaseName(new Date(), ++seq, bytes.length, virtualSize(bytes));
    const tmpPath = join(folderDir, "tmp", base);
    await writeFile(tmpPath, bytes);
    await utimes(tmpPath, date, date);
    await ownMail(tmpPath);
    // The rename is the MDA's commit point: Dovecot (and IDLE via inotify) only sees complete files.
    const flags = o.flags ?? [];
    await rename(
      tmpPath,
      flags.length > 0
        ? join(folderDir, "cur", `${base}:2,${maildirFlags(flags)}`)
        : join(folderDir, "new", base),
    );
  };

  const seed = async (user: string, seedOpts: SeedOptions): Promise<SeedReport> => {
    requireUser(user);
    const dirs = new Map<string, string>();
    for (const folder of planFolders(seedOpts).keys()) dirs.set(folder, await ensureFolderDir(user, folder));
    const perFolder: Record<string, number> = {};
    let count = 0;
    let bytes = 0;
    // Synchronous writes: for 100k small files they beat the promise API by a wide margin.
    for (const m of generateMessages({ user, ...seedOpts })) {
      const folderDir = dirs.get(m.folder) as string;
      const base = maildirBaseName(m.date, ++seq, m.raw.length, m.raw.length);
      const tmpPath = join(folderDir, "tmp", base);
      writeFileSync(tmpPath, m.raw);
      utimesSync(tmpPath, m.date, m.date);
      renameSync(tmpPath, join(folderDir, "cur", `${base}:2,${maildirFlags(m.flags)}`));
      perFolder[m.folder] = (perFolder[m.folder] ?? 0) + 1;
      count++;
      bytes += m.raw.length;
      if (count % 2000 === 0) await delay(0);
    }
    if (isRoot) await execFileAsync("chown", ["-R", `${mailUid}:${mailGid}`, maildirOf(user)]);
    // Sync every folder now (uidlist + index), so a client's first SELECT does not scan 100k files;
    // then let quota count the new mail.
    await doveadm(["mailbox", "status", "-u", user, "messages", "*"]);
    await doveadm(["quota", "recalc", "-u", user]);
    return { count, bytes, perFolder };
  };

  const server: MailServer = {
    host: "127.0.0.1",
    imapPort,
    pop3Port,
    dir,
    configPath,
    addUser: async (user) => {
      if (postfix && !smtpDomains.has(domainOf(user.name).toLowerCase())) {
        throw new Error(
          `addUser: ${user.name} is outside the SMTP domains ${[...smtpDomains].join(", ")} (set smtp.domains)`,
        );
      }
      await addUserFiles(user);
      if (running) await waitForPassdb(user);
      await postfix?.setRecipients([...users.keys()]);
    },
    createFolder,
    deliver,
    seed,
    doveadm,
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

/** Polls LIST until a reloaded config shows the special-use attribute to new sessions. */
async function waitForSpecialUse(port: number, user: MailUser, path: string, use: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  const quote = (s: string): string => `"${s.replace(/["\\]/g, "\\$&")}"`;
  const mailbox = path.split("/").map(encodeModifiedUtf7).join("/");
  for (;;) {
    let found = false;
    try {
      const socket = await RawSocket.connect(port);
      try {
        await socket.readLine();
        const login = await imapCommand(socket, `LOGIN ${quote(user.name)} ${quote(user.password)}`);
        if (login.status.includes(" OK")) {
          const list = await imapCommand(socket, `LIST "" ${quote(mailbox)}`);
          found = list.untagged.some((l) => l.includes(use));
        }
      } finally {
        socket.close();
      }
    } catch {
      // the login process may be restarting after the reload
    }
    if (found) return;
    if (Date.now() > deadline) throw new Error(`special-use ${use} on ${path} did not appear after reload`);
    await delay(50);
  }
}

function killPid(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // already gone
  }
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1);
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/**
 * The gateway's PISMO_* settings for this instance: plain protocols on loopback, and SMTP when
 * the private Postfix runs. The gateway's tests, the e2e tests and the benchmark all start a
 * gateway in front of the harness this way.
 */
export function gatewayEnv(
  server: Pick<MailServer, "host" | "imapPort" | "pop3Port" | "smtpPort">,
): Record<string, string> {
  return {
    PISMO_IMAP_HOST: server.host,
    PISMO_IMAP_PORT: String(server.imapPort),
    PISMO_IMAP_SECURITY: "none",
    PISMO_POP3_HOST: server.host,
    PISMO_POP3_PORT: String(server.pop3Port),
    PISMO_POP3_SECURITY: "none",
    ...(server.smtpPort !== undefined
      ? {
          PISMO_SMTP_HOST: server.host,
          PISMO_SMTP_PORT: String(server.smtpPort),
          PISMO_SMTP_SECURITY: "none",
        }
      : {}),
  };
}
