export {
  createSanitizer,
  createComposeSanitizer,
  BLOCKED_SRC_ATTRIBUTE,
  CID_SRC_ATTRIBUTE,
  SIGNATURE_ATTRIBUTE,
} from "./sanitize";
export type { SanitizedHtml, SanitizeOptions } from "./sanitize";
export { buildMessageDocument, messageCsp, MESSAGE_IFRAME_SANDBOX } from "./document";
export type { MessageDocumentOptions } from "./document";
export { linkifyPlainText } from "./linkify";
export type { TextSegment } from "./linkify";
export { findUnsafe } from "./safety-check";
export { htmlAsText } from "./as-text";
export { escapeHtml } from "./escape";
export { parseCssColor, parseLegacyColor } from "./color";
export type { Rgba } from "./color";
