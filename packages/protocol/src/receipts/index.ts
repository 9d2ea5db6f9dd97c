export {
  receiptRequestOf,
  isDispositionReport,
  MDN_SENT_KEYWORD,
  MAX_RECEIPT_ADDRESSES,
  RECEIPT_HEADER_FIELDS,
} from "./request";
export type { ReceiptRequest } from "./request";
export { bracketedMessageId, receiptReport, receiptSendSchema } from "./report";
export type { ReceiptReport, ReceiptSend } from "./report";
