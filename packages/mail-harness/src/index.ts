export {
  startMailServer,
  gatewayEnv,
  type DeliverOptions,
  type MailServer,
  type MailUser,
  type SeedReport,
  type SpecialUse,
  type StartOptions,
} from "./server";
export type { SeedOptions } from "./seed/generate";
export { DEFAULT_MESSAGE_SIZE_LIMIT, type SmtpOptions } from "./postfix";
export { encodeModifiedUtf7, folderDirName } from "./maildir";
export { makeCertificate } from "./certificate";
// Byte-exact IMAP/POP3 helpers for tests that must see the wire, not a client library's view of it.
export { RawSocket, imapCommand, pop3MultiLine, type ImapResponse } from "./raw-socket";
// TXT records served on loopback, for DKIM and DMARC checks without real DNS.
export { startTxtDnsServer, type TxtDnsServer } from "./txt-dns";
// Redis and HAProxy from Debian's packages, private to a test (several gateways, one store).
export { startRedis, startHaproxy, killOnExit, type ServiceProcess } from "./cluster-services";
export { findFreePorts } from "./ports";
export { passwordForms, passwordFound } from "./secrets";
export { startCountingProxy, type CountingProxy, type RefuseRule } from "./counting-proxy";
