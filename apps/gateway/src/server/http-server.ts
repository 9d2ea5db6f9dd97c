import http, { type IncomingMessage, type ServerResponse } from "node:http";
import fs from "node:fs";
import sirv from "sirv";
import type { Logger } from "../log";
import { MailError } from "@pismo/protocol/errors";
import { sendError, sendJson } from "./responses";
import { appSecurityHeaders } from "./security-headers";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

export interface HttpServerOptions {
  staticDir: string | null;
  log: Logger;
  /** Routes under /api/, matched by "METHOD /path". */
  routes: Map<string, RouteHandler>;
}

/** Serves the exported UI, health, and the few plain HTTP routes (sign-in sets a cookie). */
export function createHttpServer(opts: HttpServerOptions): http.Server {
  const serveStatic =
    opts.staticDir && fs.existsSync(opts.staticDir)
      ? sirv(opts.staticDir, {
          extensions: ["html"],
          // The export is built with precompressed .br and .gz siblings (apps/web/scripts).
          brotli: true,
          gzip: true,
          etag: true,
          setHeaders(res, pathname) {
            // Hashed build assets never change; pages must be revalidated.
            res.setHeader(
              "Cache-Control",
              pathname.startsWith("/_next/static/") ? "public, max-age=31536000, immutable" : "no-cache",
            );
          },
        })
      : null;
  if (!serveStatic) opts.log.warn("static.missing", { staticDir: opts.staticDir, hint: "run npm run build" });
  const setAppSecurityHeaders = appSecurityHeaders(opts.staticDir, opts.log);

  return http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://gateway.invalid");
    setAppSecurityHeaders(res, url.pathname);
    if (url.pathname === "/healthz") {
      sendJson(res, 200, { ok: true });
      return;
    }
    const route = opts.routes.get(`${req.method} ${url.pathname}`);
    if (route) {
      Promise.resolve(route(req, res, url)).catch((error: unknown) => {
        opts.log.error("http.route_failed", { path: url.pathname, error });
        if (!res.headersSent) sendError(res, error);
        else res.destroy();
      });
      return;
    }
    if (url.pathname.startsWith("/api/")) {
      sendError(res, new MailError("NOT_FOUND", `No API route ${req.method ?? ""} ${url.pathname}`));
      return;
    }
    if (serveStatic && (req.method === "GET" || req.method === "HEAD")) {
      serveStatic(req, res, () => {
        // Unknown paths get the exported 404 page, not a directory listing.
        const notFound = opts.staticDir ? `${opts.staticDir}/404.html` : null;
        res.statusCode = 404;
        if (notFound && fs.existsSync(notFound)) {
          res.setHeader("Content-Type", "text/html; charset=utf-8");
          fs.createReadStream(notFound).pipe(res);
        } else res.end("Not found");
      });
      return;
    }
    res.writeHead(405).end();
  });
}
