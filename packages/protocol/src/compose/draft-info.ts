// Which message a saved draft answers, written into the draft the way Roundcube writes it
// (`X-Draft-Info: type=reply; uid=123; folder=B::SU5CT1g=`), so that a reply finished later, on
// this device or another, still marks its original \Answered (RFC 9051 §2.3.2), and a
// Roundcube draft reopened here does too. Only drafts carry it: never a message sent.

import type { MessageRef } from "../schemas/mailbox";

export const DRAFT_INFO_FIELD = "X-Draft-Info";

/** The field's value for a draft answering `ref` (the folder in base64: any name, one line). */
export function draftInfoValue(ref: MessageRef): string {
  const folder = btoa(String.fromCharCode(...new TextEncoder().encode(ref.folder)));
  return `type=reply; uid=${ref.uid}; folder=B::${folder}`;
}

/** The message a draft answers, from its X-Draft-Info; null for none, a forward, or a bad value. */
export function answeringOfDraftInfo(value: string | null | undefined): MessageRef | null {
  if (!value || value.length > 2048) return null;
  const params = new Map<string, string>();
  for (const part of value.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  if (params.get("type") !== "reply") return null;
  const uid = Number(params.get("uid"));
  if (!Number.isSafeInteger(uid) || uid <= 0) return null;
  const raw = params.get("folder") ?? "";
  let folder = raw;
  if (raw.startsWith("B::")) {
    try {
      const bytes = Uint8Array.from(atob(raw.slice(3)), (c) => c.charCodeAt(0));
      folder = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return null;
    }
  }
  // eslint-disable-next-line no-control-regex
  if (folder === "" || folder.length > 1000 || /[\u0000-\u001f\u007f]/.test(folder)) return null;
  return { folder, uid };
}
