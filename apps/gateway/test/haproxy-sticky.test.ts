import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePorts, startHaproxy, type ServiceProcess } from "@pismo/mail-harness";

// The shipped deploy/haproxy.cfg in front of two stand-ins for gateways, which say who they
// are and set a session cookie at sign-in, as a gateway does: a signed-in browser's requests
// must all reach one gateway (a file uploaded over HTTP is where the socket that sends it is),
// whichever name the cookie has (__Host- on HTTPS, PISMO_COOKIE_HOST_PREFIX=true).

const config = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../deploy/haproxy.cfg");

function standIn(name: string, cookie: () => string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === "/healthz") return res.end("ok");
    if (req.method === "POST" && req.url === "/api/session")
      res.setHeader("Set-Cookie", `${cookie()}; Path=/; HttpOnly; SameSite=Lax`);
    res.end(name);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("the shipped HAProxy config keeps a signed-in browser on one gateway", () => {
  let cookieName = "pismo_session";
  let serial = 0;
  const servers: Server[] = [];
  let haproxy: ServiceProcess | undefined;
  let url = "";

  beforeAll(async () => {
    const setCookie = () => `${cookieName}=sid${++serial}-${Date.now()}.k3y-that-unseals-the-password`;
    servers.push(await standIn("gw1", setCookie), await standIn("gw2", setCookie));
    const [port] = await findFreePorts(1);
    if (port === undefined) throw new Error("no free port");
    const env: Record<string, string> = { PISMO_LB_BIND: `127.0.0.1:${port}`, PISMO_LB_MAXCONN: "100" };
    servers.forEach(
      (s, i) => (env[`PISMO_GATEWAY_${i + 1}`] = `127.0.0.1:${(s.address() as AddressInfo).port}`),
    );
    haproxy = await startHaproxy(config, env, port);
    url = `http://127.0.0.1:${port}`;
    // Both marked up by their health checks (one good check, 1 s apart).
    const seen = new Set<string>();
    for (let i = 0; i < 100 && seen.size < 2; i++) {
      seen.add(await (await fetch(`${url}/`)).text());
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toEqual(new Set(["gw1", "gw2"]));
  }, 30_000);
  afterAll(async () => {
    await haproxy?.stop();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  for (const name of ["pismo_session", "__Host-pismo_session"]) {
    it(`by the ${name} cookie: from the sign-in that set it, and from a first request`, async () => {
      cookieName = name;
      const signIn = await fetch(`${url}/api/session`, { method: "POST" });
      const signedInBy = await signIn.text();
      const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      expect(cookie.startsWith(`${name}=`)).toBe(true);
      const reached = async (c: string) =>
        Promise.all(
          Array.from({ length: 8 }, async () =>
            (await fetch(`${url}/trpc`, { headers: { Cookie: c } })).text(),
          ),
        );
      // Least connections alone sends the next requests to both.
      expect(new Set(await reached(cookie))).toEqual(new Set([signedInBy]));
      // A session the balancer has not seen (signed in before it started): where its first
      // request went, the rest go.
      const other = `${name}=unseen${Date.now()}.another-key`;
      const first = await (await fetch(`${url}/trpc`, { headers: { Cookie: other } })).text();
      expect(new Set(await reached(other))).toEqual(new Set([first]));
    });
  }
});
