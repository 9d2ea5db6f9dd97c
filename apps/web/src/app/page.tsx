"use client";

import dynamic from "next/dynamic";

// The app is client-rendered: the language, the session and the mail all live in the browser,
// so nothing language- or user-dependent is pre-rendered (no hydration mismatch).
const App = dynamic(() => import("@/features/app").then((m) => m.App), { ssr: false });

export default function Page() {
  return <App />;
}
