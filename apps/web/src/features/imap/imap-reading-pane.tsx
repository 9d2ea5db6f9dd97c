"use client";

import { skipToken, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { afterPaint } from "@/lib/after-shown";
import type { Folder } from "@pismo/protocol/schemas";
import { buildMessageDocument } from "@pismo/protocol/html";
import { formatFullDate } from "@pismo/protocol/format";
import { sanitizeMailHtml } from "@/lib/sanitizer";
import { useTRPC } from "@/trpc/client";
import { linkNeedsCheck } from "../shared/link-check";
import { senderWarningsOf } from "../shared/sender-trust";
import { ImapMessageView } from "./imap-message-view";

/**
 * The first message shown would pay for creating the HTML policy, for the sender checks'
 * first look at the public suffix list, for its date's formatter (a first Intl formatter costs
 * ~10 ms) and for compiling them: done once on a message of our own while the browser is idle
 * after the first rows.
 */
export function warmReading(locale: string): void {
  formatFullDate(new Date().toISOString(), locale);
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
 *
 * Views that stop being shown (a click on a message further away) are hidden at once and taken
 * off the page only after the new message has been painted: removing three views' DOM is
 * work the click's frame need not wait for.
 */
export function ImapReadingPane({
  folder,
  uid,
  neighbours,
  folders,
  onClose,
  onRemoved,
}: {
  folder: string;
  uid: number;
  neighbours: { prev: number | null; next: number | null };
  folders: Folder[];
  onClose: () => void;
  /** The open message was deleted, archived, moved or reported as spam from its toolbar. */
  onRemoved: () => void;
}) {
  const prev = useCachedNeighbour(folder, neighbours.prev);
  const next = useCachedNeighbour(folder, neighbours.next);
  const shown = [...(prev ? [prev] : []), uid, ...(next ? [next] : [])].map((u) => `${folder}/${u}`);
  const leaving = useLeaving(shown);
  // In UID order: the views that stay from one message to the next keep their order, so React
  // never moves one (moving an iframe in the document reloads it).
  const views = [...shown, ...leaving].map(viewOf).sort((a, b) => a.uid - b.uid);
  return (
    <>
      {views.map((v) => (
        <ImapMessageView
          key={v.key}
          folder={v.folder}
          uid={v.uid}
          neighbours={v.uid === uid && v.folder === folder ? neighbours : NO_NEIGHBOURS}
          folders={folders}
          onClose={onClose}
          onRemoved={onRemoved}
          standby={v.uid !== uid || v.folder !== folder}
        />
      ))}
    </>
  );
}

const NO_NEIGHBOURS = { prev: null, next: null };

function viewOf(key: string): { key: string; folder: string; uid: number } {
  const at = key.lastIndexOf("/");
  return { key, folder: key.slice(0, at), uid: Number(key.slice(at + 1)) };
}

/**
 * The views shown at the previous render and not now: kept (hidden) until the frame that
 * shows the new ones has been painted, then dropped. Worked out while rendering (the state
 * of the previous render, set again at once), so that the render that shows the new message
 * removes nothing.
 */
function useLeaving(shown: string[]): string[] {
  const [views, setViews] = useState({ shown, leaving: [] as string[] });
  let { leaving } = views;
  if (views.shown.join("\n") !== shown.join("\n")) {
    leaving = [...new Set([...views.leaving, ...views.shown])].filter((k) => !shown.includes(k));
    setViews({ shown, leaving });
  }
  useEffect(() => {
    if (views.leaving.length === 0) return;
    return afterPaint(() => setViews((now) => (now === views ? { shown: now.shown, leaving: [] } : now)));
  }, [views]);
  return leaving;
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
