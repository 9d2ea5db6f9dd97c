"use client";

import { useSyncExternalStore } from "react";
import { App } from "@/features/app";

// The app is client-rendered: the language, the session and the mail all live in the browser,
// so nothing language- or user-dependent is pre-rendered (no hydration mismatch): the exported
// page is empty and the app renders once the page is hydrated. Its code comes with the page's
// own scripts, fetched alongside the framework, not asked for after the framework has run.
const noSubscription = () => () => {};

export default function Page() {
  const inBrowser = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  return inBrowser ? <App /> : null;
}
