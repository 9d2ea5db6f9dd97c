import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { connect as tlsConnect } from "node:tls";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawSocket } from "./raw-socket";
import { startMailServer, type MailServer } from "./server";

const ALICE = { name: "alice@pismo.test", password: "alice-pw" };
const BOB = { name: "bob@pismo.test", password: "bob-pw" };
const SIZE_LIMIT = 64 * 1024;

/** One SMTP reply (RFC 5321 §4.2): continuation lines "250-..." up to the last "250 ...". */
async function reply(socket: RawSocket): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  for (;;) {
    const line = await socket.readLine();
    lines.push(line);
    if (/^\d{3}(?: |$)/.test(line)) return { code: Number(line.slice(0, 3)), text: lines.join("\n") };
  }
}

async function command(socket: RawSocket, line: string): Promise<{ code: number; text: string }> {
  socket.write(`${line}\r\n`);
  return reply(socket);
}

async function session(server: MailServer, user?: { name: string; password: string }): Promise<RawSocket> {
  const socket = await RawSocket.connect(server.smtpPort ?? 0);
  expect((await reply(socket)).code).toBe(220);
  expect((await command(socket, "EHLO client.pismo.test")).code).toBe(250);
  if (user) {
    const plain = Buffer.from(`\0${user.name}\0${user.password}`).toString("base64");
    expect(await command(socket, `AUTH PLAIN ${plain}`)).toMatchObject({ code: 235 });
  }
  return socket;
}

/** DATA with dot-stuffing (RFC 5321 §4.5.2); returns the reply to the final dot. */
async function data(socket: RawSocket, message: string): Promise<{ code: number; text: string }> {
  expect((await command(socket, "DATA")).code).toBe(354);
  const body = message.replace(/\r?\n/g, "\r\n").replace(/^\./gm, "..");
  socket.write(`${body}${body.endsWith("\r\n") ? "" : "\r\n"}.\r\n`);
  return reply(socket);
}

function message(from: string, to: string, subject: string, body = "Hello over SMTP.\n"): string {
  return `From: ${from}\nTo: ${to}\nSubject: ${subject}\nMessage-ID: <${subject.replace(/\W/g, "")}@pismo.test>\n\n${body}`;
}

/** LMTP delivery happens after the SMTP reply, through qmgr: poll the mailbox. */
async function waitForSubject(server: MailServer, user: string, subject: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const out = await server.doveadm([
      "fetch",
      "-u",
      user,
      "text",
      "mailbox",
      "INBOX",
      "header",
      "Subject",
      subject,
    ]);
    if (out.includes(subject)) return out;
    if (Date.now() > deadline) throw new Error(`${subject} never reached ${user}`);
    await delay(50);
  }
}

function postfixMasterPid(server: MailServer): number | null {
  try {
    const out = execFileSync("pgrep", ["-f", `master -c ${server.dir}/postfix`])
      .toString()
      .trim();
    return out ? Number(out.split("\n")[0]) : null;
  } catch {
    return null;
  }
}

function processesInGroup(pgid: number): string {
  return execFileSync("ps", ["-eo", "pgid=,stat=,pid=,comm="])
    .toString()
    .split("\n")
    .filter((l) => {
      const [g, stat] = l.trim().split(/\s+/);
      return Number(g) === pgid && !stat?.startsWith("Z");
    })
    .join("\n");
}

describe("startMailServer({ smtp })", () => {
  let server: MailServer;

  beforeAll(async () => {
    const started = Date.now();
    server = await startMailServer({
      users: [ALICE, BOB],
      smtp: { messageSizeLimit: SIZE_LIMIT },
      tls: true,
    });
    const ms = Date.now() - started;
    console.log(`dovecot + postfix started in ${ms} ms`);
    expect(ms).toBeLessThan(2000);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("offers AUTH, the SIZE limit and STARTTLS on the submission port", async () => {
    expect(server.smtpPort).toBeGreaterThan(0);
    expect(server.smtpMessageSizeLimit).toBe(SIZE_LIMIT);
    const socket = await RawSocket.connect(server.smtpPort ?? 0);
    try {
      await reply(socket);
      const ehlo = (await command(socket, "EHLO client.pismo.test")).text.split("\n").map((l) => l.slice(4));
      expect(ehlo).toContain(`SIZE ${SIZE_LIMIT}`);
      expect(ehlo).toContain("STARTTLS");
      expect(ehlo.some((l) => /^AUTH .*PLAIN/.test(l))).toBe(true);
    } finally {
      socket.close();
    }
  });

  it("delivers alice's message to bob's INBOX through LMTP", async () => {
    const socket = await session(server, ALICE);
    try {
      expect((await command(socket, `MAIL FROM:<${ALICE.name}>`)).code).toBe(250);
      expect((await command(socket, `RCPT TO:<${BOB.name}>`)).code).toBe(250);
      expect(
        (await data(socket, message(ALICE.name, BOB.name, "Lunch today", "Noon?\n.dot line stays\n"))).code,
      ).toBe(250);
      await command(socket, "QUIT");
    } finally {
      socket.close();
    }
    const fetched = await waitForSubject(server, BOB.name, "Lunch today");
    expect(fetched).toContain(".dot line stays");
    expect(fetched).not.toContain("..dot");
  });

  it("refuses an unknown local recipient at RCPT time (550 5.1.1)", async () => {
    const socket = await session(server, ALICE);
    try {
      expect((await command(socket, `MAIL FROM:<${ALICE.name}>`)).code).toBe(250);
      const rcpt = await command(socket, "RCPT TO:<nobody@pismo.test>");
      expect(rcpt.code).toBe(550);
      expect(rcpt.text).toContain("5.1.1");
    } finally {
      socket.close();
    }
  });

  it("refuses a message over message_size_limit, declared (MAIL SIZE=) or not (552 5.3.4)", async () => {
    const socket = await session(server, ALICE);
    try {
      const declared = await command(socket, `MAIL FROM:<${ALICE.name}> SIZE=${SIZE_LIMIT + 1}`);
      expect(declared.code).toBe(552);
      expect(declared.text).toContain("5.3.4");
      // Postfix keeps the declared size of a refused MAIL until RSET.
      expect((await command(socket, "RSET")).code).toBe(250);
      expect((await command(socket, `MAIL FROM:<${ALICE.name}>`)).code).toBe(250);
      expect((await command(socket, `RCPT TO:<${BOB.name}>`)).code).toBe(250);
      const big = await data(
        socket,
        message(ALICE.name, BOB.name, "Too big", `${"x".repeat(998)}\n`.repeat(80)),
      );
      expect(big.code).toBe(552);
      expect(big.text).toContain("5.3.4");
    } finally {
      socket.close();
    }
  });

  it("needs AUTH, refuses a wrong password and a sender that is not the login", async () => {
    const anonymous = await session(server);
    try {
      expect((await command(anonymous, `MAIL FROM:<${ALICE.name}>`)).code).toBe(250);
      expect((await command(anonymous, `RCPT TO:<${BOB.name}>`)).code).toBe(553);
    } finally {
      anonymous.close();
    }
    const wrong = await session(server);
    try {
      const plain = Buffer.from(`\0${ALICE.name}\0wrong`).toString("base64");
      expect((await command(wrong, `AUTH PLAIN ${plain}`)).code).toBe(535);
    } finally {
      wrong.close();
    }
    const spoof = await session(server, ALICE);
    try {
      expect((await command(spoof, `MAIL FROM:<${BOB.name}>`)).code).toBe(250);
      const rcpt = await command(spoof, `RCPT TO:<${BOB.name}>`);
      expect(rcpt.code).toBe(553);
      expect(rcpt.text).toContain("not owned");
    } finally {
      spoof.close();
    }
  });

  it("accepts mail for a user added after the start", async () => {
    const carol = { name: "carol@pismo.test", password: "carol-pw" };
    await server.addUser(carol);
    const socket = await session(server, carol);
    try {
      expect((await command(socket, `MAIL FROM:<${carol.name}>`)).code).toBe(250);
      expect((await command(socket, `RCPT TO:<${carol.name}>`)).code).toBe(250);
      expect((await data(socket, message(carol.name, carol.name, "Note to self"))).code).toBe(250);
    } finally {
      socket.close();
    }
    await waitForSubject(server, carol.name, "Note to self");
    await expect(server.addUser({ name: "dave@elsewhere.test", password: "x" })).rejects.toThrow(
      /outside the SMTP domains/,
    );
  });

  it("greets on the implicit-TLS port with the harness certificate", async () => {
    const greeting = await new Promise<string>((resolve, reject) => {
      const socket = tlsConnect({
        host: "127.0.0.1",
        port: server.smtpsPort ?? 0,
        ca: server.tlsCert ?? "",
        servername: "localhost",
      });
      socket.once("data", (d: Buffer) => {
        socket.end("QUIT\r\n");
        resolve(d.toString());
      });
      socket.once("error", reject);
    });
    expect(greeting).toMatch(/^220 /);
  });

  it("stops: no Postfix process of this instance is left", async () => {
    const master = postfixMasterPid(server);
    expect(master).not.toBeNull();
    await server.stop();
    expect(processesInGroup(master ?? -1)).toBe("");
    expect(postfixMasterPid(server)).toBeNull();
    expect(existsSync(server.dir)).toBe(false);
  });
});
