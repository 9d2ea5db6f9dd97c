import http from "node:http";
import { describe, expect, it } from "vitest";
import { connectClient, makeUsers, signInRaw, useStack } from "./helpers";

// DNS rebinding: a page of evil.example whose name now points at the gateway is same-origin
// with itself (Origin and Host agree), so the gateway checks Host against the names it is
// reached by. And the optional __Host- cookie.

function request(
  url: string,
  opts: { method: string; path: string; host: string; origin: string; upgrade?: boolean; body?: string },
): Promise<{ status: number; setCookie: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${opts.path}`, {
      method: opts.method,
      headers: {
        Host: opts.host,
        Origin: opts.origin,
        ...(opts.upgrade
          ? {
              Connection: "Upgrade",
              Upgrade: "websocket",
              "Sec-WebSocket-Version": "13",
              "Sec-WebSocket-Key": Buffer.from("0123456789abcdef").toString("base64"),
            }
          : { "Content-Type": "application/json" }),
      },
    });
    req.on("upgrade", (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, setCookie: undefined });
    });
    req.on("response", (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, setCookie: res.headers["set-cookie"]?.[0] });
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

describe("Host is one of the gateway's own names", () => {
  const [user] = makeUsers(1);
  const stack = useStack({
    env: { PISMO_PUBLIC_ORIGIN: "https://mail.example.test" },
    mail: { users: [user!] },
  });

  it("refuses the WebSocket upgrade and sign-in under a rebound name", async () => {
    const port = new URL(stack.gateway.url).port;
    const evil = { host: `evil.example:${port}`, origin: `http://evil.example:${port}` };
    expect(
      (await request(stack.gateway.url, { method: "GET", path: "/trpc", upgrade: true, ...evil })).status,
    ).toBe(403);
    const body = JSON.stringify({ protocol: "imap", email: user!.email, password: user!.password });
    const signIn = await request(stack.gateway.url, { method: "POST", path: "/api/session", body, ...evil });
    expect(signIn.status).toBe(403);
    expect(signIn.setCookie).toBeUndefined();
    expect(stack.gateway.sessions.size).toBe(0);
  });

  it("accepts localhost, the loopback address and the public origin", async () => {
    const port = new URL(stack.gateway.url).port;
    for (const name of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      const r = await request(stack.gateway.url, {
        method: "GET",
        path: "/trpc",
        upgrade: true,
        host: name,
        origin: `http://${name}`,
      });
      expect(r.status).toBe(101);
    }
    const pub = await request(stack.gateway.url, {
      method: "GET",
      path: "/trpc",
      upgrade: true,
      host: "mail.example.test",
      origin: "https://mail.example.test",
    });
    expect(pub.status).toBe(101);
  });
});

describe("PISMO_COOKIE_HOST_PREFIX", () => {
  const [user] = makeUsers(1);
  const stack = useStack({ env: { PISMO_COOKIE_HOST_PREFIX: "true" }, mail: { users: [user!] } });

  it("sets a __Host- cookie, always Secure, and reads only that name", async () => {
    const res = await signInRaw(stack, { protocol: "imap", email: user!.email, password: user!.password });
    expect(res.status).toBe(200);
    expect(res.setCookie).toMatch(/^__Host-pismo_session=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}; /);
    expect(res.setCookie).toMatch(/; Secure/);
    expect(res.setCookie).toMatch(/Path=\//);
    expect(res.setCookie).not.toMatch(/Domain/i);
    const id = (res.cookie ?? "").split("=")[1] ?? "";
    const prefixed = connectClient(stack.gateway.url, `__Host-pismo_session=${id}`);
    const plain = connectClient(stack.gateway.url, `pismo_session=${id}`);
    try {
      expect(await prefixed.client.session.current.query()).toMatchObject({ email: user!.email });
      expect(await plain.client.session.current.query()).toBeNull();
    } finally {
      void prefixed.close();
      void plain.close();
    }
  });
});
