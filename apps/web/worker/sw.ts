// Pismo's service worker: it keeps the app shell (the page, its scripts and styles, the
// manifest and icons) so a reload works while the gateway restarts or the network is gone,
// and it shows the notifications the page asks for. It never caches mail: the API, the
// attachments and the tRPC WebSocket are not routed here (a WebSocket never passes through a
// service worker), so they always go to the network and nothing of them is stored.
import { CacheFirst, ExpirationPlugin, Serwist, type PrecacheEntry } from "serwist";

declare const self: ServiceWorkerGlobalScope;

// Filled in by scripts/build-worker.mjs from the static export: the shell's files only.
declare const PISMO_PRECACHE: (PrecacheEntry | string)[];

/** Same-origin build assets (content-hashed, immutable): the only files cached at run time. */
function isBuildAsset(url: URL): boolean {
  return url.origin === self.location.origin && url.pathname.startsWith("/_next/static/");
}

const serwist = new Serwist({
  precacheEntries: PISMO_PRECACHE,
  precacheOptions: {
    // "/?lang=sr" is the same page as "/": the language is read in the browser.
    ignoreURLParametersMatching: [/.*/],
    // No navigation fallback: the shell is "/" only, and another page (the link check opened
    // from a message) must be that page, from the network.
    cleanURLs: false,
  },
  // A new version waits until the user chooses "Reload" (the page posts SKIP_WAITING), so a
  // page is never swapped to other scripts under a half-written message.
  skipWaiting: false,
  // The first install takes the open page at once, so the views loaded lazily after it
  // (the mailbox) are cached as they load.
  clientsClaim: true,
  navigationPreload: false,
  runtimeCaching: [
    {
      matcher: ({ url, request }) => request.method === "GET" && isBuildAsset(url),
      handler: new CacheFirst({
        cacheName: "pismo-build-assets",
        // CacheFirst keeps only complete same-origin answers (status 200).
        plugins: [new ExpirationPlugin({ maxEntries: 200, maxAgeSeconds: 60 * 60 * 24 * 60 })],
      }),
    },
  ],
});

self.addEventListener("message", (event: ExtendableMessageEvent) => {
  const data = event.data as { type?: unknown } | null;
  if (data?.type === "SKIP_WAITING") void self.skipWaiting();
});

// A click on a mail notification brings the Pismo tab forward and asks it to open the
// message; with no tab left, it opens one.
self.addEventListener("notificationclick", (event: NotificationEvent) => {
  event.notification.close();
  const target = event.notification.data as unknown;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const page = windows[0];
      if (page) {
        await page.focus();
        page.postMessage({ type: "OPEN_MESSAGE", target });
      } else await self.clients.openWindow("/");
    })(),
  );
});

serwist.addEventListeners();
