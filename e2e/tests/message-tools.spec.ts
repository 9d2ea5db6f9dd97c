import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { buildMessage } from "@pismo/mail-harness/seed";
import { startTracker, type Tracker } from "../fixtures/tracker";
import { expect, test, type Stack } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";
import { checkMail, signInPop3 } from "../fixtures/pop3";

// The message tools of the reading view, for IMAP (through the gateway) and POP3 (this
// browser's copy): Print, Show original, Download .eml and the PDF preview. Hostile mail
// stays inert in each: no script runs, nothing remote loads.

const SET = "top.__pwned=1;parent.__pwned=1;window.__pwned=1";

function hostileHtml(t: string): string {
  return [
    "<p>Vidljiv tekst poruke.</p>",
    `<script>${SET}</script>`,
    `<img src=x onerror="${SET}">`,
    `<img alt="tracker" src="${t}/img.gif">`,
    `<div style="background:url('${t}/css-url')">pozadina</div>`,
    `<style>@import url("${t}/import.css"); p{background:url(${t}/style-block)}</style>`,
    `<iframe srcdoc="<script>${SET}</script>"></iframe>`,
    `<meta http-equiv="refresh" content="0;url=${t}/refresh">`,
    `<form action="${t}/form"><button>Log in</button></form>`,
    `<a href="javascript:${SET}">klik</a>`,
  ].join("\n");
}

/** A small, valid one-page PDF that says "Račun 42". */
function tinyPdf(): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    "<< /Length 44 >>\nstream\nBT /F1 24 Tf 40 60 Td (Racun 42) Tj ET\nendstream",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

async function deliverAll(stack: Stack, email: string, tracker: string) {
  await stack.mail.deliver(
    email,
    buildMessage({
      from: "Napadac <attacker@evil.example>",
      to: email,
      subject: "Opasno <img src=x onerror=alert(1)> pismo",
      html: hostileHtml(tracker),
    }),
  );
  await stack.mail.deliver(
    email,
    buildMessage({
      from: "Knjigovodstvo <racuni@firma.example>",
      to: email,
      subject: "Račun sa PDF prilogom",
      text: "Račun je u prilogu.",
      attachments: [
        { filename: "racun.pdf", contentType: "application/pdf", content: tinyPdf() },
        { filename: "lazni.pdf", contentType: "application/pdf", content: `<html><script>${SET}</script>` },
        { filename: "stranica.html", contentType: "text/html", content: `<script>${SET}</script>` },
      ],
    }),
  );
  await stack.mail.deliver(
    email,
    buildMessage({
      from: "Veliki <veliki@firma.example>",
      to: email,
      subject: "Veliko pismo",
      text: `${"Red teksta koji se ponavlja, čćšđž.\n".repeat(45_000)}KRAJ-PORUKE\n`,
    }),
  );
}

const shots = (name: string) => `${process.env.SHOTS_DIR ?? "test-results/shots"}/${name}.png`;

async function bothWidths(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: shots(`${name}-wide`) });
  await page.setViewportSize({ width: 390, height: 800 });
  await page.screenshot({ path: shots(`${name}-narrow`) });
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function expectInert(page: Page, hits: string[], dialogs: string[]) {
  await page.waitForTimeout(800);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(hits).toEqual([]);
}

/** Print: a view of the message alone; hostile HTML inert in it. */
async function checkPrint(page: Page, hits: string[], dialogs: string[], screenshot: string | null) {
  const message = page.getByRole("article", { name: "Message" });
  await message.getByRole("button", { name: "Print" }).click();
  const view = page.getByRole("dialog", { name: "Print view" });
  await expect(view).toBeVisible();
  const doc = page.frameLocator('iframe[title="Message for printing"]');
  await expect(doc.getByRole("heading", { name: "Opasno <img src=x onerror=alert(1)> pismo" })).toBeVisible();
  await expect(doc.locator("body")).toContainText("attacker@evil.example");
  await expect(doc.locator("body")).toContainText("Vidljiv tekst poruke.");
  // No app chrome in the printed document, and nothing of the hostile markup that runs or loads.
  await expect(doc.getByRole("navigation")).toHaveCount(0);
  await expect(doc.getByRole("button", { name: "Reply" })).toHaveCount(0);
  await expect(doc.locator("script, iframe, form, meta[http-equiv=refresh], [onerror]")).toHaveCount(0);
  await expect(doc.locator('img[src^="http"]')).toHaveCount(0);
  await expect(doc.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute(
    "content",
    /script-src 'none'/,
  );
  await expect(page.locator('iframe[title="Message for printing"]')).toHaveAttribute(
    "sandbox",
    "allow-same-origin allow-modals",
  );
  // The app around it is covered: the print view fills the window.
  const box = await view.boundingBox();
  expect(box?.width).toBe(page.viewportSize()?.width);
  await expectInert(page, hits, dialogs);
  if (screenshot) await bothWidths(page, screenshot);
  // Modal: the mail's keys do not act on the message under it (# would delete it), and Tab
  // never reaches the app under it (past the view's last stop, the browser's own controls).
  await page.keyboard.press("#");
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press("Tab");
    const where = await view.evaluate((v) =>
      v.contains(document.activeElement)
        ? "view"
        : document.activeElement === document.body
          ? "browser"
          : "app",
    );
    expect(where).not.toBe("app");
  }
  await page.keyboard.press("Escape");
  await expect(view).toHaveCount(0);
  await expect(message).toBeVisible();
  await expect(message.getByRole("button", { name: "Print" })).toBeFocused();
}

/** Show original: the raw source as text, never rendered. */
async function checkOriginal(page: Page, hits: string[], dialogs: string[], screenshot: string | null) {
  await page.getByRole("article", { name: "Message" }).getByRole("button", { name: "Show original" }).click();
  const dialog = page.getByRole("dialog", { name: "Original message" });
  const source = dialog.getByLabel("Message source");
  // The text as written: the headers, the subject's markup and the script tag are letters.
  await expect(source).toContainText("From: Napadac <attacker@evil.example>");
  await expect(source).toContainText("Subject: Opasno <img src=x onerror=alert(1)> pismo");
  await expect(source).toContainText(`<script>${SET}</script>`);
  await expect(source).toContainText("Content-Type: text/html");
  await expect(dialog.locator("script, iframe, img, form")).toHaveCount(0);
  await expectInert(page, hits, dialogs);
  if (screenshot) await bothWidths(page, screenshot);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toHaveCount(0);
}

/** The PDF preview: the browser's viewer on a blob of type application/pdf; only for a real PDF. */
async function checkPdf(page: Page) {
  const chips = page.getByRole("region", { name: "Attachments" });
  await expect(chips.getByRole("button", { name: "Preview stranica.html" })).toHaveCount(0);
  await chips.getByRole("button", { name: "Preview racun.pdf" }).click();
  const dialog = page.getByRole("dialog", { name: "racun.pdf" });
  const frame = dialog.locator('iframe[title="PDF preview: racun.pdf"]');
  await expect(frame).toHaveAttribute("src", /^blob:/);
  const src = (await frame.getAttribute("src")) ?? "";
  // The frame holds the browser's PDF document (the app's CSP lets blob: frames load).
  await expect
    .poll(async () =>
      page
        .frames()
        .find((f) => f.url() === src)
        ?.evaluate(() => document.contentType),
    )
    .toBe("application/pdf");
  await expect(dialog.getByRole("link", { name: "Open in a new tab" })).toHaveAttribute("href", src);
  await dialog.getByRole("button", { name: "Close" }).click();

  await chips.getByRole("button", { name: "Preview lazni.pdf" }).click();
  await expect(page.getByRole("dialog", { name: "lazni.pdf" }).getByRole("alert")).toHaveText(
    "lazni.pdf is not a PDF file: it is not shown here. Save it to open it.",
  );
  await expect(page.locator('iframe[title="PDF preview: lazni.pdf"]')).toHaveCount(0);
  await page.getByRole("dialog", { name: "lazni.pdf" }).getByRole("button", { name: "Close" }).click();
}

test.describe("message tools", () => {
  let tracker: Tracker;

  test.beforeAll(async () => {
    tracker = await startTracker();
  });
  test.afterAll(async () => {
    await tracker.close();
  });

  /** A new user with the hostile mail delivered, the tracker emptied, and the page's dialogs
   * recorded (none may open) and dismissed. */
  const prepare = async (page: Page, stack: Stack, prefix: string) => {
    const user = await stack.newUser(prefix);
    await deliverAll(stack, user.email, tracker.url);
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    tracker.reset();
    return { user, dialogs };
  };

  test("IMAP: Print, Show original (capped, no \\Seen), Download .eml and the PDF preview", async ({
    page,
    stack,
  }) => {
    test.setTimeout(120_000);
    const { user, dialogs } = await prepare(page, stack, "tools");
    await signIn(page, user);

    await row(page, "Opasno").click();
    await expect(page.getByRole("article", { name: "Message" })).toContainText("Opasno");
    await checkPrint(page, tracker.hits, dialogs, "print-view-en");

    // Show original reads BODY.PEEK[]: a message marked unread stays unread.
    await page.getByRole("button", { name: "Mark as unread" }).click();
    const flags = () =>
      stack.mail.doveadm(["fetch", "-u", user.email, "flags", "mailbox", "INBOX", "subject", "Opasno"]);
    await expect.poll(flags).not.toContain("\\Seen");
    await checkOriginal(page, tracker.hits, dialogs, "show-original-en");
    await page.waitForTimeout(500);
    expect(await flags()).not.toContain("\\Seen");

    // In Serbian, the same views (for the screenshots).
    await page.goto("/?lang=sr");
    await page.getByRole("row", { name: /Opasno/ }).click();
    await page.getByRole("button", { name: "Štampaj" }).click();
    await expect(page.frameLocator('iframe[title="Poruka za štampu"]').locator("body")).toContainText(
      "Vidljiv tekst poruke.",
    );
    await bothWidths(page, "print-view-sr");
    await page
      .getByRole("dialog", { name: "Prikaz za štampu" })
      .getByRole("button", { name: "Zatvori" })
      .click();
    await page.getByRole("button", { name: "Prikaži original" }).click();
    await expect(page.getByRole("dialog", { name: "Originalna poruka" })).toContainText("Content-Type");
    await bothWidths(page, "show-original-sr");
    await page.goto("/?lang=en");

    // Download .eml: the message's exact bytes, named after its subject, typed message/rfc822.
    await row(page, "Račun sa PDF prilogom").click();
    const link = page.getByRole("link", { name: "Download .eml" });
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("Račun sa PDF prilogom.eml");
    const saved = await readFile((await download.path()) ?? "", "latin1");
    expect(saved).toMatch(/^Return-Path:|^From:|^Received:|^Delivered-To:/m);
    expect(saved).toContain('filename="racun.pdf"');
    const answer = await page.request.get((await link.getAttribute("href")) ?? "");
    expect(answer.status()).toBe(200);
    expect(answer.headers()["content-type"]).toBe("message/rfc822");
    expect(answer.headers()["content-disposition"]).toContain("attachment;");
    expect(answer.headers()["content-disposition"]).toContain(".eml");
    expect(Buffer.from(await answer.body()).toString("latin1")).toBe(saved);

    await checkPdf(page);
    await expectInert(page, tracker.hits, dialogs);

    // Above the cap, a clear note and only the first part.
    await row(page, "Veliko pismo").click();
    await page.getByRole("button", { name: "Show original" }).click();
    const big = page.getByRole("dialog", { name: "Original message" });
    await expect(big.getByRole("note")).toContainText("only its first");
    await expect(big.getByRole("note")).toContainText("Download the .eml file");
    await expect(big.getByLabel("Message source")).toContainText("Red teksta");
    await expect(big.getByLabel("Message source")).not.toContainText("KRAJ-PORUKE");
  });

  test("POP3: Print, Show original, Download .eml and the PDF preview from this browser's copy", async ({
    page,
    stack,
  }) => {
    test.setTimeout(120_000);
    const { user, dialogs } = await prepare(page, stack, "poptools");
    await signInPop3(page, user);
    await checkMail(page);

    await page.getByRole("row", { name: /Opasno/ }).click();
    await expect(page.getByRole("article", { name: "Message" })).toContainText("Opasno");
    await checkPrint(page, tracker.hits, dialogs, null);
    await checkOriginal(page, tracker.hits, dialogs, null);

    await page.getByRole("row", { name: /Račun sa PDF prilogom/ }).click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download .eml" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("Račun sa PDF prilogom.eml");
    await checkPdf(page);

    await page.getByRole("row", { name: /Veliko pismo/ }).click();
    await page.getByRole("button", { name: "Show original" }).click();
    const big = page.getByRole("dialog", { name: "Original message" });
    await expect(big.getByRole("note")).toContainText("only its first");
    await expect(big.getByLabel("Message source")).not.toContainText("KRAJ-PORUKE");
    await expectInert(page, tracker.hits, dialogs);
  });
});
