/**
 * Page-side timing for Roundcube (installed after the bench's PROBE_SCRIPT, whose
 * window.__bench.until / afterPaint / lastClick / lastKey it reuses). A plain string, like
 * PROBE_SCRIPT, so no compiler helper leaks into the page.
 *
 * Roundcube's sign-in spans two documents (the login form posts, the server redirects to the
 * mail view), so its marks are epoch times (timeOrigin + now) carried in sessionStorage.
 */
export const RC_PROBE_SCRIPT = String.raw`
(() => {
  const B = window.__bench;
  if (!B || B.rc || window !== window.top) return;
  B.rc = {};
  const epoch = () => performance.timeOrigin + performance.now();
  const toEpoch = (t) => ({ committed: performance.timeOrigin + t.committed, painted: performance.timeOrigin + t.painted });
  const rows = () => Array.from(document.querySelectorAll("#messagelist tbody tr"));
  const frame = () => document.querySelector("#messagecontframe");
  const store = (k, v) => sessionStorage.setItem("bench." + k, JSON.stringify(v));
  const read = (k) => JSON.parse(sessionStorage.getItem("bench." + k) || "null");
  B.rc.rows = rows;
  B.rc.uid = (tr) => (tr ? String(tr.uid) : null);

  document.addEventListener("submit", () => store("submit", epoch()), true);

  /** n rows of the message list inside the viewport (the list is as tall as the window). */
  const rowsOnScreen = (n) => {
    const list = rows();
    if (list.length < n) return false;
    let visible = 0;
    for (const el of list) { const b = el.getBoundingClientRect(); if (b.height > 0 && b.top >= 0 && b.bottom <= innerHeight) visible++; }
    return visible >= n;
  };

  const wanted = Number(new URLSearchParams(location.search).get("benchRows") || 0);
  if (wanted > 0) {
    // The login document: navigation start, and the form on screen.
    store("signin", { start: performance.timeOrigin, wanted });
    B.until(() => !!document.querySelector("#rcmloginpwd"), 60000).then((t) => store("form", toEpoch(t)), () => undefined);
  }
  const signin = read("signin");
  if (signin && !wanted && /_task=mail/.test(location.search)) {
    // The mail view after the redirect: the first rows painted ends the sign-in.
    sessionStorage.removeItem("bench.signin");
    B.rc.signin = B.until(() => rowsOnScreen(signin.wanted), 120000).then((t) => {
      const rowsT = toEpoch(t);
      return { start: signin.start, form: read("form"), submit: read("submit"), rows: rowsT };
    });
    B.rc.signin.catch(() => undefined);
  }

  /** The preview frame shows message uid with its body. */
  const previewShows = (uid) => {
    const f = frame();
    if (!f || !f.hasAttribute("data-bench-loaded")) return false;
    const d = f.contentDocument;
    if (!d || d.readyState !== "complete" || !d.location.search.includes("_uid=" + uid + "&")) return false;
    const body = d.querySelector("#messagebody");
    return !!body && (body.textContent || "").trim().length > 0;
  };

  B.rc.arm = (kind, arg) => {
    const timeout = (arg && arg.timeoutMs) || 60000;
    let pred;
    if (kind === "open") {
      pred = () => previewShows(arg.uid);
    } else if (kind === "folder") {
      const first = rows()[0] || null;
      pred = () => {
        const cur = document.querySelector("#mailboxlist li.selected > a");
        if (!cur || cur.getAttribute("rel") !== arg.name || window.rcmail.env.mailbox !== arg.name) return false;
        const r = rows();
        return r.length >= arg.minRows && r[0] !== first;
      };
    } else if (kind === "search") {
      // First result: a row of the new list. Complete: Roundcube's request handled, not busy.
      const first = rows()[0] || null;
      const firstRow = () => { const r = rows(); return r.length > 0 && r[0] !== first && !!window.rcmail.env.search_request; };
      B.rc.first = B.until(firstRow, timeout);
      B.rc.first.catch(() => undefined);
      pred = () => firstRow() && !window.rcmail.busy && !window.rcmail.env.qsearch;
    } else {
      throw new Error("bench: unknown Roundcube kind " + kind);
    }
    B.pending = B.until(pred, timeout);
    B.pending.catch(() => undefined);
    return true;
  };
})();
`;
