"use client";

import dynamic from "next/dynamic";
import { useEffect, useState, type ReactNode } from "react";
import type { MailProtocol } from "@pismo/protocol/schemas";

// The app is client-rendered: the language, the session and the mail all live in the browser.
// What the HTML carries is the sign-in screen (`early`, a server component), shown until the
// app's first commit replaces it, before the browser paints that commit.
const App = dynamic(() => import("@/features/app").then((m) => m.App), { ssr: false });

const loadMailView = (protocol: MailProtocol) =>
  void (protocol === "pop3" ? import("@/features/pop3/pop3-app") : import("@/features/imap/imap-app"));

export function AppTakeOver({ early }: { early: ReactNode }) {
  const [takenOver, setTakenOver] = useState(false);

  // A sign-in sent from the HTML's form (app/layout.tsx's inline script): the mail view's code
  // loads beside the app's, not after the app has started and read the answer.
  useEffect(() => {
    const sent = window.__pismoEarlySignIn;
    if (sent) return loadMailView(sent.protocol);
    // Bubbling: after the inline script's capturing listener has sent it.
    const onSubmit = () => {
      const now = window.__pismoEarlySignIn;
      if (now) loadMailView(now.protocol);
    };
    document.addEventListener("submit", onSubmit);
    return () => document.removeEventListener("submit", onSubmit);
  }, []);

  return (
    <>
      {takenOver ? null : early}
      <App onTakeOver={() => setTakenOver(true)} />
    </>
  );
}
