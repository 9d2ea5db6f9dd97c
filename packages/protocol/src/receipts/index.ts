export {
  receiptRequestOf,
  isDispositionReport,
  MDN_SENT_KEYWORD,
  MAX_RECEIPT_ADDRESSES,
  RECEIPT_HEADER_FIELDS,
} from "./request";
export type { ReceiptRequest } from "./request";
export { bracketedMessageId, receiptReport } from "./report";
export type { ReceiptReport } from "./report";
// The page's request to send one is a schema, beside the draft's (schemas/compose.ts).
export type { ReceiptSend } from "../schemas/compose";
