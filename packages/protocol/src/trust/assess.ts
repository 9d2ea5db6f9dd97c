// One call for a reading view: the server's verdict on the sender and the warnings about
// the sender, from the message's header fields. Where the server wrote no verdict, the
// caller asks the gateway to check the signature itself and fills `verdict` from that.

import type { HeaderField } from "./header-fields";
import { senderVerdict } from "./sender-verdict";
import type { SenderVerdict } from "./sender-verdict";
import { senderWarnings } from "./sender-warnings";
import type { NamedAddress, SenderWarning } from "./sender-warnings";

export interface SenderAssessment {
  /** The server's verdict, or null when it wrote none (then Pismo may check it itself). */
  verdict: SenderVerdict | null;
  warnings: SenderWarning[];
}

export interface AssessOptions {
  /** PISMO_AUTHSERV_ID (comma-separated ids allowed), or null to learn it from the topmost field. */
  authservId: string | readonly string[] | null;
  /** The reader's contacts, one entry per address. */
  contacts: readonly NamedAddress[];
}

export function assessSender(headers: readonly HeaderField[], options: AssessOptions): SenderAssessment {
  const verdict = senderVerdict(headers, { authservId: options.authservId });
  const verifiedDomain = verdict?.status === "verified" ? (verdict.domain ?? null) : null;
  return { verdict, warnings: senderWarnings(headers, { contacts: options.contacts, verifiedDomain }) };
}
