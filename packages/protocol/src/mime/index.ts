export { parseMessage, parseAttachedMessage, extractPart } from "./parse-message";
export type { ExtractedPart } from "./parse-message";
export { DEFAULT_MIME_LIMITS } from "./limits";
export type { MimeLimits } from "./limits";
export { decodeTextPart, decodeUtf7 } from "./charset";
export type { DecodedText } from "./charset";
export {
  messageViewSchema,
  attachmentViewSchema,
  addressSchema,
  mimeNoteSchema,
  mimeNoteCodeSchema,
} from "./view";
export type { MessageView, AttachmentView, Address, MimeNote, MimeNoteCode } from "./view";
export { pickDisplayParts, bodyStructureSchema } from "./body-structure";
export type {
  BodyStructureNode,
  DisplayParts,
  DisplayTextPart,
  InlineImagePart,
  AttachmentPart,
} from "./body-structure";
export { MemoryBlob } from "./memory-blob";
export {
  importIdentity,
  importIdentityKey,
  startsAsMessage,
  withoutServerVerdicts,
  writtenAt,
  type ImportIdentity,
} from "./imported";
export { hasHeaderControl, isMessageId, messageIdsIn } from "./header-values";
