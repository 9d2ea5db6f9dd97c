import { SIGNED_IN_HINT_PATTERN } from "@/features/sign-in/signed-in-hint";
import { THEME_KEY } from "@/features/settings/theme-key";
import { STORAGE_KEY as LANGUAGE_KEY } from "@/i18n/translator";

/**
 * The page's only script of its own, run before the first paint (the gateway allows it by its
 * hash): the dark theme where chosen or preferred, so a dark-mode user never sees a white
 * flash; the document's language as the app will choose it (`?lang=`, the stored choice, the
 * browser's languages: i18n/language.ts's detectLanguage), so the sign-in form written into
 * the page shows in it; and, where the gateway's hint cookie says this browser may be signed
 * in, that form stays hidden (the app shows the mail, or its own form if the session is gone).
 * It reads nothing but the address, localStorage, the languages, a media query and the cookie.
 */
export const beforePaintScript = [
  `try{var t=localStorage.getItem(${JSON.stringify(THEME_KEY)});if(t==="dark"||(t!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`,
  `try{var d=document.documentElement,s=null;try{s=localStorage.getItem(${JSON.stringify(LANGUAGE_KEY)})}catch(e){}`,
  `var c=[new URLSearchParams(location.search).get("lang"),s].concat(Array.prototype.slice.call(navigator.languages||[]));`,
  `for(var i=0;i<c.length;i++){var p=String(c[i]||"").trim().toLowerCase().split(/[-_]/)[0];if(p==="en")break;if(p==="sr"||p==="hr"||p==="bs"){d.lang="sr-Latn";break}}`,
  `if(${SIGNED_IN_HINT_PATTERN.toString()}.test(document.cookie))d.classList.add("pismo-hinted")}catch(e){}`,
].join("");
