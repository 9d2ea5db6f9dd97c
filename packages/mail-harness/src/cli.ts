/**
 * Demo/dev entry point: `npx tsx packages/mail-harness/src/cli.ts [--seed N] [--rawlog] [--tls] [--keep]`.
 * Prints one JSON line with the ports and stays up until SIGINT/SIGTERM, then stops cleanly.
 */
import { parseArgs } from "node:util";
import { startMailServer } from "./server";

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "0" },
    "big-attachments": { type: "boolean", default: false },
    rawlog: { type: "boolean", default: false },
    tls: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    dir: { type: "string" },
    log: { type: "boolean", default: false },
    smtp: { type: "boolean", default: false },
  },
});

const DEMO_USER = "demo@pismo.test";
const POP_USER = "pop@pismo.test";
const count = Number(values.seed);
if (!Number.isInteger(count) || count < 0)
  throw new Error(`--seed wants a message count, got ${values.seed}`);

const server = await startMailServer({
  users: [
    { name: DEMO_USER, password: "demo" },
    { name: POP_USER, password: "demo" },
  ],
  rawlog: values.rawlog,
  tls: values.tls,
  keep: values.keep,
  logToConsole: values.log,
  // Sending needs the private Postfix, which runs only as root (it drops to the postfix user).
  ...(values.smtp ? { smtp: true } : {}),
  ...(values.dir !== undefined ? { dir: values.dir } : {}),
});

let stopping = false;
const shutdown = (): void => {
  if (stopping) return;
  stopping = true;
  server.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

if (count > 0) {
  const started = Date.now();
  const report = await server.seed(DEMO_USER, {
    count,
    bigAttachments: values["big-attachments"],
    seed: 1,
    ftsIndex: true,
  });
  // The POP3 user gets a small, different mailbox: POP3 only sees INBOX.
  await server.seed(POP_USER, { count: 0, folders: { INBOX: Math.min(count, 200) }, seed: 2 });
  console.error(`seeded ${report.count} messages (${report.bytes} bytes) in ${Date.now() - started} ms`);
}

console.log(
  JSON.stringify({
    host: server.host,
    imapPort: server.imapPort,
    pop3Port: server.pop3Port,
    sievePort: server.sievePort,
    ...(server.imapsPort !== undefined ? { imapsPort: server.imapsPort, pop3sPort: server.pop3sPort } : {}),
    ...(server.smtpPort !== undefined ? { smtpPort: server.smtpPort } : {}),
    dir: server.dir,
    users: { imap: { user: DEMO_USER, password: "demo" }, pop3: { user: POP_USER, password: "demo" } },
  }),
);
