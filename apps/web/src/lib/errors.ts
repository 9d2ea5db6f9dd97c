import { isMailErrorCode, type MailErrorCode } from "@pismo/protocol/errors";

export type UiErrorCode = MailErrorCode | "NETWORK";

/** Reads the protocol's error code from a tRPC error or an HTTP error body. */
export function errorCodeOf(error: unknown): UiErrorCode {
  if (typeof error === "object" && error !== null) {
    const data = (error as { data?: { mailCode?: unknown } }).data;
    if (isMailErrorCode(data?.mailCode)) return data.mailCode;
    const code = (error as { code?: unknown }).code;
    if (isMailErrorCode(code)) return code;
    if (error instanceof TypeError) return "NETWORK";
  }
  return "INTERNAL";
}
