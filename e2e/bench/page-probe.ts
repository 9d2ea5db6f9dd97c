/**
 * Timing code that runs inside the page (installed with addInitScript before any app code).
 * It is a plain string so no compiler helper can leak into it. Every time is the page's
 * performance.now(): milliseconds since navigation start of this document.
 *
 * "painted" is the time after the next frame: a task queued from requestAnimationFrame runs
 * after that frame's paint, so it bounds when the user could first see the change.
 */
export const PROBE_SCRIPT = String.raw`
(() => {
  if (window.__bench) return;
  const B = (window.__bench = { marks: {}, lastClick: null, lastKey: null, pending: null });
  const now = () => performance.now();
  B.timeOrigin = performance.timeOrigin;

  B.afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve(now());
    ch.port2.postMessage(0);
  }));

  /** Resolves when pred() holds, checked after every DOM change: {committed, painted}. */
  B.until = (pred, timeoutMs) => new Promise((resolve, reject) => {
    let done = false;
    const check = () => {
      if (done) return;
      let ok = false;
      try { ok = pred(); } catch (e) { ok = false; }
      if (!ok) return;
      done = true;
      const committed = now();
      mo.disconnect();
      clearTimeout(timer);
      B.afterPaint().then((painted) => resolve({ committed, painted }));
    };
    const mo = new MutationObserver(check);
    mo.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      mo.disconnect();
      reject(new Error("bench: condition not met within " + timeoutMs + " ms"));
    }, timeoutMs);
    check();
  });

  // A load event of an iframe is no DOM change: mark it with an attribute so until() sees it.
  document.addEventListener("load", (e) => {
    const t = e.target;
    if (t && t.tagName === "IFRAME") t.setAttribute("data-bench-loaded", String(now()));
  }, true);
  document.addEventListener("click", (e) => { B.lastClick = e.timeStamp; }, true);
  document.addEventListener("keydown", (e) => { B.lastKey = e.timeStamp; }, true);
  // The reader's submit: the first (the page's early sign-in form keeps it until the app's code
  // has run, which then submits its own form).
  document.addEventListener("submit", () => { if (B.marks.submit === undefined) B.marks.submit = now(); }, true);

  const grid = () => document.querySelector('[role="grid"][aria-label="Messages"]');
  const rows = () => { const g = grid(); return g ? Array.from(g.querySelectorAll('[role="row"]')) : []; };
  const article = () => document.querySelector('article[aria-label="Message"], [role="article"][aria-label="Message"], [role="region"][aria-label="Message"]');
  B.rows = rows;

  /** The open message shows its body: text rendered, or the HTML frame loaded. */
  const bodyShown = (a) => {
    const header = a.querySelector("header");
    if (!header || !header.parentElement) return false;
    const body = header.parentElement.lastElementChild;
    if (!body || body === header) return false;
    const frame = body.tagName === "IFRAME" ? body : body.querySelector('iframe[title="Message body"]');
    if (frame) return frame.hasAttribute("data-bench-loaded");
    return (body.textContent || "").trim().length > 0;
  };
  const selectedLabel = () => { const r = grid() && grid().querySelector('[role="row"][aria-selected="true"]'); return r ? r.getAttribute("aria-label") || "" : null; };

  /** Starts waiting for one kind of change; B.result() returns its times. */
  B.arm = (kind, arg) => {
    const timeout = (arg && arg.timeoutMs) || 30000;
    let pred;
    if (kind === "open") {
      const before = article();
      pred = () => {
        const a = article();
        if (!a || a === before || !bodyShown(a)) return false;
        const h2 = a.querySelector("h2");
        const label = selectedLabel();
        return !!h2 && label !== null && label.includes((h2.textContent || "").trim());
      };
    } else if (kind === "folder") {
      // A row of the new folder may reuse the DOM node of an old one (same UID, same React
      // key), so the first row's label tells the folders apart, not the node.
      const before = rows();
      const oldLabel = before.length ? before[0].getAttribute("aria-label") : null;
      pred = () => {
        const cur = document.querySelector('nav[aria-label="Folders"] [aria-current="page"]');
        if (!cur || !(cur.getAttribute("aria-label") || cur.textContent || "").startsWith(arg.name)) return false;
        const g = grid();
        if (!g || g.getAttribute("aria-busy") === "true") return false;
        const r = rows();
        return r.length >= arg.minRows && r[0].getAttribute("aria-label") !== oldLabel;
      };
    } else if (kind === "row") {
      pred = () => rows().some((r) => (r.getAttribute("aria-label") || "").includes(arg.subject));
    } else if (kind === "seen") {
      pred = () => { const g = grid(); const r = g && g.querySelector('[role="row"][data-message-id="' + arg.uid + '"]'); return !!r && r.getAttribute("data-seen") === String(arg.seen); };
    } else {
      throw new Error("bench: unknown kind " + kind);
    }
    B.pending = B.until(pred, timeout);
    B.pending.catch(() => undefined);
    return true;
  };
  B.result = () => B.pending;

  // Sign-in measurement (?benchRows=N): the form is ready, then N rows are on screen.
  const wanted = Number(new URLSearchParams(location.search).get("benchRows") || 0);
  if (wanted > 0) {
    B.signin = (async () => {
      const form = await B.until(() => !!document.querySelector('input[type="password"]'), 60000);
      B.marks.formReady = form.committed;
      B.marks.formPainted = form.painted;
      const r = await B.until(() => {
        const list = rows();
        if (list.length < wanted) return false;
        const limit = window.innerHeight;
        let visible = 0;
        for (const el of list) { const b = el.getBoundingClientRect(); if (b.height > 0 && b.top >= 0 && b.bottom <= limit) visible++; }
        return visible >= wanted;
      }, 120000);
      B.marks.rowsCommitted = r.committed;
      B.marks.rowsPainted = r.painted;
      return B.marks;
    })();
    B.signin.catch(() => undefined);
  }
})();
`;
