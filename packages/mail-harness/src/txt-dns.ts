// A tiny DNS server on loopback that answers TXT questions from a table: enough for DKIM
// keys (selector._domainkey.domain) and DMARC records (_dmarc.domain) in tests, so a
// signature made in a test verifies without any real DNS. RFC 1035 §4 message format, UDP
// only, one question per message.

import { createSocket, type Socket } from "node:dgram";
import type { AddressInfo } from "node:net";

export interface TxtDnsServer {
  /** "127.0.0.1:port", as PISMO_DNS_SERVERS takes it. */
  address: string;
  /** Sets or replaces a name's TXT record (long records are split into 255-byte strings). */
  set(name: string, record: string): void;
  /** Names asked for, in order (lower-case, no trailing dot). */
  readonly asked: string[];
  stop(): Promise<void>;
}

const TYPE_TXT = 16;

function readName(message: Buffer, start: number): { name: string; end: number } | null {
  const labels: string[] = [];
  let offset = start;
  for (;;) {
    const length = message[offset];
    if (length === undefined || length > 63) return null;
    offset += 1;
    if (length === 0) break;
    if (offset + length > message.length) return null;
    labels.push(message.subarray(offset, offset + length).toString("latin1"));
    offset += length;
  }
  return { name: labels.join(".").toLowerCase(), end: offset };
}

function txtRdata(record: string): Buffer {
  const bytes = Buffer.from(record, "utf8");
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const chunk = bytes.subarray(i, i + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
    if (bytes.length === 0) break;
  }
  return Buffer.concat(parts);
}

function answer(query: Buffer, records: Map<string, string>, asked: string[]): Buffer | null {
  if (query.length < 12 || query.readUInt16BE(4) !== 1) return null;
  const question = readName(query, 12);
  if (!question || question.end + 4 > query.length) return null;
  const type = query.readUInt16BE(question.end);
  asked.push(question.name);
  const questionBytes = query.subarray(12, question.end + 4);
  const record = records.get(question.name);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  // QR, the question's RD, RA; NXDOMAIN for a name the table does not hold.
  const rd = query.readUInt16BE(2) & 0x0100;
  header.writeUInt16BE(0x8080 | rd | (record === undefined ? 3 : 0), 2);
  header.writeUInt16BE(1, 4);
  if (record === undefined || type !== TYPE_TXT) return Buffer.concat([header, questionBytes]);
  header.writeUInt16BE(1, 6);
  const rdata = txtRdata(record);
  const rr = Buffer.alloc(12);
  rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
  rr.writeUInt16BE(TYPE_TXT, 2);
  rr.writeUInt16BE(1, 4); // IN
  rr.writeUInt32BE(60, 6);
  rr.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([header, questionBytes, rr, rdata]);
}

/** Starts the server on 127.0.0.1 and a free UDP port. */
export async function startTxtDnsServer(initial: Record<string, string> = {}): Promise<TxtDnsServer> {
  const records = new Map<string, string>(
    Object.entries(initial).map(([name, record]) => [name.toLowerCase().replace(/\.$/, ""), record]),
  );
  const asked: string[] = [];
  const socket: Socket = createSocket("udp4");
  socket.on("message", (query, peer) => {
    const reply = answer(query, records, asked);
    if (reply) socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => {
      socket.off("error", reject);
      resolve();
    });
  });
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    asked,
    set(name, record) {
      records.set(name.toLowerCase().replace(/\.$/, ""), record);
    },
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
