import { MailError, isMailError } from "@pismo/protocol/errors";
import { toMailError } from "../mail-errors";
import { classifyTransportError, type TransportFailure } from "../transport-errors";

interface SmtpErrorLike {
  code?: unknown;
  message?: unknown;
  response?: unknown;
  responseCode?: unknown;
  command?: unknown;
  rejected?: unknown;
}

const smtpTransportMessage: Record<TransportFailure, (detail: string) => string> = {
  SERVER_UNREACHABLE: (detail) => `Cannot reach the SMTP server (${detail})`,
  TIMEOUT: () => "The SMTP server did not answer in time",
  TLS_FAILED: (detail) => `Secure connection to the SMTP server failed (${detail})`,
};

/**
 * nodemailer's errors (code, responseCode, enhanced status code in the response) to the
 * protocol's codes; socket and TLS failures are classified as for every protocol
 * (../transport-errors), anything else goes through the gateway's general mapping.
 */
export function toSmtpError(error: unknown): MailError {
  if (isMailError(error)) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as SmtpErrorLike;
  const code = typeof e.code === "string" ? e.code : "";
  const message = (typeof e.message === "string" ? e.message : String(error)).trim();
  const response = typeof e.response === "string" ? e.response : "";
  const status = typeof e.responseCode === "number" ? e.responseCode : 0;
  // Enhanced status code (RFC 3463), e.g. "550 5.1.1 <x@y>: Recipient address rejected".
  const enhanced = /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(response)?.[1] ?? "";
  const serverText = response.replace(/^\d{3}[ -](\d\.\d{1,3}\.\d{1,3} )?/, "");

  // 552 is "exceeded storage allocation" (RFC 5321), X.3.4 "message too big for system" (RFC 3463).
  if (
    status === 552 ||
    enhanced.endsWith(".3.4") ||
    (code === "EMESSAGE" && /size larger than allowed/i.test(message))
  ) {
    return new MailError(
      "MESSAGE_TOO_LARGE",
      `The server refused the message as too large${serverText ? `: ${serverText}` : ""}`,
      { cause: error },
    );
  }
  if (code === "EAUTH")
    return new MailError("AUTH_FAILED", "The SMTP server rejected the address or password", { cause: error });
  if (code === "EENVELOPE") {
    // Postfix delays a refused sender to RCPT time (smtpd_delay_reject): not the recipient's fault.
    if (e.command === "MAIL FROM" || /sender address rejected/i.test(response)) {
      return new MailError(
        "SERVER_REFUSED",
        `The server refused the sender${serverText ? `: ${serverText}` : ""}`,
        { cause: error },
      );
    }
    if (e.command === "RCPT TO" || enhanced.startsWith("5.1.") || status === 550) {
      const rejected = Array.isArray(e.rejected) ? e.rejected.map(String) : [];
      const named =
        rejected.length > 0 ? rejected.join(", ") : (/<([^>]+)>/.exec(response)?.[1] ?? "a recipient");
      return new MailError(
        "RECIPIENT_REFUSED",
        `The server refused ${named}${serverText ? `: ${serverText}` : ""}`,
        { cause: error },
      );
    }
    return new MailError(
      "SERVER_REFUSED",
      `The server refused the message${serverText ? `: ${serverText}` : ""}`,
      { cause: error },
    );
  }
  const transport = classifyTransportError(error);
  if (transport) return new MailError(transport, smtpTransportMessage[transport](message), { cause: error });
  if (code === "EMESSAGE" || code === "EPROTOCOL" || status >= 400) {
    return new MailError(
      "SERVER_REFUSED",
      `The server refused the message${serverText ? `: ${serverText}` : `: ${message}`}`,
      { cause: error },
    );
  }
  return toMailError(error);
}
