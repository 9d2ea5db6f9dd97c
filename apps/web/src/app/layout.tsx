import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { beforePaintScript } from "./before-paint";
import "./globals.css";

export const metadata: Metadata = {
  title: "Pismo",
  description: "Webmail for your hosting account: IMAP live on the server, or POP3 into this browser.",
  manifest: "/manifest.webmanifest",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  colorScheme: "light dark",
  themeColor: "#2563eb",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: beforePaintScript }} />
      </head>
      <body className="min-h-dvh">{children}</body>
    </html>
  );
}
