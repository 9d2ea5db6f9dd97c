import type { Browser } from "@playwright/test";
import { buildMessage } from "@pismo/mail-harness/seed";
import type { MailServer } from "@pismo/mail-harness";
import type { TimedSample } from "./imap-figures";
import { inPage, openPage, signIn, signOutAndClose, VIEWPORT, type Account, type BenchPage } from "./ui";

type Log = (line: string) => void;

/** How many messages the opened conversation has. */
export const THREAD_LENGTH = 20;

/** Lists the INBOX as conversations from the first paint, as a user who chose so before. */
async function preferConversations(bp: BenchPage, account: Account, on: boolean): Promise<void> {
  const key = JSON.stringify(`pismo.conversations:${account.email.toLowerCase()}`);
  await bp.context.addInitScript({
    content: on ? `localStorage.setItem(${key}, '{"INBOX":true}')` : `localStorage.removeItem(${key})`,
  });
}

/**
 * Sign-in until the first 50 rows are painted, cold, once with the plain list and once in
 * conversation view, alternating so that both see the same machine: the conversation view of
 * a large folder must cost about what the plain list costs.
 */
export async function measureConversationList(
  browser: Browser,
  baseURL: string,
  account: Account,
  samples: number,
  log: Log,
): Promise<{ plain: TimedSample[]; conversations: TimedSample[] }> {
  const plain: TimedSample[] = [];
  const conversations: TimedSample[] = [];
  for (let i = 0; i < samples; i++) {
    for (const on of [false, true]) {
      const bp = await openPage(browser, baseURL, VIEWPORT.signIn);
      try {
        await preferConversations(bp, account, on);
        const marks = await signIn(bp, account, { benchRows: 50 });
        if (!marks) throw new Error("no sign-in marks");
        const sample = {
          ms: marks.rowsPainted - marks.submit,
          domMs: marks.rowsCommitted - marks.submit,
          bytes: bp.meter.since(),
        };
        (on ? conversations : plain).push(sample);
      } finally {
        await signOutAndClose(bp);
      }
    }
    log(
      `  list ${i + 1}/${samples}: plain ${plain.at(-1)?.ms.toFixed(0)} ms, conversations ${conversations.at(-1)?.ms.toFixed(0)} ms (submit to 50 rows painted)`,
    );
  }
  return { plain, conversations };
}

/** A 20-message exchange, delivered as the newest mail of the account's INBOX. */
export async function seedThread(mail: MailServer, account: Account): Promise<string> {
  const subject = "Dugačak razgovor o budžetu";
  const ids: string[] = [];
  for (let i = 0; i < THREAD_LENGTH; i++) {
    const id = `bench-thread-${i}@primer.rs`;
    const date = new Date(Date.UTC(2027, 0, 1, 8, i));
    await mail.deliver(
      account.email,
      buildMessage({
        from: i % 2 ? account.email : { name: "Ana Anić", address: "ana@primer.rs" },
        to: i % 2 ? "ana@primer.rs" : account.email,
        subject: i === 0 ? subject : `Re: ${subject}`,
        text: `Poruka ${i + 1} u razgovoru.`,
        date,
        messageId: id,
        ...(i > 0 ? { inReplyTo: ids[i - 1] as string, references: [...ids] } : {}),
      }),
      { date, flags: ["\\Seen"] },
    );
    ids.push(id);
  }
  return subject;
}

/**
 * Opening a 20-message conversation: a click on its row until its 20 messages are listed and
 * the last one's body is painted (read ones collapsed, so only that body is fetched).
 */
export async function measureConversationOpen(
  browser: Browser,
  baseURL: string,
  account: Account,
  subject: string,
  samples: number,
  log: Log,
): Promise<TimedSample[]> {
  const out: TimedSample[] = [];
  for (let i = 0; i < samples; i++) {
    const bp = await openPage(browser, baseURL, VIEWPORT.desktop);
    try {
      await preferConversations(bp, account, true);
      await signIn(bp, account);
      const { page, meter } = bp;
      const row = page
        .getByRole("grid", { name: "Messages" })
        .getByRole("row", { name: new RegExp(`${subject}, ${THREAD_LENGTH} messages`) });
      await row.waitFor({ timeout: 60_000 });
      await meter.quiet();
      await inPage(
        page,
        `(() => { const B = window.__bench; B.pending = B.until(() => {
          const items = document.querySelectorAll('section[aria-label="Conversation"] article[data-thread-item]');
          if (items.length < ${THREAD_LENGTH}) return false;
          const last = items[items.length - 1];
          return (last.textContent || "").includes("Poruka ${THREAD_LENGTH} u razgovoru.");
        }, 30000); B.pending.catch(() => undefined); return true; })()`,
      );
      meter.reset();
      await row.click();
      const t = await inPage<{ committed: number; painted: number }>(page, "window.__bench.result()");
      const click = await inPage<number>(page, "window.__bench.lastClick");
      await meter.quiet();
      out.push({ ms: t.painted - click, domMs: t.committed - click, bytes: meter.since() });
      log(
        `  conversation ${i + 1}/${samples}: ${out.at(-1)?.ms.toFixed(1)} ms to ${THREAD_LENGTH} messages, the last one's body painted`,
      );
    } finally {
      await signOutAndClose(bp);
    }
  }
  return out;
}
