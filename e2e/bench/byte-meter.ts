import type { CDPSession } from "@playwright/test";

/** One HTTP response seen by the page, as the network delivered it. */
export interface ResponseRecord {
  url: string;
  type: string;
  status: number;
  /** Bytes on the wire for this response: headers plus (compressed) body, from CDP. */
  wireBytes: number;
  /** Body bytes after content decoding. */
  decodedBytes: number;
  /** Body bytes as the data events counted them (0 where nothing came over the network). */
  dataEncodedBytes: number;
  contentEncoding: string | null;
  fromCache: boolean;
}

export interface ByteCount {
  /** Everything the page received: HTTP responses (headers + body as encoded) and WebSocket frames (header + payload). */
  down: number;
  /** Everything it sent: WebSocket frames (header + mask + payload), HTTP request bodies and reconstructed request headers. */
  up: number;
  httpDown: number;
  wsDown: number;
  wsUp: number;
  httpUp: number;
  requests: number;
  framesDown: number;
  framesUp: number;
}

const empty = (): ByteCount => ({
  down: 0,
  up: 0,
  httpDown: 0,
  wsDown: 0,
  wsUp: 0,
  httpUp: 0,
  requests: 0,
  framesDown: 0,
  framesUp: 0,
});

/** RFC 6455 §5.2: 2 bytes, 2 or 8 more for longer payloads, 4 for a masked (client) frame. */
export function wsFrameBytes(payloadLength: number, masked: boolean): number {
  return 2 + (payloadLength > 65_535 ? 8 : payloadLength > 125 ? 2 : 0) + (masked ? 4 : 0) + payloadLength;
}

function payloadLength(opcode: number, payloadData: string): number {
  // CDP gives text frames as text and binary frames as base64.
  return opcode === 2 ? Buffer.from(payloadData, "base64").length : Buffer.byteLength(payloadData, "utf8");
}

/**
 * Counts every byte a page moves, from Chrome's own network events (exact on-the-wire sizes
 * for HTTP; WebSocket frames are counted from their payload plus the RFC 6455 frame header,
 * which is exact because the gateway does not negotiate permessage-deflate).
 */
export class ByteMeter {
  private total = empty();
  private mark = empty();
  private readonly pending = new Map<
    string,
    {
      url: string;
      type: string;
      status: number;
      decoded: number;
      /** Encoded bytes as the data events report them (the body only). */
      encoded: number;
      encoding: string | null;
      fromCache: boolean;
    }
  >();
  readonly responses: ResponseRecord[] = [];
  /**
   * WebSocket bytes down by tRPC procedure (a request's id names its path; pushes of a
   * subscription count under the subscription's path), to say what a figure's frames carry.
   */
  readonly wsDownByPath = new Map<string, { frames: number; bytes: number }>();
  private readonly pathOfId = new Map<string, string>();
  /** performance-clock time (Node's) of the last network activity. */
  lastActivity = performance.now();

  private constructor(private readonly cdp: CDPSession) {}

  static async attach(cdp: CDPSession): Promise<ByteMeter> {
    const meter = new ByteMeter(cdp);
    meter.listen();
    await cdp.send("Network.enable", {});
    // Once the app's service worker controls the page, the requests it passes on are made by
    // the worker, whose traffic this page session never sees (the page gets the response with
    // 0 bytes "from the service worker"): the mailbox's chunks, loaded at sign-in, went
    // uncounted. Bypassing it, the page fetches them itself; the worker still installs and
    // precaches, from the browser's HTTP cache.
    await cdp.send("Network.setBypassServiceWorker", { bypass: true });
    return meter;
  }

  private touch(): void {
    this.lastActivity = performance.now();
  }

  private listen(): void {
    const c = this.cdp;
    c.on("Network.requestWillBeSent", (e) => {
      this.touch();
      this.pending.set(e.requestId, {
        url: e.request.url,
        type: e.type ?? "Other",
        status: 0,
        decoded: 0,
        encoded: 0,
        encoding: null,
        fromCache: false,
      });
      if (e.request.postData) this.add("httpUp", Buffer.byteLength(e.request.postData, "utf8"));
    });
    c.on("Network.requestWillBeSentExtraInfo", (e) => {
      // The request line is not in the event; "GET /path HTTP/1.1\r\n" is about 30 bytes more.
      let bytes = 2;
      for (const [k, v] of Object.entries(e.headers))
        bytes += k.length + 2 + Buffer.byteLength(String(v), "utf8") + 2;
      this.add("httpUp", bytes);
    });
    c.on("Network.responseReceived", (e) => {
      this.touch();
      const p = this.pending.get(e.requestId);
      if (!p) return;
      p.status = e.response.status;
      p.type = e.type;
      p.fromCache = Boolean(
        e.response.fromDiskCache || e.response.fromPrefetchCache || e.response.fromServiceWorker,
      );
      const headers = Object.fromEntries(
        Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
      );
      p.encoding = headers["content-encoding"] ?? null;
    });
    c.on("Network.dataReceived", (e) => {
      this.touch();
      const p = this.pending.get(e.requestId);
      if (p) {
        p.decoded += e.dataLength;
        p.encoded += e.encodedDataLength;
      }
    });
    c.on("Network.loadingFinished", (e) => {
      this.touch();
      const p = this.pending.get(e.requestId);
      this.pending.delete(e.requestId);
      this.add("httpDown", e.encodedDataLength);
      this.total.requests += 1;
      if (p)
        this.responses.push({
          url: p.url,
          type: p.type,
          status: p.status,
          wireBytes: e.encodedDataLength,
          decodedBytes: p.decoded,
          dataEncodedBytes: p.encoded,
          contentEncoding: p.encoding,
          fromCache: p.fromCache,
        });
    });
    c.on("Network.loadingFailed", (e) => {
      this.pending.delete(e.requestId);
    });
    c.on("Network.webSocketHandshakeResponseReceived", (e) => {
      this.touch();
      // 101 Switching Protocols: status line and headers, as text when Chrome has it.
      const text =
        e.response.headersText ??
        `HTTP/1.1 101 Switching Protocols\r\n${Object.entries(e.response.headers)
          .map(([k, v]) => `${k}: ${String(v)}\r\n`)
          .join("")}\r\n`;
      this.add("httpDown", Buffer.byteLength(text, "latin1"));
      const req = e.response.requestHeadersText;
      if (req) this.add("httpUp", Buffer.byteLength(req, "latin1"));
    });
    c.on("Network.webSocketFrameReceived", (e) => {
      this.touch();
      const bytes = wsFrameBytes(payloadLength(e.response.opcode, e.response.payloadData), false);
      this.add("wsDown", bytes);
      this.total.framesDown += 1;
      const path = e.response.opcode === 1 ? this.framePath(e.response.payloadData) : "(binary)";
      const entry = this.wsDownByPath.get(path) ?? { frames: 0, bytes: 0 };
      entry.frames += 1;
      entry.bytes += bytes;
      this.wsDownByPath.set(path, entry);
    });
    c.on("Network.webSocketFrameSent", (e) => {
      this.touch();
      if (e.response.opcode === 1) this.notePaths(e.response.payloadData);
      this.add("wsUp", wsFrameBytes(payloadLength(e.response.opcode, e.response.payloadData), true));
      this.total.framesUp += 1;
    });
  }

  /** tRPC's WebSocket link sends one request or a batch (an array) of {id, params: {path}}. */
  private notePaths(payload: string): void {
    try {
      const parsed: unknown = JSON.parse(payload);
      for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
        const m = item as { id?: unknown; params?: { path?: unknown } } | null;
        if (m && (typeof m.id === "number" || typeof m.id === "string") && typeof m.params?.path === "string")
          this.pathOfId.set(String(m.id), m.params.path);
      }
    } catch {
      // Not JSON (a ping): nothing to note.
    }
  }

  private framePath(payload: string): string {
    try {
      const parsed: unknown = JSON.parse(payload);
      const first = (Array.isArray(parsed) ? parsed[0] : parsed) as { id?: unknown; method?: unknown } | null;
      if (first && (typeof first.id === "number" || typeof first.id === "string"))
        return this.pathOfId.get(String(first.id)) ?? "(unknown id)";
      return typeof first?.method === "string" ? `(${first.method})` : "(other)";
    } catch {
      return "(not JSON)";
    }
  }

  private add(key: "httpDown" | "wsDown" | "wsUp" | "httpUp", bytes: number): void {
    this.total[key] += bytes;
    if (key === "httpDown" || key === "wsDown") this.total.down += bytes;
    else this.total.up += bytes;
  }

  /** Starts a new interval: since() counts from here. */
  reset(): void {
    this.mark = { ...this.total };
  }

  since(): ByteCount {
    const out = empty();
    for (const k of Object.keys(out) as Array<keyof ByteCount>) out[k] = this.total[k] - this.mark[k];
    return out;
  }

  /** How long the network must be still before a figure's bytes are final (BENCH_SETTLE_MS). */
  static settleMs = 300;

  /** Resolves once nothing moved for quietMs (or after maxMs). */
  async quiet(quietMs = ByteMeter.settleMs, maxMs = 5_000): Promise<void> {
    const deadline = performance.now() + maxMs;
    while (performance.now() < deadline) {
      const idle = performance.now() - this.lastActivity;
      if (idle >= quietMs) return;
      await new Promise((r) => setTimeout(r, Math.max(10, quietMs - idle)));
    }
  }
}
