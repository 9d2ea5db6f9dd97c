import http, { type IncomingMessage, type ServerResponse } from "node:http";
import fs from "node:fs";
import sirv from "sirv";
import type { Logger } from "../log";
import { MailError } from "@pismo/protocol/errors";
import { sendError, sendJson } from "./responses";
import { appSecurityHeaders } from "./security-headers";
import { requestUrl } from "./request-url";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

export interface HttpServerOptions {
  staticDir: string | null;
  log: Logger;
  /** Routes under /api/, matched by "METHOD /path". */
  routes: Map<string, RouteHandler>;
  /**
   * Pages on other origins the operator listed (PISMO_ALLOWED_ORIGINS: `next dev` on another
   * port) may call the API with the cookie (CORS); no other origin is answered so.
   */
  listedOrigins?: readonly string[];
}

/**
 * CORS for a listed origin on /api/: the browser asks first (OPTIONS) for a request with a body
 * or a cookie, then reads the answer only with these headers. Each state-changing route still
 * checks Origin itself (`isAllowedOrigin`); this only lets a listed page read the answers.
 * True when the request came from a listed origin.
 */
function answerListedOrigin(req: http.IncomingMessage, res: http.ServerResponse, origins: readonly string[]) {
  res.appendHeader("Vary", "Origin");
  const origin = req.headers.origin;
  if (!origin || !origins.includes(origin)) return false;
  res.setHeader("Access-Control-Allow-Origin", origin);
  res.setHeader("Access-Control-Allow-Credentials", "true");
  // The message download's size and file name (message tools), read by the page.
  res.setHeader("Access-Control-Expose-Headers", "X-Message-Size, Content-Disposition");
  return true;
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
    const url = requestUrl(req);
    if (!url) {
      sendError(res, new MailError("BAD_INPUT", "The request's target is not a path"));
      return;
    }
    // A file read for the answer that fails ends that answer, not the gateway: sirv indexes the
    // export when the gateway starts and pipes each file without an error handler, so a file
    // gone since (a build or a deploy writing over the export) threw ENOENT out of the process,
    // and every signed-in session with it.
    res.on("pipe", (source) =>
      source.once("error", (error: unknown) => {
        opts.log.warn("http.file_failed", { path: url.pathname, error });
        if (!res.headersSent) sendError(res, new MailError("NOT_FOUND", "That file is gone"));
        else res.destroy();
      }),
    );
    setAppSecurityHeaders(res, url.pathname);
    if (url.pathname === "/healthz") {
      sendJson(res, 200, { ok: true });
      return;
    }
    if (url.pathname.startsWith("/api/") && answerListedOrigin(req, res, opts.listedOrigins ?? [])) {
      if (req.method === "OPTIONS") {
        res.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE");
        res.setHeader("Access-Control-Allow-Headers", "Content-Type");
        res.setHeader("Access-Control-Max-Age", "600");
        res.writeHead(204).end();
        return;
      }
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
