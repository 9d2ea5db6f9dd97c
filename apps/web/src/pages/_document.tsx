import { Head, Html, Main, NextScript } from "next/document";

// The theme is applied before paint so a dark-mode user never sees a white flash. It is the
// app's only inline script of its own, and it reads nothing but localStorage and a media query.
const themeScript = `try{var t=localStorage.getItem("pismo.theme");if(t==="dark"||(t!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`;

/** The exported pages' HTML around the app (the Pages Router's document). */
export default function Document() {
  return (
    <Html lang="en" suppressHydrationWarning>
      <Head>
        <meta
          name="description"
          content="Webmail for your hosting account: IMAP live on the server, or POP3 into this browser."
        />
        <meta name="color-scheme" content="light dark" />
        <meta name="theme-color" content="#2563eb" />
        <link rel="manifest" href="/manifest.webmanifest" />
        <link rel="icon" href="/icon.svg" type="image/svg+xml" />
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </Head>
      <body className="min-h-dvh">
        <Main />
        <NextScript />
      </body>
    </Html>
  );
}
