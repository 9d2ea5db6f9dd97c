"use client";

import { skipToken, useQuery } from "@tanstack/react-query";
import type { Folder } from "@pismo/protocol/schemas";
import { buildMessageDocument } from "@pismo/protocol/html";
import { sanitizeMailHtml } from "@/lib/sanitizer";
import { useTRPC } from "@/trpc/client";
import { linkNeedsCheck } from "../shared/link-check";
import { senderWarningsOf } from "../shared/sender-trust";
import { ImapMessageView } from "./imap-message-view";

/**
 * The first message shown would pay for creating the HTML policy, for the sender checks'
 * first look at the public suffix list, and for compiling both: done once on a message of
 * our own while the browser is idle after the first rows.
 */
export function warmReading(): void {
  const html = '<p>Pismo <a href="https://example.com/">example.com</a></p>';
  const result = sanitizeMailHtml(html, {
    allowRemote: false,
    resolveCid: () => null,
    rewriteLink: (text, href) => {
      linkNeedsCheck(text, href);
      return null;
    },
  });
  buildMessageDocument(result.html, { allowRemote: false });
  senderWarningsOf(
    {
      from: { name: "Pismo", address: "pismo@example.com" },
      replyTo: [{ name: "", address: "reply@example.org" }],
      to: [],
      cc: [],
    },
    null,
    null,
  );
}

/**
 * The open message, with its neighbours in the list rendered out of sight once their text is
 * in the cache (fetched ahead by the open one): their HTML is sanitized and framed already, so
 * the next message with j (or the previous with k) only changes which one is shown.
 */
export function ImapReadingPane({
  folder,
  uid,
  neighbours,
  folders,
  onClose,
}: {
  folder: string;
  uid: number;
  neighbours: { prev: number | null; next: number | null };
  folders: Folder[];
  onClose: () => void;
}) {
  const prev = useCachedNeighbour(folder, neighbours.prev);
  const next = useCachedNeighbour(folder, neighbours.next);
  // In UID order: the views that stay from one message to the next keep their order, so React
  // never moves one (moving an iframe in the document reloads it).
  const shown = [...(prev ? [prev] : []), uid, ...(next ? [next] : [])].sort((a, b) => a - b);
  return (
    <>
      {shown.map((u) => (
        <ImapMessageView
          key={`${folder}/${u}`}
          folder={folder}
          uid={u}
          neighbours={u === uid ? neighbours : { prev: null, next: null }}
          folders={folders}
          onClose={onClose}
          standby={u !== uid}
        />
      ))}
    </>
  );
}

/** The neighbour's UID once its text is cached; this asks the server nothing itself. */
function useCachedNeighbour(folder: string, uid: number | null): number | null {
  const trpc = useTRPC();
  const cached = useQuery({
    ...trpc.imap.open.queryOptions(uid === null ? skipToken : { folder, uid, peek: true }),
    enabled: false,
    staleTime: 10 * 60_000,
  });
  return uid !== null && cached.data ? uid : null;
}
