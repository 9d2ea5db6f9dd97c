// The message view's schemas live with the other schemas; this module keeps their old path
// for the MIME parser.
export { addressSchema } from "../schemas/address";
export type { Address } from "../schemas/address";
export {
  attachmentViewSchema,
  messageViewSchema,
  mimeNoteCodeSchema,
  mimeNoteSchema,
} from "../schemas/message-view";
export type { AttachmentView, MessageView, MimeNote, MimeNoteCode } from "../schemas/message-view";
