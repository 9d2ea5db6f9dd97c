import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUsers, signInRaw, startStack, type TestStack } from "./helpers";

// The gateway is no port scanner: only allowed host:port pairs are ever connected to, and
// whatever answers on an allowed port is never repeated back unless it is a mail greeting.

interface Listener {
  port: number;
  connections: number;
  close(): Promise<void>;
}

/** A TCP service that greets like OpenSSH does, and counts who connects. */
async function listen(greeting: string | null): Promise<Listener> {
  const sockets = new Set<net.Socket>();
  const state = { connections: 0 };
  const server = net.createServer((socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    if (greeting !== null) socket.write(greeting);
    socket.on("data", () => socket.end("Invalid SSH identification string.\r\n"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return state.connections;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("sign-in reaches only allowed host:port pairs and never echoes a non-mail banner", () => {
  let stack: TestStack;
  let ssh: Listener;
  let other: Listener;
  const [user] = makeUsers(1);
  beforeAll(async () => {
    ssh = await listen("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
    other = await listen(null);
    stack = await startStack({
      // 127.0.0.1 itself is the configured server (on Dovecot's ports); the SSH port is allowed
      // explicitly, as an operator might by mistake.
      env: { PISMO_ALLOWED_HOSTS: `127.0.0.1:${ssh.port}` },
      mail: { users: [user!] },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await ssh?.close();
    await other?.close();
  });

  it("refuses an allowed host on a port that is not allowed, without connecting", async () => {
    for (const protocol of ["imap", "pop3"] as const) {
      const res = await signInRaw(stack, {
        protocol,
        email: user!.email,
        password: user!.password,
        server: { host: "127.0.0.1", port: other.port, security: "none" },
      });
      expect(res.status).toBe(403);
      expect(res.body.error?.code).toBe("HOST_NOT_ALLOWED");
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(other.connections).toBe(0);
  });

  it("says 'not a mail server' for an SSH banner, without repeating it", async () => {
    const res = await signInRaw(stack, {
      protocol: "pop3",
      email: user!.email,
      password: user!.password,
      server: { host: "127.0.0.1", port: ssh.port, security: "none" },
    });
    expect(ssh.connections).toBeGreaterThan(0);
    expect(res.status).toBe(502);
    expect(res.body.error?.code).toBe("SERVER_REFUSED");
    expect(JSON.stringify(res.body)).not.toMatch(/SSH|OpenSSH|Debian/i);
  });

  it("never repeats an SSH banner at IMAP sign-in either", async () => {
    const res = await signInRaw(stack, {
      protocol: "imap",
      email: user!.email,
      password: user!.password,
      server: { host: "127.0.0.1", port: ssh.port, security: "none" },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(res.body)).not.toMatch(/SSH|OpenSSH|Debian/i);
  });
});
