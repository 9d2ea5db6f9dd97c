import { buildMessage } from "@pismo/mail-harness/seed";
import { startTracker, type Tracker } from "../fixtures/tracker";
import { expect, test } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";

/**
 * Hostile HTML mail, delivered to Dovecot and opened in Chromium. No script may run
 * (a sentinel on the app's window stays unset, no dialog opens) and a tracker on loopback
 * receives nothing until the user chooses `Show remote content`. The cases are our own,
 * written after DOMPurify's fixtures and the HTML5 Security Cheatsheet.
 */
function hostileCases(t: string): Record<string, string> {
  const set = "top.__pwned=1;parent.__pwned=1;window.__pwned=1";
  return {
    "script tag": `<p>hi</p><script>${set}</script><img src="${t}/script">`,
    "event handlers": `<img src=x onerror="${set}"><body onload="${set}"><div onmouseover="${set}">hover</div><details open ontoggle="${set}">`,
    "javascript link": `<a id="js" href="javascript:${set}">click me</a> <a href="&#106;avascript:${set}">entity</a> <a href="java\nscript:${set}">split</a>`,
    "data link": `<a href="data:text/html,<script>${set}</script>">data</a><iframe src="data:text/html,<script>${set}</script>"></iframe>`,
    "mutation xss": `<noscript><p title="</noscript><img src=x onerror=${set}>"></noscript><svg><style><img src=x onerror=${set}></style></svg><math><mtext><table><mglyph><style><img src=x onerror=${set}>`,
    srcdoc: `<iframe srcdoc="<script>${set}</script><img src='${t}/srcdoc'>"></iframe>`,
    "meta refresh": `<meta http-equiv="refresh" content="0;url=${t}/refresh"><p>refresh</p>`,
    "base href": `<base href="${t}/base/"><img src="pixel.png"><a href="page">relative</a>`,
    form: `<form action="${t}/form" method="post"><input name="password" value="secret"><button>Log in</button></form>`,
    "css url": `<div style="background:url('${t}/css-url')">bg</div><p style="background-image: image-set('${t}/image-set' 1x)">set</p><style>p{background:url(${t}/style-block)} :root{--x:url(${t}/var)} div{background:var(--x)}</style>`,
    "css import": `<style>@import url("${t}/import.css"); @import '${t}/import2.css';</style><p>import</p>`,
    "font face": `<style>@font-face{font-family:x;src:url(${t}/font.woff)} p{font-family:x}</style><p>font</p>`,
    srcset: `<img srcset="${t}/srcset 1x, ${t}/srcset2 2x"><picture><source srcset="${t}/picture"><img src="${t}/picture-img"></picture>`,
    poster: `<video poster="${t}/poster"><source src="${t}/video"></video><audio src="${t}/audio"></audio>`,
    "svg image": `<svg><filter><feImage href="${t}/feimage"/></filter><image href="${t}/svg-image"/><animate attributeName="href" to="javascript:${set}"/></svg>`,
    "fixed overlay": `<div style="position:fixed;inset:0;z-index:99999;background:red">PAY NOW</div><table background="${t}/table-bg"><tr><td>x</td></tr></table>`,
    "object embed": `<object data="${t}/object"></object><embed src="${t}/embed"><link rel="stylesheet" href="${t}/link.css">`,
  };
}

test.describe("hostile HTML mail", () => {
  let tracker: Tracker;

  test.beforeAll(async () => {
    tracker = await startTracker();
  });
  test.afterAll(async () => {
    await tracker.close();
  });

  test("runs no script and loads nothing remote, whatever the message tries", async ({ page, stack }) => {
    const user = await stack.newUser("hostile");
    const cases = hostileCases(tracker.url);
    for (const [name, html] of Object.entries(cases)) {
      await stack.mail.deliver(
        user.email,
        buildMessage({ from: "attacker@evil.example", to: user.email, subject: `Hostile: ${name}`, html }),
      );
    }
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    tracker.reset();
    await signIn(page, user);

    for (const name of Object.keys(cases)) {
      await row(page, `Hostile: ${name}`).click();
      const frame = page.frameLocator('iframe[title="Message body"]');
      await expect(page.getByRole("article", { name: "Message" })).toContainText(`Hostile: ${name}`);
      await expect(frame.locator("body")).toBeAttached();
      if (name === "javascript link")
        await frame
          .locator("#js")
          .click()
          .catch(() => undefined);
      if (name === "event handlers")
        await frame
          .getByText("hover")
          .hover()
          .catch(() => undefined);
      // The overlay stays inside the frame: the app's own buttons remain usable.
      if (name === "fixed overlay")
        await page.getByRole("button", { name: "Mark as unread" }).click({ trial: true });
    }
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(tracker.hits).toEqual([]);
    // The app is still where it was (no navigation by refresh, base or form).
    expect(new URL(page.url()).host).toBe(new URL(stack.gateway.url).host);
  });

  test("remote content loads only after `Show remote content`", async ({ page, stack }) => {
    const user = await stack.newUser("remote");
    await stack.mail.deliver(
      user.email,
      buildMessage({
        from: "news@shop.example",
        to: user.email,
        subject: "Newsletter with images",
        html: `<h1>Sale</h1><img alt="banner" src="${tracker.url}/banner.gif">`,
      }),
    );
    tracker.reset();
    await signIn(page, user);
    await row(page, "Newsletter with images").click();
    await expect(page.getByText("Remote content (images, styles) was blocked")).toBeVisible();
    await page.waitForTimeout(800);
    expect(tracker.hits).toEqual([]);
    await page.getByRole("button", { name: "Show remote content" }).click();
    await expect.poll(() => tracker.hits).toContain("/banner.gif");
  });
});
