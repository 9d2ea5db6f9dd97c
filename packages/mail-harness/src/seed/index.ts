// The "./seed" subpath: pure message generation, no I/O, usable from any test.
export {
  generateMessages,
  planFolders,
  DEFAULT_FOLDER_WEIGHTS,
  type SeedOptions,
  type SeedMessage,
} from "./generate";
export {
  buildMessage,
  encodeWord,
  encodeText,
  formatAddress,
  formatRfc5322Date,
  quotedPrintable,
  base64Lines,
  type Address,
  type Attachment,
  type BuildMessageOptions,
  type Charset,
  type TransferEncoding,
} from "./mime";
export { createPrng, fnv1a, type Prng } from "./prng";
export { messageWithPicture, RED_PIXELS_PNG } from "./picture";
export { exchangeDay, lunchExchange, type FiledMessage } from "./exchange";
