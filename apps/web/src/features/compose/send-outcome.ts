"use client";

import type { QueryClient } from "@tanstack/react-query";
import type { Draft } from "@pismo/protocol/compose";
import type { SendResult } from "@pismo/protocol/router";
import type { TFunction } from "@/i18n/translate";
import { errorCodeOf, GatewayError } from "@/lib/errors";
import type { useTRPC, useTRPCClient } from "@/trpc/client";

type Client = ReturnType<typeof useTRPCClient>;

/**
 * A message went out (at once or after its Undo delay): the user is told so, or which
 * recipients the server refused, or that the server kept no copy in Sent (the draft stays), and
 * the lists that now hold it (Sent, its conversation, the counts) are asked again.
 */
export function afterSent(
  { rejected, sentCopyFailed }: Pick<SendResult, "rejected" | "sentCopyFailed">,
  say: (text: string, tone?: "info" | "error") => void,
  t: TFunction,
  qc: QueryClient,
  trpc: ReturnType<typeof useTRPC>,
): void {
  if (rejected.length) say(t("compose.partlyRejected", { list: rejected.join(", ") }), "error");
  else say(t("compose.sent"));
  if (sentCopyFailed)
    say(
      t(sentCopyFailed === "draft-kept" ? "compose.sentCopyKeptDraft" : "compose.sentCopyNotKept"),
      "error",
    );
  void qc.invalidateQueries(trpc.imap.list.pathFilter());
  void qc.invalidateQueries(trpc.imap.conversations.pathFilter());
  void qc.invalidateQueries(trpc.imap.folders.queryFilter());
}

/**
 * The one test of "the connection was lost on the way" (a dropped WebSocket, the gateway
 * unreachable): such a failure is worth trying again, and a send it cut may have gone out. An
 * answer (a refusal, a full mailbox) is neither.
 */
export function connectionLost(error: unknown): boolean {
  return errorCodeOf(error) === "NETWORK";
}

/**
 * `ask`, asked again while the gateway cannot answer (a dropped WebSocket): up to `times` more,
 * `delayMs` apart. An answer from the gateway ends it, and so does `giveUp()` turning true.
 */
export async function withRetries<T>(
  ask: () => Promise<T>,
  { times, delayMs, giveUp = () => false }: { times: number; delayMs: number; giveUp?: () => boolean },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ask();
    } catch (error) {
      if (!connectionLost(error) || attempt >= times || giveUp()) throw error;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

/**
 * Send with no Undo delay: the gateway's held send with a delay of 0, named by the page before
 * it asks (`id`), and then its outcome. If the connection drops on the way, the page asks the
 * gateway again what became of that send once it is back, and learns that it went out (or why
 * it failed) instead of only that it may have. A send the gateway never heard of (the request
 * lost before it arrived, or asked of another gateway) stays unknown here: a NETWORK error, for
 * the form's "it may have gone out".
 */
export async function sendAtOnce(
  client: Client,
  input: {
    id: string;
    draft: Draft;
    draftUid: number | null;
    answering: { folder: string; uid: number } | null;
  },
): Promise<SendResult> {
  try {
    await client.compose.sendLater.mutate({ ...input, delaySeconds: 0 });
  } catch (error) {
    // Refused (a bad address, too large, over the bounds): the form says why.
    if (!connectionLost(error)) throw error;
  }
  const answer = await withRetries(() => client.compose.sendOutcome.mutate({ id: input.id }), {
    times: 20,
    delayMs: 1000,
  });
  if (answer.state === "sent" && answer.result) return answer.result;
  throw new GatewayError("NETWORK", `The send's outcome is ${answer.state}`);
}
