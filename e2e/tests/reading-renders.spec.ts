import { buildMessage } from "@pismo/mail-harness/seed";
import { expect, test } from "../fixtures/stack";
import { row, signIn } from "../fixtures/mail-ui";

// React calls a DevTools hook on every commit (production builds too). This one counts, per
// commit, the message rows (and the folder tree) whose element was rendered again: an element
// that React skipped keeps the props object of its last render.
const RENDER_COUNTER = `(() => {
  const seen = new WeakMap();
  window.__rowRenders = 0;
  window.__folderRenders = 0;
  const walk = (fiber, rendered) => {
    for (let f = fiber; f; f = f.sibling) {
      const p = f.memoizedProps;
      const isRow = p && p.role === "row" && p["data-message-id"] !== undefined;
      const isFolders = f.type === "nav" && p && p["aria-label"] === "Folders";
      if (typeof f.type === "string" && (isRow || isFolders)) {
        const key = f.stateNode;
        if (key && seen.get(key) !== p) { if (seen.has(key)) rendered[isRow ? "rows" : "folders"]++; seen.set(key, p); }
      }
      if (f.child) walk(f.child, rendered);
    }
  };
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    isDisabled: false,
    renderers: new Map(),
    inject() { return 1; },
    checkDCE() {},
    onScheduleFiberRoot() {},
    onCommitFiberRoot(_id, root) {
      const r = { rows: 0, folders: 0 };
      walk(root.current, r);
      window.__rowRenders += r.rows;
      window.__folderRenders += r.folders;
    },
    onPostCommitFiberRoot() {},
    onCommitFiberUnmount() {},
  };
})();`;

test("opening a message and moving to the next one re-render only the rows whose look changes, not the folder tree", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("renders");
  for (let i = 1; i <= 30; i++)
    await stack.mail.deliver(
      user.email,
      buildMessage({ from: "ana@primer.rs", to: user.email, subject: `Poruka ${i}`, text: `Telo ${i}` }),
    );
  await page.addInitScript({ content: RENDER_COUNTER });
  await signIn(page, user);
  await expect(row(page, "Poruka 30,")).toBeVisible();

  type Counts = { __rowRenders: number; __folderRenders: number };
  const renders = () => page.evaluate(() => (window as unknown as Counts).__rowRenders);
  const folderRenders = () => page.evaluate(() => (window as unknown as Counts).__folderRenders);
  const before = await renders();
  const foldersBefore = await folderRenders();
  await row(page, "Poruka 28,").click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Telo 28");
  // Its read mark, after the paint, is one more render of the same row.
  await expect(row(page, "Poruka 28,")).toHaveAttribute("data-seen", "true");
  await page.keyboard.press("j");
  await expect(page.getByRole("article", { name: "Message" })).toContainText("Telo 27");
  await expect(row(page, "Poruka 27,")).toHaveAttribute("data-seen", "true");
  // Two rows change their look per step (the one left, the one opened), each at most twice
  // (selected, then read): never every row on screen.
  expect((await renders()) - before).toBeLessThanOrEqual(8);
  // The folder tree renders only for its own data: the Inbox's unread count per message marked
  // read (the local guess, then the server's count); opening and moving render it no more.
  expect((await folderRenders()) - foldersBefore).toBeLessThanOrEqual(4);
});
