import { describe, expect, it } from "vitest";
import { makeUsers, signInRaw, useStack } from "./helpers";

// `npm run dev` serves the UI from next dev on another port (README, Development): that page
// is another origin, so the browser asks the gateway first (CORS) before it sends the sign-in
// or reads any API answer. Only the origins the operator listed are answered so.
const DEV = "http://localhost:3001";

describe("the API for a page on an origin the operator listed (PISMO_ALLOWED_ORIGINS)", () => {
  const [user] = makeUsers(1);
  const stack = useStack({ env: { PISMO_ALLOWED_ORIGINS: DEV }, mail: { users: [user!] } });

  const preflight = (origin: string) =>
    fetch(`${stack.gateway.url}/api/session`, {
      method: "OPTIONS",
      headers: {
        Origin: origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
      },
    });

  it("answers the listed origin's preflight and its sign-in, with the cookie", async () => {
    const asked = await preflight(DEV);
    expect(asked.status).toBe(204);
    expect(asked.headers.get("access-control-allow-origin")).toBe(DEV);
    expect(asked.headers.get("access-control-allow-credentials")).toBe("true");
    expect(asked.headers.get("access-control-allow-methods")).toContain("POST");
    expect(asked.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("content-type");

    const res = await fetch(`${stack.gateway.url}/api/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: DEV },
      body: JSON.stringify({ protocol: "imap", email: user!.email, password: user!.password }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(DEV);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("set-cookie")).toMatch(/pismo_session=/);
  });

  it("answers no other origin so: no CORS headers, and its sign-in is refused as before", async () => {
    const asked = await preflight("https://evil.example");
    expect(asked.headers.get("access-control-allow-origin")).toBeNull();
    expect(asked.status).not.toBe(204);
    const refused = await signInRaw(
      stack,
      { protocol: "imap", email: user!.email, password: user!.password },
      { origin: "https://evil.example" },
    );
    expect(refused.status).toBe(403);
    expect(refused.cookie).toBeNull();
    // The gateway's own page needs none.
    const own = await fetch(`${stack.gateway.url}/api/session`, { headers: { Origin: stack.gateway.url } });
    expect(own.headers.get("access-control-allow-origin")).toBeNull();
  });
});
