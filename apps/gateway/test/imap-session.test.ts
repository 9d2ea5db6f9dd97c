import net from "node:net";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectClient,
  imapConnections,
  makeUsers,
  signIn,
  signInFrom,
  signInRaw,
  signOut,
  startStack,
  waitUntil,
  type TestStack,
} from "./helpers";

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("IMAP sign-in and sessions against Dovecot", () => {
  let stack: TestStack;
  const users = makeUsers(12);
  const passwords = users.map((u) => u.password);
  let unreachablePort = 0;
  beforeAll(async () => {
    // Allowed explicitly (host:port): nothing listens there.
    unreachablePort = await closedPort();
    stack = await startStack({
      env: { PISMO_ALLOWED_HOSTS: `127.0.0.1,127.0.0.1:${unreachablePort}` },
      captureLog: "debug",
      mail: { users },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  let next = 0;
  async function user() {
    const u = users[next++];
    if (!u) throw new Error("not enough test users");
    return u;
  }

  it("signs in: an httpOnly SameSite=Strict cookie with a random id of at least 128 bits", async () => {
    const u = await user();
    const first = await signInRaw(stack, { protocol: "imap", email: u.email, password: u.password });
    expect(first.status).toBe(200);
    expect(first.body.account).toMatchObject({
      protocol: "imap",
      email: u.email,
      server: { host: "127.0.0.1", port: stack.mail.imapPort },
    });
    expect(first.setCookie).toMatch(/HttpOnly/);
    expect(first.setCookie).toMatch(/SameSite=Strict/);
    expect(first.setCookie).toMatch(/Path=\//);
    expect(first.setCookie).not.toMatch(/Secure/); // plain HTTP here
    // The session cookie itself is the httpOnly one; beside it a hint that holds no secret tells
    // the page a session may exist (so a page without it shows the form at once).
    expect(first.setCookie).toMatch(/^pismo_session=[^;,]+; Path=\/; HttpOnly; SameSite=Strict, /);
    expect(first.setCookie).toMatch(/, pismo_signed_in=1; Path=\/; SameSite=Strict$/);
    const id = (first.cookie ?? "").split("=")[1] ?? "";
    expect(Buffer.from(id, "base64url").length).toBeGreaterThanOrEqual(16);
    const second = await signInRaw(stack, { protocol: "imap", email: u.email, password: u.password });
    expect(second.cookie).not.toBe(first.cookie);
    expect(await imapConnections(stack.mail, u.email)).toBe(2);
  });

  it("refuses a wrong password with 401 AUTH_FAILED and a message that says so", async () => {
    const u = await user();
    const res = await signInRaw(stack, { protocol: "imap", email: u.email, password: "wrong-password" });
    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe("AUTH_FAILED");
    expect(res.body.error?.message).toMatch(/password/i);
    expect(res.cookie).toBeNull();
  });

  it("reports an unreachable server as SERVER_UNREACHABLE", async () => {
    const u = await user();
    const port = unreachablePort;
    const res = await signInRaw(stack, {
      protocol: "imap",
      email: u.email,
      password: u.password,
      server: { host: "127.0.0.1", port, security: "none" },
    });
    expect(res.status).toBe(502);
    expect(res.body.error?.code).toBe("SERVER_UNREACHABLE");
    expect(res.cookie).toBeNull();
  });

  it("refuses a host that is not allowed with 403 HOST_NOT_ALLOWED and opens no socket", async () => {
    const u = await user();
    let connections = 0;
    const trap = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => trap.listen(0, "127.0.0.1", resolve));
    try {
      const port = (trap.address() as net.AddressInfo).port;
      // "localhost" resolves to the trap, but only 127.0.0.1 is allowed.
      const res = await signInRaw(stack, {
        protocol: "imap",
        email: u.email,
        password: u.password,
        server: { host: "localhost", port, security: "none" },
      });
      expect(res.status).toBe(403);
      expect(res.body.error?.code).toBe("HOST_NOT_ALLOWED");
      const other = await signInRaw(stack, {
        protocol: "imap",
        email: u.email,
        password: u.password,
        server: { host: "mail.example.org", port, security: "none" },
      });
      expect(other.status).toBe(403);
      await new Promise((r) => setTimeout(r, 100));
      expect(connections).toBe(0);
    } finally {
      await new Promise<void>((resolve) => trap.close(() => resolve()));
    }
  });

  it("refuses a sign-in from a foreign Origin (and without one)", async () => {
    const u = await user();
    const foreign = await signInRaw(
      stack,
      { protocol: "imap", email: u.email, password: u.password },
      { origin: "https://evil.example" },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.cookie).toBeNull();
    const none = await signInRaw(
      stack,
      { protocol: "imap", email: u.email, password: u.password },
      { origin: null },
    );
    expect(none.status).toBe(403);
    expect(await imapConnections(stack.mail, u.email)).toBe(0);
  });

  it("rate-limits an account after 5 failed sign-ins with 429 RATE_LIMITED", async () => {
    const u = await user();
    for (let i = 0; i < 5; i++) {
      const res = await signInRaw(stack, { protocol: "imap", email: u.email, password: `wrong-${i}` });
      expect(res.status).toBe(401);
    }
    const limited = await signInRaw(stack, { protocol: "imap", email: u.email, password: u.password });
    expect(limited.status).toBe(429);
    expect(limited.body.error?.code).toBe("RATE_LIMITED");
    // Another account from the same address is not affected.
    const other = await user();
    expect(
      (await signInRaw(stack, { protocol: "imap", email: other.email, password: other.password })).status,
    ).toBe(200);
  });

  it("passes the browser's address to Dovecot with ID x-originating-ip", async () => {
    const u = await user();
    const res = await signInFrom(stack, "127.0.0.2", {
      protocol: "imap",
      email: u.email,
      password: u.password,
    });
    expect(res.status).toBe(200);
    // Dovecot honours x-originating-ip from login_trusted_networks: it logs and shows that address.
    let log = "";
    await waitUntil(
      async () => {
        log = await readFile(join(stack.mail.dir, "dovecot.log"), "utf8");
        return log
          .split("\n")
          .some((line) => line.includes(`user=<${u.email}>`) && line.includes("rip=127.0.0.2"));
      },
      10_000,
      () =>
        log
          .split("\n")
          .filter((l) => l.includes(u.email))
          .join("\n"),
    );
    const who = await stack.mail.doveadm(["who", "-1", u.email]);
    expect(who).toContain("127.0.0.2");
  });

  it("session.current returns the account with the cookie and null without", async () => {
    const u = await user();
    const cookie = await signIn(stack, u.email, u.password);
    const signedIn = connectClient(stack.gateway.url, cookie);
    const anonymous = connectClient(stack.gateway.url);
    try {
      expect(await signedIn.client.session.current.query()).toMatchObject({
        protocol: "imap",
        email: u.email,
      });
      expect(await anonymous.client.session.current.query()).toBeNull();
    } finally {
      void signedIn.close();
      void anonymous.close();
    }
  });

  it("DELETE /api/session closes the IMAP connection and clears the cookie", async () => {
    const u = await user();
    const cookie = await signIn(stack, u.email, u.password);
    expect(await imapConnections(stack.mail, u.email)).toBe(1);
    const res = await signOut(stack, cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(/pismo_session=;.*Max-Age=0/);
    expect(res.headers.get("set-cookie")).toMatch(/pismo_signed_in=;.*Max-Age=0/);
    await waitUntil(
      async () => (await imapConnections(stack.mail, u.email)) === 0,
      10_000,
      () => "IMAP connection still open",
    );
    const after = connectClient(stack.gateway.url, cookie);
    try {
      expect(await after.client.session.current.query()).toBeNull();
    } finally {
      void after.close();
    }
  });

  it("never logs a password", () => {
    expect(stack.logLines.length).toBeGreaterThan(0);
    const all = stack.logLines.join("\n");
    expect(all).toContain("session.sign_in_failed");
    for (const password of [...passwords, "wrong-password", "wrong-0"]) expect(all).not.toContain(password);
  });
});
