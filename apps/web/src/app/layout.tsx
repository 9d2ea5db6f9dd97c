import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { firstWindowSize, PAGE_ROWS } from "@/features/imap/first-window";
import { ROW_HEIGHT } from "@/features/shared/row-height";

/** The most rows a first window may ask for (the window of an endless screen). */
const MAX_FIRST_ROWS = firstWindowSize(Number.MAX_SAFE_INTEGER);
/** The gateway is this page's origin unless the build names another (trpc/client.ts). */
const earlySend = !process.env.NEXT_PUBLIC_GATEWAY_HTTP;

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
  // The held submission goes to the gateway at once (same origin, as the app would send it: the
  // JSON sign-in with the first screen's rows, the same count headSize() computes), so the
  // server checks the password while the app's script loads; the app picks up the answer.
  // Changed server settings, or a gateway on another origin, wait for the app instead.
  `document.addEventListener("submit",function(e){var f=e.target;if(!f||f.id!=="early-sign-in")return;e.preventDefault();if(f.hasAttribute("data-submitted"))return;f.setAttribute("data-submitted","");var b=f.querySelector("button[type=submit]");if(b)b.disabled=true;var v=function(n){var x=f.querySelector('[data-field="'+n+'"]');return x?x:{}};if(${earlySend ? "true" : "false"}&&!v("host").value&&v("port").value===v("port").defaultValue&&v("security").value==="starttls"){var p=v("protocol-pop3").checked?"pop3":"imap",r=Math.min(${MAX_FIRST_ROWS},Math.max(${PAGE_ROWS},Math.ceil(innerHeight/${ROW_HEIGHT}))),q={protocol:p,email:v("email").value,password:v("password").value};if(p==="imap")q.firstRows=r;window.__pismoEarlySignIn={protocol:p,rows:r,answer:fetch("/api/session",{method:"POST",credentials:"include",headers:{"Content-Type":"application/json"},body:JSON.stringify(q)}).then(function(a){return a.text().then(function(t){return{status:a.status,statusText:a.statusText,text:t}})},function(){return{status:0,statusText:"",text:""}})}}},true)`,
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
