import { memo, useSyncExternalStore } from "react";
import { App } from "@/features/app";

// The app is client-rendered: the language, the session and the mail all live in the browser,
// so nothing language- or user-dependent is pre-rendered (no hydration mismatch): the app renders
// once the page is hydrated (the exported HTML beside it holds only the early copy of the sign-in
// form, pages/_document.tsx, which the app takes over). Its code comes with the page's
// own scripts, fetched alongside the framework, not asked for after the framework has run.
const noSubscription = () => () => {};

// The Pages Router renders the page again after hydration when the address has a query
// (`?lang=sr`: it fills in `router.query`); the app takes no props, so that render stops here
// instead of rendering the whole app again while it shows its first screen.
const StillApp = memo(App);

export default function Page() {
  const inBrowser = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  return inBrowser ? <StillApp /> : null;
}
