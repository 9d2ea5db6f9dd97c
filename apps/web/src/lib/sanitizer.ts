import { createSanitizer } from "@pismo/protocol/html";

let sanitize: ReturnType<typeof createSanitizer> | null = null;

/** The HTML policy bound to this window's DOM parser, made once. */
export function sanitizeMailHtml(...args: Parameters<ReturnType<typeof createSanitizer>>) {
  sanitize ??= createSanitizer(window);
  return sanitize(...args);
}
