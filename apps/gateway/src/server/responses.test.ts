import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { acceptedEncoding, sendJson } from "./responses";

describe("acceptedEncoding", () => {
  it("prefers brotli, then gzip, as the request accepts them", () => {
    expect(acceptedEncoding("gzip, deflate, br, zstd")).toBe("br");
    expect(acceptedEncoding("gzip, deflate")).toBe("gzip");
    expect(acceptedEncoding("GZIP;q=0.5")).toBe("gzip");
    expect(acceptedEncoding(["deflate", "br"])).toBe("br");
  });

  it("sends neither when none is accepted or a q of 0 refuses it", () => {
    expect(acceptedEncoding(undefined)).toBeNull();
    expect(acceptedEncoding("")).toBeNull();
    expect(acceptedEncoding("identity")).toBeNull();
    expect(acceptedEncoding("br;q=0, gzip;q=0")).toBeNull();
    expect(acceptedEncoding("br;q=0, gzip")).toBe("gzip");
    expect(acceptedEncoding("*;q=0")).toBeNull();
    expect(acceptedEncoding("*")).toBe("br");
    expect(acceptedEncoding("*, br;q=0")).toBe("gzip");
  });
});

/** A response that keeps what was written. */
function fakeResponse() {
  const out = { status: 0, headers: {} as Record<string, unknown>, body: Buffer.alloc(0) };
  const res = Object.assign(new EventEmitter(), {
    writeHead(status: number, headers: Record<string, unknown>) {
      out.status = status;
      out.headers = headers;
      return res;
    },
    end(data: string | Buffer) {
      out.body = Buffer.from(data);
      return res;
    },
  });
  return { res: res as unknown as ServerResponse, out };
}

const request = (acceptEncoding?: string) =>
  ({ headers: acceptEncoding === undefined ? {} : { "accept-encoding": acceptEncoding } }) as IncomingMessage;

describe("sendJson", () => {
  const rows = Array.from({ length: 50 }, (_, i) => ({ uid: i + 1, subject: `Red ${i}`, seen: i % 2 === 0 }));

  it("compresses an answer for a request that accepts it, and says so", () => {
    for (const [accept, encoding, decode] of [
      ["gzip, br", "br", brotliDecompressSync],
      ["gzip", "gzip", gunzipSync],
    ] as const) {
      const { res, out } = fakeResponse();
      sendJson(res, 200, { rows }, request(accept));
      expect(out.headers["Content-Encoding"]).toBe(encoding);
      expect(out.headers.Vary).toBe("Accept-Encoding");
      expect(out.headers["Content-Length"]).toBe(out.body.length);
      expect(out.body.length).toBeLessThan(JSON.stringify({ rows }).length / 3);
      expect(JSON.parse(decode(out.body).toString("utf8"))).toEqual({ rows });
    }
  });

  it("sends plain JSON without the request, to a client that accepts no encoding, or when small", () => {
    for (const [body, req] of [
      [{ rows }, undefined],
      [{ rows }, request()],
      [{ ok: true }, request("br")],
    ] as const) {
      const { res, out } = fakeResponse();
      sendJson(res, 200, body, req);
      expect(out.headers["Content-Encoding"]).toBeUndefined();
      expect(JSON.parse(out.body.toString("utf8"))).toEqual(body);
      expect(out.headers["Content-Length"]).toBe(out.body.length);
    }
  });
});
