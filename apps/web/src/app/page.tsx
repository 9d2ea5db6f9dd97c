import { signInShellHtml } from "@/features/sign-in/sign-in-shell";
import { SHELL_ID } from "@/features/sign-in/shell-takeover";
import { AppLoader } from "./app-loader";

/**
 * The app is client-rendered: the language, the session and the mail all live in the browser.
 * What the page's HTML carries is the sign-in form, in both languages (the one shown is chosen
 * before paint), so that a visitor sees it at the first paint; the app takes its place.
 */
export default function Page() {
  return (
    <>
      <div id={SHELL_ID} dangerouslySetInnerHTML={{ __html: signInShellHtml() }} />
      <AppLoader />
    </>
  );
}
