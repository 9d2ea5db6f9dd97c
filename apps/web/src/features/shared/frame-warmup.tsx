"use client";

import { useEffect, useState } from "react";
import { MESSAGE_IFRAME_SANDBOX } from "@pismo/protocol/html";
import { whenIdle } from "@/lib/when-idle";

/**
 * Chromium runs sandboxed frames in a process of their own, started for the page's first one:
 * ~20–30 ms of the first open after a sign-in, and a few ms of any open while no other message
 * frame is on the page (`e2e/bench/sandboxed-frame-cost.ts`). An empty frame with the message
 * frame's sandbox, hidden and added once the mailbox has painted, starts that process ahead and
 * keeps it. It holds no document and loads nothing.
 */
export function FrameWarmup() {
  const [on, setOn] = useState(false);
  useEffect(() => whenIdle(() => setOn(true), { timeoutMs: 300, fallbackMs: 50 }), []);
  if (!on) return null;
  return (
    <iframe
      hidden
      aria-hidden
      tabIndex={-1}
      sandbox={MESSAGE_IFRAME_SANDBOX}
      srcDoc=""
      data-frame-warmup=""
    />
  );
}
