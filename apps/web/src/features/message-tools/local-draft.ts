import type { LocalCopy } from "../compose/local-copy";

/**
 * The copy of an unsent message kept in this browser, when it is worth offering back: a
 * copy with nothing written in it (no address, subject, text or attachment) is not.
 */
export function offerableCopy(copy: LocalCopy | null): LocalCopy | null {
  if (!copy || typeof copy.fields !== "object") return null;
  const f = copy.fields;
  const written = [f.to, f.cc, f.bcc, f.subject, f.text].some(
    (v) => typeof v === "string" && v.trim() !== "",
  );
  const attached = Array.isArray(f.attachments) && f.attachments.length > 0;
  return written || attached ? copy : null;
}
