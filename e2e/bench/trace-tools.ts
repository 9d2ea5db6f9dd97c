// Tools the trace scripts share: a CPU profile's self and total times, the gateway's own
// profile through Node's inspector, and a timing proxy in front of Dovecot's IMAP.
import net from "node:net";
import WebSocket from "ws";

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self and total time per function (by name) over a profile's samples, in ms. */
export interface Tally {
  self: Map<string, number>;
  total: Map<string, number>;
  ms: number;
}

/** Adds the samples of `p` that `keep` accepts (at `t` ms into the profile, with their stack). */
export async function tally(
  into: Tally,
  p: Profile,
  name: (f: ProfileNode["callFrame"]) => string | Promise<string>,
  keep: (t: number, stack: string[]) => boolean = () => true,
): Promise<void> {
  const byId = new Map(p.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of p.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  let t = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += (p.timeDeltas[i] ?? 0) / 1000;
    const stack: string[] = [];
    for (let at: number | undefined = p.samples[i]; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node) stack.push(await name(node.callFrame));
    }
    if (!keep(t, stack)) continue;
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    into.ms += dt;
    const leaf = stack[0] ?? "?";
    into.self.set(leaf, (into.self.get(leaf) ?? 0) + dt);
    for (const f of new Set(stack)) into.total.set(f, (into.total.get(f) ?? 0) + dt);
  }
}

/** A tally's heaviest functions, self then total, each time divided by `per`. */
export function tallyLines(t: Tally, per: number, selfRows: number, totalRows: number): string[] {
  const top = (m: Map<string, number>, k: number) =>
    [...m.entries()]
      .filter(([f]) => !/^\((idle|program|root)\)/.test(f))
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([f, ms]) => `  ${(ms / per).toFixed(2).padStart(8)} ms  ${f}`);
  return ["  self:", ...top(t.self, selfRows), "  total:", ...top(t.total, totalRows)];
}

/** A TCP proxy in front of IMAP that notes when each line passed (up: every one; down: the
 * tagged answers, continuations and untagged lines other than FETCH data). */
export async function timedImapProxy(
  targetPort: number,
): Promise<{ port: number; lines: { t: number; text: string }[]; stop(): void }> {
  const lines: { t: number; text: string }[] = [];
  const sockets = new Set<net.Socket>();
  const now = () => performance.timeOrigin + performance.now();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: "127.0.0.1", port: targetPort });
    sockets.add(client).add(upstream);
    let downTail = "";
    client.on("data", (chunk: Buffer) => {
      for (const l of chunk.toString("latin1").split("\r\n"))
        if (l) lines.push({ t: now(), text: `C: ${l.slice(0, 120)}` });
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      const text = downTail + chunk.toString("latin1");
      const parts = text.split("\r\n");
      downTail = parts.pop() ?? "";
      for (const l of parts)
        if (/^(\+ |[A-Za-z0-9.]+ (OK|NO|BAD)|\* (?!\d+ FETCH)[A-Z0-9]+)/.test(l))
          lines.push({ t: now(), text: `S: ${l.slice(0, 120)}` });
      client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      s.on("close", close);
      s.on("error", close);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    lines,
    stop() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** The gateway's own CPU profile, through Node's inspector (started with --inspect). */
export async function nodeProfiler(hostPort: string): Promise<{ stop(): Promise<Profile> }> {
  const list = (await (await fetch(`http://${hostPort}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const ws = new WebSocket(list[0]?.webSocketDebuggerUrl ?? "");
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  let id = 0;
  const send = (method: string, params: object = {}) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const mine = ++id;
      const onMessage = (data: Buffer) => {
        const msg = JSON.parse(data.toString()) as { id?: number; result?: Record<string, unknown> };
        if (msg.id !== mine) return;
        ws.off("message", onMessage);
        resolve(msg.result ?? {});
      };
      ws.on("message", onMessage);
      ws.send(JSON.stringify({ id: mine, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 100 });
  await send("Profiler.start");
  return {
    async stop() {
      const { profile } = (await send("Profiler.stop")) as unknown as { profile: Profile };
      ws.close();
      return profile;
    },
  };
}

export async function gatewaySelfTimes(p: Profile): Promise<string[]> {
  const sum: Tally = { self: new Map(), total: new Map(), ms: 0 };
  const label = (f: ProfileNode["callFrame"]) =>
    `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*?(node_modules|apps|packages)\//, "$1/")}:${f.lineNumber + 1}`;
  await tally(sum, p, label);
  return tallyLines(sum, 1, 30, 60);
}
