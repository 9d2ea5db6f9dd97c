import { createComposeSanitizer } from "@pismo/protocol/html";

let sanitize: ReturnType<typeof createComposeSanitizer> | null = null;

/**
 * HTML for the rich-text editor, which lives in the app's own document: the compose profile
 * of the HTML policy (no <style>, class or id, only text-level inline styles), bound to this
 * window's DOM parser and made once. Remote images stay blocked in the editor.
 */
export function sanitizeComposeHtml(html: string): string {
  sanitize ??= createComposeSanitizer(window);
  return sanitize(html, { allowRemote: false }).html;
}
