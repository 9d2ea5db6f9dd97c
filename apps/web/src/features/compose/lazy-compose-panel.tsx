"use client";

import { lazy, Suspense, type ComponentProps } from "react";
import { useCompose } from "./compose-context";

// The compose code (editor, address parsing, uploads) loads the first time a message is
// written, not with the mailbox.
const Panel = lazy(() => import("./compose-panel").then((m) => ({ default: m.ComposePanel })));

export function LazyComposePanel(props: ComponentProps<typeof Panel>) {
  const { request } = useCompose();
  if (!request) return null;
  return (
    <Suspense fallback={null}>
      <Panel {...props} />
    </Suspense>
  );
}
