"use client";

import dynamic from "next/dynamic";
import { useState, type ReactNode } from "react";

// The app is client-rendered: the language, the session and the mail all live in the browser.
// What the HTML carries is the sign-in screen (`early`, a server component), shown until the
// app's first commit replaces it, before the browser paints that commit.
const App = dynamic(() => import("@/features/app").then((m) => m.App), { ssr: false });

export function AppTakeOver({ early }: { early: ReactNode }) {
  const [takenOver, setTakenOver] = useState(false);
  return (
    <>
      {takenOver ? null : early}
      <App onTakeOver={() => setTakenOver(true)} />
    </>
  );
}
