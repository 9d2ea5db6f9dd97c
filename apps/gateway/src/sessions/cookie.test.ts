// When the session cookie (and its signed-in hint) is marked Secure.

import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { sessionCookieHeader, signedInHintHeader } from "./cookie";

function request(headers: Record<string, string>, encrypted = false): IncomingMessage {
  return { headers, socket: { encrypted } } as unknown as IncomingMessage;
}

const secure = (header: string) => header.split("; ").includes("Secure");

describe("sessionCookieHeader", () => {
  it("plain HTTP with no public origin (trying it on the LAN): not Secure", () => {
    const req = request({ host: "192.168.1.10:3000" });
    expect(secure(sessionCookieHeader(req, "a".repeat(40)))).toBe(false);
  });

  it("TLS on the socket, or X-Forwarded-Proto: https: Secure", () => {
    expect(secure(sessionCookieHeader(request({ host: "mail.example.com" }, true), "a".repeat(40)))).toBe(
      true,
    );
    const proxied = request({ host: "mail.example.com", "x-forwarded-proto": "https" });
    expect(secure(sessionCookieHeader(proxied, "a".repeat(40)))).toBe(true);
  });

  it("behind a TLS proxy that sends no X-Forwarded-Proto, an https public origin makes it Secure", () => {
    const opts = { publicOrigins: ["https://mail.example.com"] };
    const req = request({ host: "mail.example.com" });
    expect(secure(sessionCookieHeader(req, "a".repeat(40), opts))).toBe(true);
    expect(secure(signedInHintHeader(req, true, opts))).toBe(true);
    // Cleared the same way, so the browser accepts the clearing.
    expect(secure(sessionCookieHeader(req, null, opts))).toBe(true);
    // A proxy that passes its own Host (the gateway's address) changes nothing.
    expect(secure(sessionCookieHeader(request({ host: "127.0.0.1:3000" }), "a".repeat(40), opts))).toBe(true);
  });

  it("a name listed with http:// beside an https one stays plain", () => {
    const opts = { publicOrigins: ["https://mail.example.com", "http://mail.lan:3000"] };
    expect(secure(sessionCookieHeader(request({ host: "mail.lan:3000" }), "a".repeat(40), opts))).toBe(false);
    expect(secure(sessionCookieHeader(request({ host: "mail.example.com" }), "a".repeat(40), opts))).toBe(
      true,
    );
  });

  it("a development origin allowed with http:// (PISMO_ALLOWED_ORIGINS) stays plain", () => {
    const opts = {
      publicOrigins: ["https://mail.example.com"],
      allowedOrigins: ["https://mail.example.com", "http://192.168.1.5:3000"],
    };
    expect(secure(sessionCookieHeader(request({ host: "192.168.1.5:3000" }), "a".repeat(40), opts))).toBe(
      false,
    );
    expect(secure(sessionCookieHeader(request({ host: "proxy.internal" }), "a".repeat(40), opts))).toBe(true);
  });

  it("the __Host- prefix is always Secure", () => {
    const header = sessionCookieHeader(request({ host: "localhost:3000" }), "a".repeat(40), {
      hostPrefix: true,
    });
    expect(header.startsWith("__Host-pismo_session=")).toBe(true);
    expect(secure(header)).toBe(true);
  });
});
