"use client";

import { useEffect, useRef } from "react";

/** A click on a notification shown by the service worker (where the page cannot show one):
 * the worker focuses this tab and passes the message to open. */
export function useNotificationClicks(open: (id: string) => void): void {
  const latest = useRef(open);
  useEffect(() => {
    latest.current = open;
  });
  useEffect(() => {
    const sw = typeof navigator === "undefined" ? undefined : navigator.serviceWorker;
    if (!sw) return;
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: unknown; target?: { id?: unknown } } | null;
      if (data?.type === "OPEN_MESSAGE" && typeof data.target?.id === "string")
        latest.current(data.target.id);
    };
    sw.addEventListener("message", onMessage);
    return () => sw.removeEventListener("message", onMessage);
  }, []);
}
