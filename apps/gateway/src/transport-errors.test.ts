import { describe, expect, it } from "vitest";
import { classifyTransportError } from "./transport-errors";

function err(code: string | undefined, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code }, extra);
}

describe("classifyTransportError", () => {
  it("names refused, unresolvable and dropped connections SERVER_UNREACHABLE", () => {
    expect(classifyTransportError(err("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:1"))).toBe(
      "SERVER_UNREACHABLE",
    );
    expect(classifyTransportError(err("ENOTFOUND", "getaddrinfo ENOTFOUND mail.invalid"))).toBe(
      "SERVER_UNREACHABLE",
    );
    expect(classifyTransportError(err("NoConnection", "Connection not available"))).toBe(
      "SERVER_UNREACHABLE",
    );
    // A reset during the handshake is still a dropped connection, whatever the message says.
    expect(
      classifyTransportError(err("ECONNRESET", "socket disconnected before secure TLS connection")),
    ).toBe("SERVER_UNREACHABLE");
  });

  it("names Node's, imapflow's and nodemailer's timeouts TIMEOUT", () => {
    for (const code of ["ETIMEDOUT", "ETIMEOUT", "GreetingTimeout", "SocketTimeout"])
      expect(classifyTransportError(err(code, "timed out"))).toBe("TIMEOUT");
  });

  it("names certificate and handshake failures TLS_FAILED, also behind nodemailer's wrapper codes", () => {
    expect(classifyTransportError(err("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate"))).toBe(
      "TLS_FAILED",
    );
    expect(classifyTransportError(err("ERR_SSL_WRONG_VERSION_NUMBER", "wrong version number"))).toBe(
      "TLS_FAILED",
    );
    expect(classifyTransportError(err("ETLS", "Error initiating TLS"))).toBe("TLS_FAILED");
    expect(classifyTransportError(err("ESOCKET", "self-signed certificate"))).toBe("TLS_FAILED");
    expect(classifyTransportError(err("ESOCKET", "connect ECONNREFUSED 127.0.0.1:1"))).toBe(
      "SERVER_UNREACHABLE",
    );
    expect(classifyTransportError(err(undefined, "Server does not support STARTTLS"))).toBe("TLS_FAILED");
  });

  it("leaves a server's answer and anything else to the protocol", () => {
    expect(
      classifyTransportError(
        err("EPROTOCOL", "Unexpected Response", {
          response: "530 5.7.0 Must issue a STARTTLS command first",
        }),
      ),
    ).toBeNull();
    expect(
      classifyTransportError(
        err(undefined, "Command failed", { responseStatus: "NO", responseText: "TLS required" }),
      ),
    ).toBeNull();
    expect(classifyTransportError(new Error("boom"))).toBeNull();
    expect(classifyTransportError("not an error")).toBeNull();
  });
});
