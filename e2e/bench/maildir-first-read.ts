// `npx tsx e2e/bench/maildir-first-read.ts [messages]`: what a Maildir costs the first message
// read of an IMAP session (bench/where-the-time-goes.md). Seeds one INBOX into a private
// Dovecot, marks a message read in one session, then times, in later sessions 6 s apart, the
// first and the second body FETCH over a raw socket, no gateway or browser.
import { RawSocket, imapCommand, startMailServer } from "@pismo/mail-harness";

const messages = Number(process.argv[2] ?? 100_000);
const GAP_MS = 6_000;
const user = { name: "big@pismo.test", password: "maildir-first-read" };

/** A signed-in session with the INBOX selected, and how long SELECT took. */
async function session(port: number): Promise<{ socket: RawSocket; selectMs: number }> {
  const socket = await RawSocket.connect(port);
  await socket.readLine();
  await imapCommand(socket, `LOGIN "${user.name}" "${user.password}"`);
  const t0 = performance.now();
  await imapCommand(socket, "SELECT INBOX");
  return { socket, selectMs: performance.now() - t0 };
}

/** One FETCH that needs the message's file (its first 10 bytes), timed. */
async function bodyFetchMs(socket: RawSocket, uid: number): Promise<number> {
  const t0 = performance.now();
  const answer = await imapCommand(socket, `UID FETCH ${uid} (BODY.PEEK[]<0.10>)`);
  if (!answer.status.includes("OK")) throw new Error(answer.status);
  return performance.now() - t0;
}

const mail = await startMailServer();
try {
  await mail.addUser(user);
  await mail.seed(user.name, { count: 0, folders: { INBOX: messages }, user: user.name });
  const first = await session(mail.imapPort);
  await imapCommand(first.socket, `UID STORE ${messages - 1} +FLAGS (\\Seen)`);
  await imapCommand(first.socket, "LOGOUT");
  for (const [i, uid] of [messages - 1, messages - 5, messages - 9].entries()) {
    await new Promise((resolve) => setTimeout(resolve, GAP_MS));
    const { socket, selectMs } = await session(mail.imapPort);
    const firstRead = await bodyFetchMs(socket, uid);
    const secondRead = await bodyFetchMs(socket, messages - 20 - i);
    await imapCommand(socket, "LOGOUT");
    process.stdout.write(
      `${messages} messages, session ${i + 2}: SELECT ${selectMs.toFixed(1)} ms; first body FETCH (UID ${uid}) ${firstRead.toFixed(1)} ms; second ${secondRead.toFixed(1)} ms\n`,
    );
  }
} finally {
  await mail.stop();
}
