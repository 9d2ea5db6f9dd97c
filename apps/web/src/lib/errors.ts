import type { TFunction } from "@/i18n/translate";
import { isMailErrorCode, type MailErrorCode } from "@pismo/protocol/errors";

/** The protocol's codes, and NETWORK: the gateway itself could not be reached. */
export type UiErrorCode = MailErrorCode | "NETWORK";

/**
 * A failure of one of the gateway's HTTP routes (sign-in, upload, a part's bytes): the code
 * from its `{ error: { code, message } }` answer, so it reads like a tRPC failure.
 */
export class GatewayError extends Error {
  override readonly name = "GatewayError";
  constructor(
    readonly code: UiErrorCode,
    message: string = code,
  ) {
    super(message);
  }
}

/** Reads the protocol's error code from a tRPC error, a GatewayError or a network failure. */
export function errorCodeOf(error: unknown): UiErrorCode {
  if (typeof error === "object" && error !== null) {
    const data = (error as { data?: { mailCode?: unknown } }).data;
    if (isMailErrorCode(data?.mailCode)) return data.mailCode;
    const code = (error as { code?: unknown }).code;
    if (isMailErrorCode(code) || code === "NETWORK") return code;
    if (error instanceof TypeError) return "NETWORK";
    // A tRPC request the gateway never answered (its WebSocket closed on the way): no `data`.
    if ((error as { name?: unknown }).name === "TRPCClientError" && !(error as { data?: unknown }).data)
      return "NETWORK";
  }
  return "INTERNAL";
}

/** Codes whose message is better with the server's own words after it (which recipient, why). */
const withServerWords: ReadonlySet<string> = new Set(["SERVER_REFUSED", "RECIPIENT_REFUSED"]);

/**
 * The one way a failure becomes words for the user: the catalog's message for its code, with
 * the server's reason where that helps. `error` may be a thrown error or a code already read;
 * `overrides` lets a place say something more specific for a code it knows more about.
 */
export function describeError(
  error: unknown,
  t: TFunction,
  overrides: Partial<Record<string, string>> = {},
): string {
  const code = typeof error === "string" ? error : errorCodeOf(error);
  const override = overrides[code];
  if (override !== undefined) return override;
  const text = t(`errors.${code}`, { defaultValue: t("errors.INTERNAL") });
  if (withServerWords.has(code) && error instanceof Error && error.message && error.message !== code)
    return `${text} ${error.message}`;
  return text;
}
