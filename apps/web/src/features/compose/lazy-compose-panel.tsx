"use client";

import { lazy, Suspense, useEffect, type ComponentProps } from "react";
import { useIdentities } from "../identities/identities-context";
import { useCompose } from "./compose-context";

// The compose code (editor, address parsing, uploads) loads the first time a message is
// written, not with the mailbox.
const loadPanel = () => import("./compose-panel");
const Panel = lazy(() => loadPanel().then((m) => ({ default: m.ComposePanel })));

export function LazyComposePanel(props: ComponentProps<typeof Panel>) {
  const { request } = useCompose();
  // The identities are read when compose first opens, while its code loads; the form waits
  // for them, so that it opens with the identity's signature already in the body.
  const identities = useIdentities(props.account);
  const { need } = identities;
  useEffect(() => {
    if (!request) return;
    need();
    void loadPanel();
  }, [request, need]);
  if (!request || !identities.loaded) return null;
  return (
    <Suspense fallback={null}>
      <Panel {...props} />
    </Suspense>
  );
}
