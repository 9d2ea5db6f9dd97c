import type { SenderVerdict } from "@pismo/protocol/trust";

/**
 * The list row's mark: only a verified or a failed sender is marked; not-verified stays quiet.
 * Apart from sender-trust.tsx so that the list does not load the trust checks (their public
 * suffix list is most of their weight) before a message is opened.
 */
export function senderMark(verdict: SenderVerdict | null | undefined): "verified" | "failed" | null {
  if (verdict?.status === "verified") return "verified";
  if (verdict?.status === "failed") return "failed";
  return null;
}
