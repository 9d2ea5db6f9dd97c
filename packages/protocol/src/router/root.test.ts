import { describe, expect, it } from "vitest";
import { MailError } from "../errors";
import { createCaller } from "./root";
import type { GatewayPorts } from "./ports";

function portsWith(probe: GatewayPorts["server"]["probe"]): GatewayPorts {
  return {
    server: {
      defaults: () => ({ imap: null, pop3: null, allowedHosts: [] }),
      probe,
    },
  };
}

describe("server router", () => {
  it("passes a probe through the port and validates its output", async () => {
    const caller = createCaller({
      session: null,
      ports: portsWith(async (protocol) => ({
        protocol,
        endpoint: { host: "127.0.0.1", port: 143, security: "none" },
        greeting: "* OK ready",
        capabilities: ["IMAP4rev1", "IDLE"],
        latencyMs: 1,
      })),
    });
    const result = await caller.server.probe("imap");
    expect(result.capabilities).toContain("IDLE");
  });

  it("rejects an unknown protocol before reaching the port", async () => {
    let called = false;
    const caller = createCaller({
      session: null,
      ports: portsWith(async () => {
        called = true;
        throw new Error("unreachable");
      }),
    });
    // @ts-expect-error: deliberately bad input
    await expect(caller.server.probe("smtp")).rejects.toThrow();
    expect(called).toBe(false);
  });

  it("keeps the MailError code as the cause", async () => {
    const caller = createCaller({
      session: null,
      ports: portsWith(async () => {
        throw new MailError("SERVER_UNREACHABLE", "connect ECONNREFUSED");
      }),
    });
    await expect(caller.server.probe("pop3")).rejects.toMatchObject({
      cause: { code: "SERVER_UNREACHABLE" },
    });
  });
});
