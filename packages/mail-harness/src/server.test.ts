import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imapCommand, pop3MultiLine, RawSocket } from "./raw-socket";
import { buildMessage } from "./seed/mime";
import { startMailServer, type MailServer } from "./server";

const ALICE = { name: "alice@pismo.test", password: "alice-pw", quotaBytes: 200 * 1024 * 1024 };
const BOB = { name: "bob@pismo.test", password: "bob-pw" };

async function imapLogin(server: MailServer, user: { name: string; password: string }): Promise<RawSocket> {
  const socket = await RawSocket.connect(server.imapPort);
  expect(await socket.readLine()).toMatch(/^\* OK/);
  const login = await imapCommand(socket, `LOGIN "${user.name}" "${user.password}"`);
  expect(login.status).toMatch(/ OK/);
  return socket;
}

async function pop3Login(server: MailServer, user: { name: string; password: string }): Promise<RawSocket> {
  const socket = await RawSocket.connect(server.pop3Port);
  expect(await socket.readLine()).toMatch(/^\+OK/);
  socket.write(`USER ${user.name}\r\n`);
  expect(await socket.readLine()).toMatch(/^\+OK/);
  socket.write(`PASS ${user.password}\r\n`);
  expect(await socket.readLine()).toMatch(/^\+OK/);
  return socket;
}

async function pop3Stat(socket: RawSocket): Promise<number> {
  socket.write("STAT\r\n");
  const stat = await socket.readLine();
  expect(stat).toMatch(/^\+OK \d+ \d+/);
  return Number(stat.split(" ")[1]);
}

/** Processes in the master's process group (Dovecot's children never leave it). */
function dovecotProcessesFor(server: MailServer): string {
  let out = "";
  try {
    out = execFileSync("pgrep", ["-af", server.configPath]).toString();
  } catch {
    // pgrep exits 1 when nothing matches
  }
  return out.trim();
}

describe("startMailServer", () => {
  let server: MailServer;
  const started = Date.now();

  beforeAll(async () => {
    server = await startMailServer({ users: [ALICE, BOB], rawlog: true });
    console.log(`dovecot started in ${Date.now() - started} ms`);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("greets and advertises IDLE, QUOTA and SPECIAL-USE after LOGIN", async () => {
    const socket = await imapLogin(server, ALICE);
    try {
      const caps = await imapCommand(socket, "CAPABILITY");
      const line = caps.untagged.find((l) => l.startsWith("* CAPABILITY")) ?? "";
      for (const cap of ["IDLE", "QUOTA", "SPECIAL-USE", "CONDSTORE", "MOVE"])
        expect(line.split(" ")).toContain(cap);
      const quota = await imapCommand(socket, "GETQUOTAROOT INBOX");
      expect(quota.untagged.join("\n")).toContain(`STORAGE 0 ${ALICE.quotaBytes / 1024}`);
      const list = await imapCommand(socket, 'LIST "" "*"');
      const text = list.untagged.join("\n");
      for (const use of ["\\Sent", "\\Drafts", "\\Trash", "\\Junk", "\\Archive"]) expect(text).toContain(use);
    } finally {
      socket.close();
    }
  });

  it("rejects a wrong password without slowing the next login (auth penalty off)", async () => {
    const socket = await RawSocket.connect(server.imapPort);
    await socket.readLine();
    const bad = await imapCommand(socket, `LOGIN "${ALICE.name}" "wrong"`);
    expect(bad.status).toMatch(/ NO /);
    socket.close();
    const t = Date.now();
    (await imapLogin(server, ALICE)).close();
    expect(Date.now() - t).toBeLessThan(1000);
  });

  it("seeds 500 messages that Dovecot counts, with UTF-8 folder names", async () => {
    const report = await server.seed(ALICE.name, { count: 500, seed: 7 });
    expect(report.count).toBe(500);
    expect(Object.values(report.perFolder).reduce((a, b) => a + b, 0)).toBe(500);
    const status = await server.doveadm([
      "-f",
      "tab",
      "mailbox",
      "status",
      "-u",
      ALICE.name,
      "messages",
      "*",
    ]);
    const counts = new Map(
      status
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => {
          const [name, n] = l.split("\t");
          return [name, Number(n)] as const;
        }),
    );
    for (const [folder, n] of Object.entries(report.perFolder)) expect(counts.get(folder)).toBe(n);
    const inbox = await server.doveadm(["mailbox", "status", "-u", ALICE.name, "messages", "INBOX"]);
    expect(inbox.trim()).toBe(`INBOX messages=${report.perFolder.INBOX}`);

    const socket = await imapLogin(server, ALICE);
    try {
      const list = await imapCommand(socket, 'LIST "" "*"');
      // Modified UTF-7 on the wire (RFC 3501), i.e. "Računi/2026".
      expect(
        list.untagged.some((l) => l.endsWith('"Ra&AQ0-uni/2026"') || l.endsWith("Ra&AQ0-uni/2026")),
      ).toBe(true);
      const select = await imapCommand(socket, 'SELECT "Ra&AQ0-uni/2026"');
      expect(select.untagged).toContain(`* ${report.perFolder["Računi/2026"]} EXISTS`);
    } finally {
      socket.close();
    }
  });

  it("serves POP3: STAT counts the INBOX and RETR of a windows-1250 message is byte-exact", async () => {
    await server.seed(BOB.name, { count: 0, folders: { INBOX: 40 }, seed: 3 });
    let socket = await pop3Login(server, BOB);
    expect(await pop3Stat(socket)).toBe(40);
    socket.write("QUIT\r\n");
    socket.close();

    const raw = buildMessage({
      from: { name: "Đorđe Šćekić", address: "djordje@primer.rs" },
      to: BOB.name,
      subject: "Čestitka – žuti šešir",
      text: "Ćao! Čačak, Šabac, Đakovica, Žabalj.\n.tačka na početku reda\n",
      charset: "windows-1250",
      transferEncoding: "8bit",
    });
    expect(iconv.decode(Buffer.from(raw), "windows-1250")).toContain("Čačak, Šabac, Đakovica, Žabalj");
    await server.deliver(BOB.name, raw);

    socket = await pop3Login(server, BOB);
    try {
      expect(await pop3Stat(socket)).toBe(41);
      socket.write("RETR 41\r\n");
      const { status, body } = await pop3MultiLine(socket);
      expect(status).toMatch(/^\+OK/);
      expect(body.equals(Buffer.from(raw))).toBe(true);
    } finally {
      socket.write("QUIT\r\n");
      socket.close();
    }
  });

  it("delivers into a folder with flags and a given INTERNALDATE", async () => {
    const date = new Date(Date.UTC(2025, 4, 6, 7, 8, 9));
    await server.deliver(ALICE.name, "From: a@b.test\r\nSubject: flagged\r\n\r\nhi\r\n", {
      folder: "Projekti",
      flags: ["\\Seen", "\\Flagged"],
      date,
    });
    const socket = await imapLogin(server, ALICE);
    try {
      await imapCommand(socket, "SELECT Projekti");
      const fetch = await imapCommand(socket, "FETCH 1 (FLAGS INTERNALDATE)");
      expect(fetch.untagged[0]).toContain("\\Flagged");
      expect(fetch.untagged[0]).toContain("\\Seen");
      expect(fetch.untagged[0]).toContain('"06-May-2025 07:08:09 +0000"');
    } finally {
      socket.close();
    }
  });

  it("saves through Dovecot: the full-text index has the message when save returns, not one written past it", async () => {
    const lookup = (word: string) =>
      server.doveadm(["fts", "lookup", "-u", BOB.name, "mailbox", "Beleške", "body", word]);
    await server.save(BOB.name, "From: a@b.test\r\nSubject: through\r\n\r\nsacuvanakvokka\r\n", {
      folder: "Beleške",
    });
    expect(await lookup("sacuvanakvokka")).toMatch(/: \d+\s*$/);
    await server.deliver(BOB.name, "From: a@b.test\r\nSubject: past\r\n\r\nprolaznikvokka\r\n", {
      folder: "Beleške",
    });
    expect(await lookup("prolaznikvokka")).toMatch(/no results/);
    expect(await server.doveadm(["mailbox", "status", "-u", BOB.name, "messages", "Beleške"])).toContain(
      "messages=2",
    );
  });

  it("pushes a delivered message to a client in IDLE within about a second", async () => {
    const socket = await imapLogin(server, ALICE);
    try {
      const select = await imapCommand(socket, "SELECT INBOX");
      const exists = Number(
        /^\* (\d+) EXISTS/.exec(select.untagged.find((l) => l.endsWith(" EXISTS")) ?? "")?.[1],
      );
      socket.write("I1 IDLE\r\n");
      expect(await socket.readLine()).toMatch(/^\+ /);
      const t = Date.now();
      await server.deliver(
        ALICE.name,
        buildMessage({ from: "x@y.test", to: ALICE.name, subject: "push", text: "now" }),
      );
      let line = "";
      while (!line.endsWith(" EXISTS")) line = await socket.readLine(3000);
      const latency = Date.now() - t;
      console.log(`IDLE push latency ${latency} ms`);
      expect(line).toBe(`* ${exists + 1} EXISTS`);
      expect(latency).toBeLessThan(1500);
      socket.write("DONE\r\n");
    } finally {
      socket.close();
    }
  });

  it("adds a user while running and marks a created folder special-use", async () => {
    const carol = { name: "carol@pismo.test", password: "c", quotaBytes: 1024 * 1024 };
    await server.addUser(carol);
    await server.createFolder(carol.name, "Stara pošta", "\\Archive");
    const socket = await imapLogin(server, carol);
    try {
      const list = await imapCommand(socket, 'LIST "" "Stara po&AWE-ta"');
      expect(list.untagged[0]).toContain("\\Archive");
      const quota = await imapCommand(socket, "GETQUOTAROOT INBOX");
      expect(quota.untagged.join("\n")).toContain("STORAGE 0 1024");
    } finally {
      socket.close();
    }
  });

  it("writes rawlogs of IMAP sessions", () => {
    const files = readdirSync(join(server.dir, "rawlog", ALICE.name));
    expect(files.some((f) => f.endsWith(".in"))).toBe(true);
  });

  it("stops: no Dovecot process of this instance is left and the directory is gone", async () => {
    expect(dovecotProcessesFor(server)).not.toBe("");
    await server.stop();
    expect(dovecotProcessesFor(server)).toBe("");
    expect(existsSync(server.dir)).toBe(false);
    await server.stop(); // idempotent
  });
});
