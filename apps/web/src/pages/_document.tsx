import { Head, Html, Main, NextScript, type DocumentProps } from "next/document";
import { AppHeader } from "@/features/app-header";
import { earlyLanguage, showEarlySignIn, SIGNED_IN_HINT } from "@/features/sign-in/early-sign-in";
import { STORAGE_KEY } from "@/i18n/translator";
import { FALLBACK_PORT, SignInForm } from "@/features/sign-in/sign-in-form";
import { en } from "@/i18n/en";
import { sr } from "@/i18n/sr";
import { translate, type CatalogTree } from "@/i18n/translate";
import { documentLanguageOf, type Language } from "@/i18n/language";

// The theme is applied before paint so a dark-mode user never sees a white flash. It is the
// app's only inline script of its own, and it reads nothing but localStorage and a media query.
const themeScript = `try{var t=localStorage.getItem("pismo.theme");if(t==="dark"||(t!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`;

// Shows the early sign-in copy in the reader's language (features/sign-in/early-sign-in.ts).
// Its arguments are written in as source, the same the app uses: the language rules, the hint
// cookie's pattern, the language choice's storage key, the ports shown before the gateway's, and
// the document's language tag.
const earlySignInScript = `(${showEarlySignIn.toString()})(${[
  earlyLanguage.toString(),
  SIGNED_IN_HINT.toString(),
  JSON.stringify(STORAGE_KEY),
  JSON.stringify(FALLBACK_PORT),
  documentLanguageOf.toString(),
].join(", ")})`;

const catalogs: Record<Language, CatalogTree> = { en, sr };

/**
 * The sign-in screen in one language, hidden: shown by the script after it before the app's
 * code has loaded (a cold load parses ~400 kB first), taken over by the app once it mounts.
 */
function EarlySignIn({ language }: { language: Language }) {
  const t = (key: string, options?: Parameters<typeof translate>[3]) =>
    translate(catalogs[language], language, key, options);
  return (
    <div data-early-sign-in={language} hidden className="flex min-h-dvh flex-col">
      <AppHeader t={t} />
      <SignInForm
        t={t}
        id={`early-${language}`}
        fields={{
          protocol: "imap",
          email: "",
          password: "",
          host: "",
          port: String(FALLBACK_PORT.imap),
          security: "starttls",
        }}
      />
    </div>
  );
}

/** The exported pages' HTML around the app (the Pages Router's document). */
export default function Document({ __NEXT_DATA__ }: DocumentProps) {
  // Only the app's own page starts with the sign-in form (not the link check, not a 404).
  const signInPage = __NEXT_DATA__.page === "/";
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
        {signInPage && (
          <>
            <EarlySignIn language="en" />
            <EarlySignIn language="sr" />
            <script dangerouslySetInnerHTML={{ __html: earlySignInScript }} />
          </>
        )}
        <Main />
        <NextScript />
      </body>
    </Html>
  );
}
