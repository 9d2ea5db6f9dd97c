import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../log";
import {
  appContentSecurityPolicy,
  appSecurityHeaders,
  isBuildSubresource,
  readScriptHashes,
} from "./security-headers";

const HASH_A = "sha256-6W1jK7b10QBeFmgIDQS2bx6DWEyHyIYinDE+42oywjY=";
const HASH_B = "sha256-DNm1yh4yqAWpMlNnsaMEbQHaX9ubEyymtHwDZ2dfQUQ=";

function directive(policy: string, name: string): string {
  return policy.split("; ").find((d) => d.startsWith(`${name} `)) ?? "";
}

function recordingLog() {
  const lines: Array<{ level: string; event: string; file?: string }> = [];
  return {
    lines,
    log: createLogger("debug", (line) => lines.push(JSON.parse(line) as (typeof lines)[number])),
  };
}

const dirs: string[] = [];
function exportDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pismo-csp-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the app's Content-Security-Policy", () => {
  it("allows the export's inline scripts by hash and never 'unsafe-inline'", () => {
    const policy = appContentSecurityPolicy([HASH_A, HASH_B]);
    expect(directive(policy, "script-src")).toBe(`script-src 'self' '${HASH_A}' '${HASH_B}'`);
    expect(directive(policy, "script-src")).not.toContain("unsafe");
    // React's inline style attributes still need it; CSS cannot run script.
    expect(directive(policy, "style-src")).toBe("style-src 'self' 'unsafe-inline'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
  });

  it("lets the app's own service worker and manifest load, from its origin only", () => {
    const policy = appContentSecurityPolicy([HASH_A]);
    expect(directive(policy, "worker-src")).toBe("worker-src 'self'");
    expect(directive(policy, "manifest-src")).toBe("manifest-src 'self'");
  });

  it("allows no inline script at all without hashes", () => {
    expect(directive(appContentSecurityPolicy([]), "script-src")).toBe("script-src 'self'");
  });

  it("drops anything in the list that is not a hash source, so it cannot add a directive", () => {
    const policy = appContentSecurityPolicy([HASH_A, "'unsafe-inline'", "sha256-x; script-src *", "*"]);
    expect(directive(policy, "script-src")).toBe(`script-src 'self' '${HASH_A}'`);
  });
});

describe("which responses carry the document headers", () => {
  function headersFor(pathname: string): Map<string, string> {
    const dir = exportDir({ "csp-hashes.json": JSON.stringify({ scriptSrc: [HASH_A] }) });
    const headers = new Map<string, string>();
    appSecurityHeaders(dir, recordingLog().log)(
      { setHeader: (name: string, value: string) => headers.set(name, value) } as unknown as ServerResponse,
      pathname,
    );
    return headers;
  }

  it.each([
    "/",
    "/index.html",
    "/check-link",
    "/sw.js",
    "/api/part",
    "/_next/static/media/icon.svg",
    "/nope",
  ])("%s gets every header, the policy included", (pathname) => {
    const headers = headersFor(pathname);
    expect(headers.get("Content-Security-Policy")).toContain("script-src 'self'");
    expect(headers.get("X-Frame-Options")).toBe("DENY");
    expect(headers.get("X-Content-Type-Options")).toBe("nosniff");
  });

  it.each(["/_next/static/chunks/0abc.js", "/_next/static/chunks/23iehz.css"])(
    "the build's script or stylesheet %s keeps only nosniff",
    (pathname) => {
      const headers = headersFor(pathname);
      expect([...headers.keys()]).toEqual(["X-Content-Type-Options"]);
    },
  );

  it("a path that climbs out of /_next/static/ is not taken for a build file", () => {
    expect(isBuildSubresource("/_next/static/../index.js")).toBe(false);
    expect(isBuildSubresource("/_next/static/chunks/a.js")).toBe(true);
    expect(isBuildSubresource("/_next/static/chunks/a.js.map")).toBe(false);
  });
});

describe("reading the hashes of the static export", () => {
  it("reads csp-hashes.json and sends them on every response", () => {
    const dir = exportDir({ "csp-hashes.json": JSON.stringify({ scriptSrc: [HASH_A, HASH_B] }) });
    const { lines, log } = recordingLog();
    expect(readScriptHashes(dir, log)).toEqual([HASH_A, HASH_B]);
    const headers = new Map<string, string>();
    appSecurityHeaders(dir, log)(
      {
        setHeader: (name: string, value: string) => headers.set(name, value),
      } as unknown as ServerResponse,
      "/",
    );
    expect(directive(headers.get("Content-Security-Policy") ?? "", "script-src")).toBe(
      `script-src 'self' '${HASH_A}' '${HASH_B}'`,
    );
    expect(headers.get("X-Frame-Options")).toBe("DENY");
    expect(lines).toEqual([]);
  });

  it.each([
    ["missing", {}],
    ["not JSON", { "csp-hashes.json": "{" }],
    ["of the wrong shape", { "csp-hashes.json": JSON.stringify({ hashes: [HASH_A] }) }],
    ["holding a non-hash", { "csp-hashes.json": JSON.stringify({ scriptSrc: [HASH_A, "'unsafe-inline'"] }) }],
  ])("fails closed with a warning when the list is %s", (_what, files) => {
    const dir = exportDir(files);
    const { lines, log } = recordingLog();
    expect(readScriptHashes(dir, log)).toEqual([]);
    expect(lines).toMatchObject([
      { level: "warn", event: "csp.hashes_missing", file: path.join(dir, "csp-hashes.json") },
    ]);
  });
});
