import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { mailErrorCodes } from "@pismo/protocol/errors";
import { en } from "@/i18n/en";
import { sr } from "@/i18n/sr";
import { createTranslator } from "@/i18n/translator";
import { GatewayError, describeError, errorCodeOf } from "./errors";
import { errorFromAnswer } from "./gateway-http";

const catalogs = { en, sr } as const;

describe("error messages", () => {
  // Iterates over the protocol's list: a code added there without a message here fails.
  for (const [language, catalog] of Object.entries(catalogs)) {
    it(`${language} has a specific message for every MailErrorCode, and for NETWORK`, () => {
      const messages = catalog.errors as Record<string, string | undefined>;
      for (const code of [...mailErrorCodes, "NETWORK"]) {
        expect(messages[code], `${language} errors.${code}`).toBeTruthy();
      }
    });
  }

  it("reads the code of a tRPC error, a gateway answer and a failed fetch", () => {
    expect(errorCodeOf({ data: { mailCode: "AUTH_FAILED" } })).toBe("AUTH_FAILED");
    expect(errorCodeOf(new GatewayError("QUOTA_EXCEEDED"))).toBe("QUOTA_EXCEEDED");
    expect(errorCodeOf(new TypeError("Failed to fetch"))).toBe("NETWORK");
    expect(errorCodeOf(new Error("?"))).toBe("INTERNAL");
  });

  it("reads a tRPC request the gateway never answered (its WebSocket closed) as NETWORK", () => {
    expect(errorCodeOf(TRPCClientError.from(new Error("WebSocket closed")))).toBe("NETWORK");
    const answered = TRPCClientError.from({
      error: { code: -32600, message: "no", data: { code: "BAD_REQUEST", mailCode: "BAD_INPUT" } },
    });
    expect(errorCodeOf(answered)).toBe("BAD_INPUT");
  });

  it("turns a gateway's failure answer into its code, whatever the body", () => {
    const refused = errorFromAnswer(
      502,
      JSON.stringify({ error: { code: "SERVER_REFUSED", message: "NO [OVERQUOTA]" } }),
    );
    expect([refused.code, refused.message]).toEqual(["SERVER_REFUSED", "NO [OVERQUOTA]"]);
    expect(errorFromAnswer(400, JSON.stringify({ code: "BAD_INPUT" })).code).toBe("BAD_INPUT");
    expect(errorFromAnswer(404, "<html>not found</html>").code).toBe("NOT_FOUND");
    expect(errorFromAnswer(500, "").code).toBe("INTERNAL");
  });

  it("says the catalog's message, with the server's words where they tell why", async () => {
    const i18n = createTranslator({
      query: "?lang=en",
      browser: [],
      storage: null,
      load: () => Promise.resolve(en),
    });
    await i18n.ready;
    const t = i18n.t;
    expect(describeError(new GatewayError("AUTH_FAILED", "no"), t)).toBe(en.errors.AUTH_FAILED);
    expect(describeError(new GatewayError("RECIPIENT_REFUSED", "550 no such user"), t)).toBe(
      `${en.errors.RECIPIENT_REFUSED} 550 no such user`,
    );
    expect(describeError("NOT_FOUND", t, { NOT_FOUND: "gone" })).toBe("gone");
    expect(describeError("BUSY", t)).toBe(en.errors.INTERNAL);
  });
});
