"use client";

import dynamic from "next/dynamic";

// Rendered in the browser only: nothing language- or user-dependent is pre-rendered (no
// hydration mismatch); the page's HTML carries the sign-in form meanwhile (page.tsx).
const App = dynamic(() => import("@/features/app").then((m) => m.App), { ssr: false });

export function AppLoader() {
  return <App />;
}
