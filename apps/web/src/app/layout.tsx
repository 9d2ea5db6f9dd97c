import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
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

// Run before the first paint (the app's only inline script; the gateway's CSP allows it by its
// hash, which scripts/csp-hashes.mjs takes from the export). It reads nothing but localStorage,
// a media query, the query string, the browser's languages and the "signed in" hint cookie.
// - The theme: a dark-mode user never sees a white flash.
// - The language of the sign-in form in the HTML (features/sign-in/early-sign-in.tsx), chosen
//   as i18next will (src/i18n): ?lang=, the stored choice, then the browser's languages in
//   order; the first English or Serbian one wins, English otherwise. globals.css shows it.
// - The hint cookie (pismo_signed_in, beside the httpOnly session cookie): a returning reader's
//   page hides that form instead of flashing it while the app checks the session.
// - A submission of that form before the app has run is held (never sent natively) and marked;
//   the app sends it with what was typed when it takes over (sign-in-page.tsx).
const beforePaint = [
  `try{var t=localStorage.getItem("pismo.theme");if(t==="dark"||(t!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`,
  `try{var h=document.documentElement,c=[];try{c.push(new URLSearchParams(location.search).getAll("lang").pop())}catch(e){}try{c.push(localStorage.getItem("pismo.lang"))}catch(e){}c=c.concat([].slice.call(navigator.languages||[]),navigator.language);var l="en";for(var i=0;i<c.length;i++){var p=c[i]?String(c[i]).split(/[-_]/)[0]:"";if(p==="en"||p==="sr"){l=p;break}}h.lang=l==="sr"?"sr-Latn":"en";if(/(?:^|;\\s*)(?:__Host-)?pismo_signed_in=1(?:;|$)/.test(document.cookie))h.classList.add("signed-in-hint")}catch(e){}`,
  `document.addEventListener("submit",function(e){var f=e.target;if(f&&f.id==="early-sign-in"){e.preventDefault();f.setAttribute("data-submitted","");var b=f.querySelector("button[type=submit]");if(b)b.disabled=true}},true)`,
].join(";");

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: beforePaint }} />
      </head>
      <body className="min-h-dvh">{children}</body>
    </html>
  );
}
