import { generateKeyPairSync } from "node:crypto";
import { mkdirSync } from "node:fs";
import { test as base, expect, type Page } from "@playwright/test";
import { dkimSign } from "mailauth";
import {
  gatewayEnv,
  startMailServer,
  startTxtDnsServer,
  type MailServer,
  type TxtDnsServer,
} from "@pismo/mail-harness";
import { startGatewayProcess, type GatewayProcess } from "../fixtures/gateway-process";
import { row, signIn } from "../fixtures/mail-ui";
import { checkMail, signInPop3 } from "../fixtures/pop3";

/**
 * Trust when reading, in Chromium against Dovecot and the built gateway: who really sent a
 * message (a forged Authentication-Results counts for nothing; a DKIM signature made here
 * verifies with the key a loopback DNS server serves), who pretends to be someone else, and
 * where a link really goes.
 */

interface TrustStack {
  mail: MailServer;
  dns: TxtDnsServer;
  gateway: GatewayProcess;
  newUser(prefix: string): Promise<{ email: string; password: string }>;
}

let users = 0;

// The worker's own Dovecot and gateway: the gateway must ask this test's DNS server.
const test = base.extend<{ baseURL: string }, { trust: TrustStack }>({
  trust: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use, workerInfo) => {
      const dns = await startTxtDnsServer();
      const mail = await startMailServer();
      let gateway: GatewayProcess | undefined;
      try {
        // The test server's results are written under its host name, which the operator names.
        gateway = await startGatewayProcess({
          ...gatewayEnv(mail),
          PISMO_DNS_SERVERS: dns.address,
          PISMO_AUTHSERV_ID: "127.0.0.1",
        });
        await use({
          mail,
          dns,
          gateway,
          async newUser(prefix) {
            users += 1;
            const email = `${prefix}${workerInfo.workerIndex}x${users}@pismo.test`;
            const password = `pw-${users}-secret`;
            await mail.addUser({ name: email, password });
            return { email, password };
          },
        });
      } finally {
        await gateway?.stop();
        await mail.stop();
        await dns.stop();
      }
    },
    { scope: "worker", timeout: 60_000 },
  ],
  baseURL: async ({ trust }, use) => {
    await use(trust.gateway.url);
  },
});

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const KEY_RECORD = `v=DKIM1; k=rsa; p=${rsa.publicKey.export({ type: "spki", format: "der" }).toString("base64")}`;

function message(headers: string[], body: { text?: string; html?: string }): string {
  const type = body.html !== undefined ? "text/html" : "text/plain";
  return [
    ...headers,
    "Date: Mon, 03 Nov 2025 10:00:00 +0100",
    `Message-ID: <${Math.random().toString(36).slice(2)}@pismo.test>`,
    "MIME-Version: 1.0",
    `Content-Type: ${type}; charset=utf-8`,
    "Content-Transfer-Encoding: 8bit",
    "",
    body.html ?? body.text ?? "",
    "",
  ].join("\r\n");
}

async function signed(raw: string): Promise<string> {
  const data = {
    signingDomain: "firma.example",
    selector: "e2e",
    privateKey: rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    algorithm: "rsa-sha256",
    canonicalization: "relaxed/relaxed",
  };
  const { signatures, errors } = await dkimSign(raw, {
    ...data,
    // A fixed time: without it mailauth reads the clock twice, and a second that turns in
    // between signs one t= and writes another (about one signature in a thousand fails).
    signTime: new Date(),
    signatureData: [data],
  });
  expect(errors).toEqual([]);
  return signatures + raw;
}

/** The messages every test reads, one per case, as an IMAP or POP3 mailbox receives them. */
async function corpus(to: string) {
  return {
    forged: message(
      [
        "Authentication-Results: mx.bank.example; dkim=pass header.d=bank.example; dmarc=pass header.from=bank.example",
        "From: Banka <podrska@bank.example>",
        `To: ${to}`,
        "Subject: Forged results",
      ],
      { text: "Vaš nalog je potvrđen." },
    ),
    signed: await signed(
      message(["From: Marija Jovanović <marija@firma.example>", `To: ${to}`, "Subject: Signed report"], {
        text: "Zdravo, u prilogu je izveštaj.",
      }),
    ),
    failed: message(
      [
        // The test server's own id (PISMO_AUTHSERV_ID): the gateway believes this one.
        "Authentication-Results: 127.0.0.1; dkim=fail header.d=bank.example; dmarc=fail (p=reject) header.from=bank.example",
        "From: Banka <podrska@bank.example>",
        `To: ${to}`,
        "Subject: Failed check",
      ],
      { text: "Platite odmah." },
    ),
    disguised: message(
      ['From: "service@paypal.com" <billing@evil.example>', `To: ${to}`, "Subject: Disguised name"],
      { text: "Please confirm your account." },
    ),
    htmlLink: message(["From: Novosti <vesti@novosti.example>", `To: ${to}`, "Subject: HTML link"], {
      html: '<p>Prijavite se: <a id="bad" href="https://evil.example/steal">https://bank.example/login</a></p><p><a id="good" href="https://novosti.example/a">novosti.example</a></p>',
    }),
    ipLink: message(["From: Novosti <vesti@novosti.example>", `To: ${to}`, "Subject: Text link"], {
      text: "Otvorite http://192.0.2.10/login odmah.",
    }),
  };
}

function senderStatus(page: Page) {
  return page.getByRole("article", { name: "Message" }).getByRole("status", { name: "Sender verification" });
}

test.describe("trust when reading", () => {
  test.beforeAll(async ({ trust }) => {
    trust.dns.set("e2e._domainkey.firma.example", KEY_RECORD);
    trust.dns.set("_dmarc.firma.example", "v=DMARC1; p=reject");
  });

  test("IMAP: forged results, a verified signature, a failed check, a disguised name", async ({
    page,
    trust,
  }) => {
    const user = await trust.newUser("trust");
    const mail = await corpus(user.email);
    for (const raw of [mail.forged, mail.signed, mail.failed, mail.disguised])
      await trust.mail.deliver(user.email, raw);
    await signIn(page, user);

    await row(page, "Forged results").click();
    await expect(page.getByRole("article", { name: "Message" })).toContainText("Vaš nalog je potvrđen.");
    // Only the user's own server's results count: the sender's own claim shows nothing.
    await expect(senderStatus(page)).toHaveCount(0);
    await expect(page.getByText("Verified", { exact: true })).toHaveCount(0);

    // Pismo's own check looks up the sender's DNS, which tells the sender's domain when the
    // message is read: not for a stranger until asked.
    await row(page, "Signed report").click();
    const article = page.getByRole("article", { name: "Message" });
    await expect(article).toContainText("Zdravo, u prilogu je izveštaj.");
    await expect(senderStatus(page)).toHaveCount(0);
    await article.getByRole("button", { name: "Check sender" }).click();
    await expect(article.getByRole("button", { name: "Check sender" })).toHaveCount(0);
    await expect(senderStatus(page)).toContainText("Verified");
    await expect(senderStatus(page)).toContainText("firma.example");
    await expect(senderStatus(page)).toContainText("checked by Pismo");
    await expect(page.getByRole("article", { name: "Message" }).getByRole("alert")).toHaveCount(0);
    // The list marks the sender now that the verdict is known.
    await expect(row(page, "Signed report")).toHaveAttribute("aria-label", /Sender verified/);

    await row(page, "Failed check").click();
    await expect(senderStatus(page)).toContainText("Failed");
    await expect(senderStatus(page)).toContainText("DMARC, DKIM check failed for bank.example");

    await row(page, "Disguised name").click();
    await expect(page.getByRole("article", { name: "Message" }).getByRole("alert")).toContainText(
      "The sender's name shows the address service@paypal.com, but the message comes from billing@evil.example.",
    );
  });

  test("links: an HTML link whose text names another site, and a plain-text link to an IP address", async ({
    page,
    context,
    trust,
  }) => {
    const user = await trust.newUser("links");
    const mail = await corpus(user.email);
    await trust.mail.deliver(user.email, mail.htmlLink);
    await trust.mail.deliver(user.email, mail.ipLink);
    // Nothing may leave the machine: a link that would open for real is caught here.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    await signIn(page, user);

    await row(page, "HTML link").click();
    const frame = page.frameLocator('iframe[title="Message body"]');
    await expect(frame.locator("#bad")).toContainText("goes to evil.example");
    await expect(frame.locator("#good")).not.toContainText("goes to");
    expect(await frame.locator("#good").getAttribute("href")).toBe("https://novosti.example/a");

    const [checkPage] = await Promise.all([context.waitForEvent("page"), frame.locator("#bad").click()]);
    await checkPage.waitForLoadState();
    expect(new URL(checkPage.url()).pathname).toBe("/check-link");
    const dialog = checkPage.getByRole("dialog", { name: "Check link" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId("link-destination")).toHaveText("https://evil.example/steal");
    await expect(dialog.locator("mark")).toHaveText("evil.example");
    await expect(dialog).toContainText("https://bank.example/login");
    await expect(dialog.getByRole("button", { name: "Open" })).toHaveAttribute(
      "href",
      "https://evil.example/steal",
    );
    await expect(dialog.getByRole("button", { name: "Open" })).toHaveAttribute("rel", /noreferrer/);
    const closed = checkPage.waitForEvent("close");
    // Cancel closes the tab: the click itself may see its page go before it returns.
    await dialog
      .getByRole("button", { name: "Cancel" })
      .click()
      .catch((error: unknown) => {
        if (!String(error).includes("closed")) throw error;
      });
    await closed;

    await row(page, "Text link").click();
    await page.getByRole("link", { name: "http://192.0.2.10/login" }).click();
    const inApp = page.getByRole("dialog", { name: "Check link" });
    await expect(inApp).toBeVisible();
    await expect(inApp).toContainText("The link goes to a bare IP address");
    await expect(inApp.getByRole("button", { name: "Open" })).toHaveAttribute(
      "href",
      "http://192.0.2.10/login",
    );
    await inApp.getByRole("button", { name: "Cancel" }).click();
    await expect(inApp).toBeHidden();
    expect(context.pages()).toHaveLength(1);
  });

  test("POP3: the same checks on the pulled message, stored with it", async ({ page, trust }) => {
    const user = await trust.newUser("trustpop");
    const mail = await corpus(user.email);
    for (const raw of [mail.forged, mail.signed, mail.disguised]) await trust.mail.deliver(user.email, raw);
    await signInPop3(page, user);
    await checkMail(page);

    await page.getByRole("row", { name: /Signed report/ }).click();
    await expect(senderStatus(page)).toContainText("Verified");
    await expect(senderStatus(page)).toContainText("checked by Pismo");
    await expect(page.getByRole("row", { name: /Signed report/ })).toHaveAttribute(
      "aria-label",
      /Sender verified/,
    );

    await page.getByRole("row", { name: /Forged results/ }).click();
    await expect(page.getByRole("article", { name: "Message" })).toContainText("Vaš nalog je potvrđen.");
    await expect(senderStatus(page)).toHaveCount(0);

    await page.getByRole("row", { name: /Disguised name/ }).click();
    await expect(page.getByRole("article", { name: "Message" }).getByRole("alert")).toContainText(
      "service@paypal.com",
    );

    // Stored with the message: after a reload (no pull) the verdict is still there.
    await page.reload();
    await page.getByRole("row", { name: /Signed report/ }).click();
    await expect(senderStatus(page)).toContainText("Verified");
  });

  test("each status and the link check, in English and Serbian, on a desktop and a phone", async ({
    browser,
    trust,
  }, testInfo) => {
    test.setTimeout(180_000);
    // Kept with the test's results, for looking at the screens.
    const dir = testInfo.outputPath("shots");
    mkdirSync(dir, { recursive: true });
    const user = await trust.newUser("shots");
    const mail = await corpus(user.email);
    for (const raw of [mail.signed, mail.failed, mail.disguised, mail.htmlLink, mail.ipLink, mail.forged])
      await trust.mail.deliver(user.email, raw);
    for (const lang of ["en", "sr"] as const) {
      for (const width of [1280, 390]) {
        const viewport = { width, height: width > 500 ? 800 : 844 };
        const context = await browser.newContext({ baseURL: trust.gateway.url, viewport, locale: "en-US" });
        try {
          await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
          const page = await context.newPage();
          const back = () => page.getByRole("button", { name: /Back|Nazad/ }).click();
          // The sign-in helper speaks English; the language is switched after it.
          await signIn(page, user);
          const names =
            lang === "sr"
              ? { grid: "Poruke", article: "Poruka", body: "Tekst poruke" }
              : { grid: "Messages", article: "Message", body: "Message body" };
          if (lang === "sr") {
            await page.goto("/?lang=sr");
            await expect(page.getByRole("grid", { name: names.grid })).toBeVisible();
          }
          const row = (subject: string) =>
            page.getByRole("grid", { name: names.grid }).getByRole("row", { name: new RegExp(subject) });
          const tag = `${lang}-${width}`;
          for (const [subject, name] of [
            ["Signed report", "verified"],
            ["Failed check", "failed"],
            ["Forged results", "nothing"],
            ["Disguised name", "warning"],
          ] as const) {
            await row(subject).click();
            const header = page.getByRole("article", { name: names.article }).locator("header");
            await expect(header).toContainText(subject);
            if (name === "verified") {
              await header
                .getByRole("button", { name: lang === "sr" ? "Proveri pošiljaoca" : "Check sender" })
                .click();
              await expect(header.getByRole("status")).toContainText(/✓/);
            }
            await page.screenshot({ path: `${dir}/${tag}-${name}.png` });
            if (width < 500) await back();
          }
          await row("Text link").click();
          await page.getByRole("link", { name: "http://192.0.2.10/login" }).click();
          await page.getByRole("dialog").waitFor();
          await page.screenshot({ path: `${dir}/${tag}-check-link-in-app.png` });
          await page.keyboard.press("Escape");
          if (width < 500) await back();
          await row("HTML link").click();
          const frame = page.frameLocator(`iframe[title="${names.body}"]`);
          await frame.locator("#bad").waitFor();
          await page.screenshot({ path: `${dir}/${tag}-html-link.png` });
          const [checkPage] = await Promise.all([
            context.waitForEvent("page"),
            frame.locator("#bad").click(),
          ]);
          await checkPage.setViewportSize(viewport);
          await checkPage.getByRole("dialog").waitFor();
          await checkPage.screenshot({ path: `${dir}/${tag}-check-link-page.png` });
        } finally {
          await context.close();
        }
      }
    }
  });
});
