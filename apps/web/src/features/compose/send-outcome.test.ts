import { describe, expect, it, vi } from "vitest";
import type { Draft } from "@pismo/protocol/compose";
import { errorCodeOf, GatewayError } from "@/lib/errors";
import { connectionLost, sendAtOnce } from "./send-outcome";

// The send at once's steps against a client kept in memory; the real lost connection (gateway,
// Dovecot, Postfix, the page's socket cut) is in e2e/tests/undo-send.spec.ts.

/** What tRPC's client throws for a request whose socket closed before its answer. */
const lost = () => Object.assign(new Error("closed"), { name: "TRPCClientError" });
/** What it throws for the gateway's refusal. */
const refused = (mailCode: string) =>
  Object.assign(new Error(mailCode), { name: "TRPCClientError", data: { mailCode } });

type Outcome = { state: string; result: { messageId: string; raw: null; rejected: string[] } | null };

function fakeClient(steps: { sendLater: () => Promise<unknown>; outcomes: Array<() => Promise<Outcome>> }) {
  const asked: string[] = [];
  const client = {
    compose: {
      sendLater: {
        mutate: (input: { id: string; delaySeconds: number }) => {
          asked.push(`sendLater ${input.id} ${input.delaySeconds}`);
          return steps.sendLater();
        },
      },
      sendOutcome: {
        mutate: (input: { id: string }) => {
          asked.push(`sendOutcome ${input.id}`);
          const next = steps.outcomes.shift();
          return next ? next() : Promise.reject(lost());
        },
      },
    },
  };
  return { client: client as unknown as Parameters<typeof sendAtOnce>[0], asked };
}

const input = { id: "send-0123456789abcdef", draft: {} as Draft, draftUid: null, answering: null };
const sent: Outcome = { state: "sent", result: { messageId: "<m@x>", raw: null, rejected: [] } };

describe("send at once, named", () => {
  it("is a held send of no delay, and its outcome the answer", async () => {
    const { client, asked } = fakeClient({
      sendLater: () => Promise.resolve({ id: input.id, sendAt: 0 }),
      outcomes: [() => Promise.resolve(sent)],
    });
    await expect(sendAtOnce(client, input)).resolves.toEqual(sent.result);
    expect(asked).toEqual([`sendLater ${input.id} 0`, `sendOutcome ${input.id}`]);
  });

  it("asks again what became of it when the connection drops on the way, until the gateway answers", async () => {
    vi.useFakeTimers();
    try {
      const { client, asked } = fakeClient({
        sendLater: () => Promise.reject(lost()),
        outcomes: [() => Promise.reject(lost()), () => Promise.resolve(sent)],
      });
      const answer = sendAtOnce(client, input);
      await vi.advanceTimersByTimeAsync(1_000);
      await expect(answer).resolves.toEqual(sent.result);
      expect(asked).toEqual([
        `sendLater ${input.id} 0`,
        `sendOutcome ${input.id}`,
        `sendOutcome ${input.id}`,
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("says why when the gateway refuses it, and asks nothing more", async () => {
    const { client, asked } = fakeClient({
      sendLater: () => Promise.reject(refused("MESSAGE_TOO_LARGE")),
      outcomes: [],
    });
    const error: unknown = await sendAtOnce(client, input).catch((e: unknown) => e);
    expect(errorCodeOf(error)).toBe("MESSAGE_TOO_LARGE");
    expect(asked).toHaveLength(1);
  });

  it("fails with the delivery's own error, and leaves a send the gateway never heard of unknown", async () => {
    const failed = fakeClient({
      sendLater: () => Promise.resolve({ id: input.id, sendAt: 0 }),
      outcomes: [() => Promise.reject(refused("RECIPIENT_REFUSED"))],
    });
    expect(errorCodeOf(await sendAtOnce(failed.client, input).catch((e: unknown) => e))).toBe(
      "RECIPIENT_REFUSED",
    );
    const unknown = fakeClient({
      sendLater: () => Promise.reject(lost()),
      outcomes: [() => Promise.resolve({ state: "unknown", result: null })],
    });
    expect(errorCodeOf(await sendAtOnce(unknown.client, input).catch((e: unknown) => e))).toBe("NETWORK");
  });
});

describe("a lost connection, told from an answer", () => {
  it("is a request the gateway never answered or could not be reached for, not a refusal nor a full mailbox", () => {
    expect(connectionLost(lost())).toBe(true);
    expect(connectionLost(new TypeError("Failed to fetch"))).toBe(true);
    expect(connectionLost(new GatewayError("NETWORK", "The send's outcome is unknown"))).toBe(true);
    expect(connectionLost(refused("QUOTA_EXCEEDED"))).toBe(false);
    expect(connectionLost(refused("RECIPIENT_REFUSED"))).toBe(false);
  });
});
