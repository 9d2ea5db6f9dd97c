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

// The page's own clock for each request sent on its sockets and each load of the open
// message's frame (a standby neighbour's frame has no title).
const OPEN_TIMELINE = `(() => {
  window.__sent = [];
  window.__bodyLoads = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === "string") window.__sent.push([performance.now(), data]);
    return send.call(this, data);
  };
  document.addEventListener("load", (e) => {
    const t = e.target;
    if (t && t.tagName === "IFRAME" && t.title === "Message body") window.__bodyLoads.push(performance.now());
  }, true);
})();`;

test("opening an HTML message marks it read and fetches its neighbours only once its body's frame has loaded", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("after-shown");
  // A long HTML body: its frame is parsed in tasks of its own, frames after React commits it.
  const rows = Array.from(
    { length: 6000 },
    (_, i) => `<tr><td>Red ${i}</td><td><b>stavka</b> ${i}</td></tr>`,
  );
  for (const [i, html] of [`<p>Prva</p>`, `<table>${rows.join("")}</table>`, `<p>Treća</p>`].entries())
    await stack.mail.deliver(
      user.email,
      buildMessage({ from: "ana@primer.rs", to: user.email, subject: `Pismo ${i + 1}`, html }),
    );
  await page.addInitScript({ content: OPEN_TIMELINE });
  await signIn(page, user);
  await expect(row(page, "Pismo 2,")).toBeVisible();
  await page.waitForTimeout(300);
  const uids = await page
    .getByRole("grid", { name: "Messages" })
    .getByRole("row")
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-message-id"))));
  const opened = uids[1];
  await page.evaluate(() => ((window as unknown as { __sent: unknown[] }).__sent.length = 0));

  await row(page, "Pismo 2,").click();
  await expect(row(page, "Pismo 2,")).toHaveAttribute("data-seen", "true");
  await expect(
    page.getByRole("article", { name: "Message" }).frameLocator("iframe").getByText("Red 5999"),
  ).toBeVisible();
  const { sent, loads } = await page.evaluate(() => {
    const w = window as unknown as { __sent: [number, string][]; __bodyLoads: number[] };
    return { sent: w.__sent, loads: w.__bodyLoads };
  });
  // tRPC may batch requests into one frame: each is found by its path and what it asks for.
  const at = (path: string, uid: number | undefined) =>
    sent
      .filter(([, frame]) =>
        requestsOf(frame).some(
          (r) => r.params?.path === path && new RegExp(`\\b${uid}\\b`).test(JSON.stringify(r.params.input)),
        ),
      )
      .map(([t]) => t);
  const neighbours = [uids[0], uids[2]].flatMap((uid) => at("imap.open", uid));
  const marks = at("imap.setFlags", opened);
  expect(loads.length).toBeGreaterThan(0);
  expect(neighbours.length).toBe(2);
  expect(marks.length).toBe(1);
  // Everything the opening set off left after the body's frame had loaded.
  for (const t of [...neighbours, ...marks]) expect(t).toBeGreaterThan(loads[0] ?? Infinity);
});

/** The tRPC requests in one frame the page sent (batched in an array, or one); none in a ping. */
function requestsOf(frame: string): { params?: { path?: string; input?: unknown } }[] {
  try {
    return ([] as { params?: { path?: string; input?: unknown } }[]).concat(JSON.parse(frame) as never);
  } catch {
    return [];
  }
}
