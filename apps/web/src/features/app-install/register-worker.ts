/**
 * Registers the service worker (public/sw.js, built by scripts/build-worker.mjs) once the page
 * has painted and the browser is idle, so it never competes with the first load; tells the
 * caller when a new version is waiting.
 */
export function registerAppWorker(onWaiting: (worker: ServiceWorker) => void): () => void {
  const sw = typeof navigator === "undefined" ? undefined : navigator.serviceWorker;
  // No worker in `next dev` (its files are not the export's) nor where the browser has none.
  if (!sw || process.env.NODE_ENV !== "production") return () => undefined;
  let cancelled = false;
  let observer: PerformanceObserver | null = null;

  const register = async () => {
    if (cancelled) return;
    // updateViaCache "none": the browser always asks the gateway for sw.js itself, so a
    // deploy is seen on the next check.
    const registration = await sw.register("/sw.js", { scope: "/", updateViaCache: "none" });
    const watch = (worker: ServiceWorker | null) => {
      if (!worker) return;
      const check = () => {
        // A waiting worker with one already in control is an update; the first install is not.
        if (worker.state === "installed" && sw.controller) onWaiting(worker);
      };
      check();
      worker.addEventListener("statechange", check);
    };
    watch(registration.waiting);
    registration.addEventListener("updatefound", () => watch(registration.installing));

    // The scripts the page loaded before the worker took it (the mailbox's own chunks, fetched
    // at sign-in) are put in its cache from the browser's HTTP cache, so a reload without the
    // gateway still finds them; later ones pass through the worker and are cached as they load.
    const ready = await sw.ready;
    const send = (urls: string[]) => {
      const assets = urls.filter((url) => new URL(url).pathname.startsWith("/_next/static/"));
      if (assets.length > 0)
        ready.active?.postMessage({ type: "CACHE_URLS", payload: { urlsToCache: assets } });
    };
    send(performance.getEntriesByType("resource").map((entry) => entry.name));
    observer = new PerformanceObserver((list) => send(list.getEntries().map((entry) => entry.name)));
    observer.observe({ type: "resource" });
  };

  const start = () => {
    const idle = window.requestIdleCallback ?? ((fn: () => void) => setTimeout(fn, 1));
    idle(() => void register().catch(() => undefined));
  };
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start, { once: true });

  // After "Reload" the new worker takes over; the page then reloads onto the new version.
  let reloading = false;
  const onControllerChange = () => {
    if (!reloading && updateAccepted) {
      reloading = true;
      window.location.reload();
    }
  };
  sw.addEventListener("controllerchange", onControllerChange);
  return () => {
    cancelled = true;
    observer?.disconnect();
    sw.removeEventListener("controllerchange", onControllerChange);
  };
}

let updateAccepted = false;

/** The user chose "Reload": the waiting worker takes over, then the page reloads. */
export function acceptUpdate(worker: ServiceWorker): void {
  updateAccepted = true;
  worker.postMessage({ type: "SKIP_WAITING" });
}
