import { startMailServer } from "@pismo/mail-harness";
import type { MailServer } from "@pismo/mail-harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pop3Client } from "../src/pop3/client";
import type { Pop3ClientOptions } from "../src/pop3/client";

// The real server (the mail server is never mocked in integration tests): Dovecot 2.3.

const win1250 = Buffer.concat([
  Buffer.from("From: =?windows-1250?Q?Sa=9Aa_=8Eiva=E8?= <sasa@primer.rs>\r\nTo: pop@pismo.test\r\n"),
  Buffer.from("Subject: =?windows-1250?Q?Ra=E8un?=\r\nMessage-ID: <w1250@primer.rs>\r\n"),
  Buffer.from("Content-Type: text/plain; charset=windows-1250\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"),
  Buffer.from([
    0x8a, 0x74, 0x61, 0x20, 0x9a, 0x61, 0x20, 0xe8, 0xe6, 0xf0, 0x9e, 0x20, 0x8e, 0xc8, 0xc6, 0xd0, 0x0d,
    0x0a,
  ]),
  Buffer.from("Pozdrav,\r\n"),
  Buffer.from([0x8a, 0x61, 0x9a, 0x61, 0x0d, 0x0a]),
]);

const dots = Buffer.from(
  [
    "From: dots@primer.rs",
    "To: pop@pismo.test",
    "Subject: dots",
    "Message-ID: <dots@primer.rs>",
    "",
    ".one dot",
    "..two dots",
    ".",
    "...",
    ". space",
    "end",
    "",
  ].join("\r\n"),
);

function big(n: number): Buffer {
  const lines = ["From: big@primer.rs", "Subject: big", "", ""].join("\r\n");
  const body: string[] = [];
  let length = 0;
  for (let i = 0; length < n; i += 1) {
    const line = i % 3 === 0 ? `.line ${i} ${"x".repeat(70)}\r\n` : `line ${i} ${"y".repeat(70)}\r\n`;
    body.push(line);
    length += line.length;
  }
  return Buffer.from(lines + body.join(""));
}

let mail: MailServer;
const users = [
  { name: "pop@pismo.test", password: "s3cret-Pass" },
  { name: "dele@pismo.test", password: "s3cret-Pass" },
  { name: "tls@pismo.test", password: "s3cret-Pass" },
];

beforeAll(async () => {
  mail = await startMailServer({ users, tls: true });
});

afterAll(async () => {
  await mail?.stop();
});

async function open(user: string, extra: Partial<Pop3ClientOptions> = {}): Promise<Pop3Client> {
  const client = await Pop3Client.connect({
    host: mail.host,
    port: mail.pop3Port,
    security: "none",
    timeoutMs: 10_000,
    ...extra,
  });
  await client.login(user, "s3cret-Pass");
  return client;
}

describe("Pop3Client against Dovecot", () => {
  it("RETR is byte-exact for 8-bit windows-1250 and dot lines; UIDL is stable", async () => {
    const large = big(2 * 1024 * 1024);
    await mail.deliver("pop@pismo.test", win1250);
    await mail.deliver("pop@pismo.test", dots);
    await mail.deliver("pop@pismo.test", large);

    const c = await open("pop@pismo.test");
    expect(c.capabilities.has("UIDL")).toBe(true);
    expect(c.capabilities.has("TOP")).toBe(true);
    expect(c.capabilities.has("RESP-CODES")).toBe(true);
    const uidl1 = await c.uidl();
    expect(uidl1).toHaveLength(3);
    const list = await c.list();
    expect(list.map((e) => e.size)).toEqual([win1250.length, dots.length, large.length]);
    expect((await c.retr(1)).equals(win1250)).toBe(true);
    expect((await c.retr(2)).equals(dots)).toBe(true);
    let last = 0;
    const got = await c.retr(3, { onProgress: (n) => (last = n) });
    expect(got.equals(large)).toBe(true);
    expect(last).toBe(large.length);
    const top = await c.top(2, 1);
    expect(top.toString("latin1")).toBe(
      dots.toString("latin1").split("\r\n\r\n")[0] + "\r\n\r\n.one dot\r\n",
    );
    expect(await c.uidlOne(2)).toEqual(uidl1[1]);
    await c.quit();

    const again = await open("pop@pismo.test");
    expect(await again.uidl()).toEqual(uidl1);
    await again.quit();
  });

  it("a wrong password rejects with AUTH_FAILED and closes the session", async () => {
    const c = await Pop3Client.connect({ host: mail.host, port: mail.pop3Port, security: "none" });
    await expect(c.login("pop@pismo.test", "wrong")).rejects.toMatchObject({ code: "AUTH_FAILED" });
    expect(c.closed).toBe(true);
  });

  it("DELE then a dropped connection deletes nothing; DELE then QUIT deletes", async () => {
    await mail.deliver("dele@pismo.test", Buffer.from("Subject: a\r\n\r\na\r\n"));
    await mail.deliver("dele@pismo.test", Buffer.from("Subject: b\r\n\r\nb\r\n"));
    const c1 = await open("dele@pismo.test");
    const before = await c1.uidl();
    await c1.dele(1);
    await c1.dele(2);
    c1.close(); // no QUIT: the server never enters the UPDATE state

    const c2 = await open("dele@pismo.test");
    expect(await c2.uidl()).toEqual(before);
    await c2.dele(1);
    await c2.quit();

    const c3 = await open("dele@pismo.test");
    const after = await c3.uidl();
    expect(after.map((e) => e.uid)).toEqual([before[1]?.uid]);
    await c3.quit();
  });

  it("STLS on the plain port and implicit TLS on the pop3s port", async () => {
    await mail.deliver("tls@pismo.test", win1250);
    const tls = { ca: mail.tlsCert ?? "", servername: "localhost" };
    const s = await open("tls@pismo.test", { security: "starttls", tls });
    expect(s.secure).toBe(true);
    expect((await s.retr(1)).equals(win1250)).toBe(true);
    await s.quit();
    const i = await open("tls@pismo.test", { security: "tls", port: mail.pop3sPort ?? 0, tls });
    expect(i.secure).toBe(true);
    expect((await i.retr(1)).equals(win1250)).toBe(true);
    await i.quit();
  });
});
