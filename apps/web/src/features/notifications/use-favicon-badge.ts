"use client";

import { useEffect } from "react";
import { badgedIconSvg, svgDataUrl } from "./favicon-badge";

/** Puts the Inbox's unread count on the tab's icon; the plain icon comes back on unmount. */
export function useFaviconBadge(unread: number): void {
  useEffect(() => {
    const links = [...document.querySelectorAll<HTMLLinkElement>('link[rel~="icon"]')];
    let link = links[0];
    if (!link) {
      link = document.createElement("link");
      link.rel = "icon";
      document.head.append(link);
    }
    const original = { href: link.getAttribute("href"), type: link.getAttribute("type") };
    // Only one icon link may remain, or the browser may keep showing another one.
    for (const other of links.slice(1)) other.remove();
    link.type = "image/svg+xml";
    link.href = svgDataUrl(badgedIconSvg(unread));
    link.dataset.unread = String(Math.max(0, unread));
    const current = link;
    return () => {
      if (original.href) current.setAttribute("href", original.href);
      if (original.type) current.setAttribute("type", original.type);
      delete current.dataset.unread;
    };
  }, [unread]);
}
