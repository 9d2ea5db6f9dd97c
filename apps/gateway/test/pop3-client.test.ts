import { createHash } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Pop3Client } from "../src/pop3/client";
import type { Pop3ClientOptions } from "../src/pop3/client";
import { Pop3Error } from "../src/pop3/errors";
import { makeSelfSignedCert, startFakePop3Server } from "./fixtures/fake-pop3-server";
import type { FakePop3Options, FakePop3Server } from "./fixtures/fake-pop3-server";

const win1250 = Buffer.concat([
  Buffer.from("From: =?windows-1250?Q?Sa=9Aa?= <sasa@example.rs>\r\nSubject: test\r\n"),
  Buffer.from("Content-Type: text/plain; charset=windows-1250\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"),
  Buffer.from([0x8a, 0x74, 0x61, 0x20, 0x9a, 0x61, 0x20, 0xe8, 0xe6, 0xf0, 0x9e, 0x0d, 0x0a]), // "Šta ša čćđž"
  Buffer.from(".starts with a dot\r\n..two dots\r\n.\r\nend\r\n"),
]);
const plain = Buffer.from("From: b@example.rs\r\nSubject: two\r\n\r\nhello\r\n");

const servers: FakePop3Server[] = [];
const clients: Pop3Client[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
});

async function server(options: FakePop3Options = {}): Promise<FakePop3Server> {
  const s = await startFakePop3Server({ messages: [win1250, plain], ...options });
  servers.push(s);
  return s;
}

async function connect(s: FakePop3Server, extra: Partial<Pop3ClientOptions> = {}): Promise<Pop3Client> {
  const c = await Pop3Client.connect({
    host: s.host,
    port: s.port,
    security: "none",
    timeoutMs: 2000,
    ...extra,
  });
  clients.push(c);
  return c;
}

describe("Pop3Client against a hostile fake server", () => {
  it("retrieves byte-exact with the answers split at every byte index", async () => {
    const s = await server();
    const c = await connect(s);
    await c.login("ana", "tajna");
    // The RETR answer is "+OK n octets\r\n" + stuffed body + ".\r\n": about 300 bytes.
    const answerLength = 20 + win1250.length + 10;
    for (let at = 1; at < answerLength; at += 1) {
      s.split = { at };
      const got = await c.retr(1);
      expect(got.equals(win1250), `split at ${at}`).toBe(true);
    }
    s.split = "whole";
    await c.quit();
    expect(s.violations).toEqual([]);
  });

  it("works when every answer comes one byte at a time", async () => {
    const s = await server({ split: "bytes" });
    const c = await connect(s);
    expect(c.capabilities.has("UIDL")).toBe(true);
    await c.login("ana", "tajna");
    expect(await c.stat()).toEqual({ count: 2, size: win1250.length + plain.length });
    expect(await c.list()).toEqual([
      { msgNo: 1, size: win1250.length },
      { msgNo: 2, size: plain.length },
    ]);
    expect(await c.uidl()).toEqual([
      { msgNo: 1, uid: "uid-1-x" },
      { msgNo: 2, uid: "uid-2-x" },
    ]);
    expect(await c.uidlOne(2)).toEqual({ msgNo: 2, uid: "uid-2-x" });
    expect(await c.listOne(1)).toEqual({ msgNo: 1, size: win1250.length });
    const progress: number[] = [];
    const got = await c.retr(1, { onProgress: (n) => progress.push(n) });
    expect(got.equals(win1250)).toBe(true);
    expect(progress.at(-1)).toBe(win1250.length);
    expect(progress.length).toBeGreaterThan(10);
    await c.quit();
    expect(s.violations).toEqual([]);
  });

  it("queues concurrent calls: one command on the wire at a time, answers not mixed", async () => {
    const s = await server({ split: { every: 7 } });
    const c = await connect(s);
    await c.login("ana", "tajna");
    const [a, b, u, l, n] = await Promise.all([c.retr(1), c.retr(2), c.uidl(), c.list(), c.noop()]);
    expect(a.equals(win1250)).toBe(true);
    expect(b.equals(plain)).toBe(true);
    expect(u).toHaveLength(2);
    expect(l).toHaveLength(2);
    expect(n).toBeUndefined();
    expect(s.violations).toEqual([]);
    await c.quit();
  });

  it("streams RETR without collecting, and TOP returns headers plus n lines", async () => {
    const s = await server({ split: { every: 3 } });
    const c = await connect(s);
    await c.login("ana", "tajna");
    const parts: Buffer[] = [];
    const total = await c.retrStream(1, (chunk) => parts.push(Buffer.from(chunk)));
    expect(total).toBe(win1250.length);
    expect(Buffer.concat(parts).equals(win1250)).toBe(true);
    const top = await c.top(1, 0);
    expect(top.toString("latin1")).toBe(win1250.toString("latin1").split("\r\n\r\n")[0] + "\r\n\r\n");
    const top2 = await c.top(1, 2);
    expect(top2.subarray(top.length).toString("latin1")).toBe(
      Buffer.concat([
        Buffer.from([0x8a, 0x74, 0x61, 0x20, 0x9a, 0x61, 0x20, 0xe8, 0xe6, 0xf0, 0x9e, 0x0d, 0x0a]),
        Buffer.from(".starts with a dot\r\n"),
      ]).toString("latin1"),
    );
    await c.quit();
  });

  it("a failed PASS rejects with AUTH_FAILED and ends the session", async () => {
    const s = await server();
    const c = await connect(s);
    const error = await c.login("ana", "wrong-secret").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3Error);
    expect(error).toMatchObject({ code: "AUTH_FAILED", command: "PASS", respCode: "AUTH" });
    expect((error as Error).message).not.toContain("wrong-secret");
    expect(c.closed).toBe(true);
    await expect(c.stat()).rejects.toBeInstanceOf(Pop3Error);
    await expect.poll(() => s.openSockets).toBe(0);
  });

  it("maps -ERR [IN-USE] at PASS to a temporary SERVER_REFUSED", async () => {
    const s = await server({ inUse: true });
    const c = await connect(s);
    await expect(c.login("ana", "tajna")).rejects.toMatchObject({
      code: "SERVER_REFUSED",
      temporary: true,
      respCode: "IN-USE",
    });
    expect(c.closed).toBe(true);
  });

  it("a stalled command rejects with TIMEOUT, rejects the queued ones and closes the socket", async () => {
    const s = await server({ stallOn: "RETR" });
    const c = await connect(s, { timeoutMs: 300 });
    await c.login("ana", "tajna");
    const started = Date.now();
    const results = await Promise.allSettled([c.retr(1), c.noop()]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(results[0]).toMatchObject({ status: "rejected", reason: { code: "TIMEOUT", command: "RETR" } });
    expect(results[1]).toMatchObject({ status: "rejected", reason: { code: "TIMEOUT" } });
    expect(c.closed).toBe(true);
    await expect.poll(() => s.openSockets).toBe(0);
  });

  it("a stall in the middle of a body also times out (data resets the timer, silence does not)", async () => {
    const s = await server();
    const c = await connect(s, { timeoutMs: 300 });
    await c.login("ana", "tajna");
    // Mid-body stall: the status line and part of the body arrive, then nothing.
    s.truncate = { verb: "RETR", bytes: 60 };
    const seen: number[] = [];
    const p = c.retr(1, { onProgress: (n) => seen.push(n) });
    await expect(p).rejects.toMatchObject({ code: "TIMEOUT", command: "RETR" });
    expect(seen.length).toBeGreaterThan(0);
    expect(c.closed).toBe(true);
  });

  it("a server that drops the connection mid-answer rejects with SERVER_UNREACHABLE", async () => {
    const s = await server({ truncate: { verb: "RETR", bytes: 60 } });
    const c = await connect(s);
    await c.login("ana", "tajna");
    let received = 0;
    const p = c.retr(1, { onProgress: (n) => (received = n) });
    await expect.poll(() => received).toBeGreaterThan(0);
    await s.close();
    await expect(p).rejects.toMatchObject({ code: "SERVER_UNREACHABLE" });
    expect(c.closed).toBe(true);
  });

  it("a refused connection rejects with SERVER_UNREACHABLE", async () => {
    const s = await server();
    const port = s.port;
    await s.close();
    servers.length = 0;
    await expect(Pop3Client.connect({ host: "127.0.0.1", port, security: "none" })).rejects.toMatchObject({
      code: "SERVER_UNREACHABLE",
    });
  });

  it("DELE then a dropped connection deletes nothing; DELE then QUIT deletes", async () => {
    const s = await server();
    const c1 = await connect(s);
    await c1.login("ana", "tajna");
    await c1.dele(1);
    c1.close();
    await expect.poll(() => s.openSockets).toBe(0);
    expect(s.messages.filter((m) => m !== null)).toHaveLength(2);

    const c2 = await connect(s);
    await c2.login("ana", "tajna");
    await c2.dele(1);
    await c2.rset();
    await c2.dele(2);
    await c2.quit();
    expect(c2.closed).toBe(true);
    expect(s.messages[0]).not.toBeNull();
    expect(s.messages[1]).toBeNull();
  });

  it("rejects bad arguments without sending them", async () => {
    const s = await server();
    const c = await connect(s);
    await expect(c.login("ana\r\nDELE 1", "x")).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect(s.commands.some((line) => line.startsWith("DELE"))).toBe(false);
  });

  it("works with a server that has no CAPA", async () => {
    const s = await server({ noCapa: true, split: "bytes" });
    const c = await connect(s);
    expect(c.capabilities.size).toBe(0);
    await c.login("ana", "tajna");
    expect((await c.retr(2)).equals(plain)).toBe(true);
    await c.quit();
  });

  it("signs in with APOP when the greeting offers a timestamp", async () => {
    const s = await server({ greeting: "ready <1896.697170952@dbc.mtview.ca.us>" });
    const c = await connect(s);
    // The fake server does not implement APOP: it must be refused as a sign-in failure.
    await expect(c.login("ana", "tajna", { method: "apop" })).rejects.toMatchObject({
      code: "AUTH_FAILED",
      command: "APOP",
    });
    // RFC 1939 section 7: MD5 of the timestamp followed by the shared secret.
    const digest = createHash("md5").update("<1896.697170952@dbc.mtview.ca.us>tajna").digest("hex");
    expect(s.commands).toContain(`APOP ana ${digest}`);
    expect(s.commands.join("\n")).not.toContain("tajna");
  });
});

describe("Pop3Client TLS", () => {
  let cert: { key: string; cert: string };
  let tlsOptions: { ca: string };
  beforeAll(async () => {
    cert = await makeSelfSignedCert();
    tlsOptions = { ca: cert.cert };
  });

  it("upgrades with STLS before signing in, and re-reads CAPA", async () => {
    const s = await server({ tls: cert, split: { every: 5 } });
    const c = await connect(s, { security: "starttls", tls: tlsOptions });
    expect(c.secure).toBe(true);
    expect(c.capabilities.has("STLS")).toBe(false); // the CAPA from after the handshake
    await c.login("ana", "tajna");
    expect((await c.retr(1)).equals(win1250)).toBe(true);
    await c.quit();
    const stls = s.commands.indexOf("STLS");
    const user = s.commands.findIndex((line) => line.startsWith("USER"));
    expect(stls).toBeGreaterThan(-1);
    expect(user).toBeGreaterThan(stls);
  });

  it("starttls refuses a server without STLS instead of sending the password in clear", async () => {
    const s = await server();
    await expect(
      Pop3Client.connect({ host: s.host, port: s.port, security: "starttls" }),
    ).rejects.toMatchObject({
      code: "TLS_FAILED",
    });
    expect(s.commands.some((line) => line.startsWith("USER") || line.startsWith("PASS"))).toBe(false);
  });

  it("rejects plaintext injected after the STLS +OK", async () => {
    const s = await server({ tls: cert, injectAfterStls: "+OK injected\r\n" });
    await expect(
      Pop3Client.connect({ host: s.host, port: s.port, security: "starttls", tls: tlsOptions }),
    ).rejects.toBeInstanceOf(Pop3Error);
  });

  it("an untrusted certificate fails with TLS_FAILED", async () => {
    const s = await server({ tls: cert });
    await expect(
      Pop3Client.connect({ host: s.host, port: s.port, security: "starttls" }),
    ).rejects.toMatchObject({
      code: "TLS_FAILED",
    });
  });

  it("speaks implicit TLS (port 995 style)", async () => {
    const s = await server({ tls: cert, implicitTls: true, split: { every: 11 } });
    const c = await connect(s, { security: "tls", tls: tlsOptions });
    expect(c.secure).toBe(true);
    await c.login("ana", "tajna");
    expect((await c.retr(1)).equals(win1250)).toBe(true);
    await c.quit();
  });

  it("implicit TLS against a plain server fails with TLS_FAILED or TIMEOUT, never hangs", async () => {
    const s = await server();
    await expect(
      Pop3Client.connect({
        host: s.host,
        port: s.port,
        security: "tls",
        tls: tlsOptions,
        connectTimeoutMs: 1000,
      }),
    ).rejects.toBeInstanceOf(Pop3Error);
  });
});
