import { afterEach, describe, expect, it } from "vitest";
import { MemoryBlob } from "./memory-blob";
import { parseMessage } from "./parse-message";

const realBlob = globalThis.Blob;
afterEach(() => {
  globalThis.Blob = realBlob;
});

const text = (b: ArrayBuffer) => new TextDecoder().decode(b);

describe("MemoryBlob", () => {
  it("joins strings, ArrayBuffers, views (at their offset) and other MemoryBlobs, in order", async () => {
    const backing = new TextEncoder().encode("xxVIEWxx");
    const inner = new MemoryBlob(["in", "ner"]);
    const blob = new MemoryBlob(
      ["a-", new TextEncoder().encode("b-").buffer, backing.subarray(2, 6), "-", inner],
      {
        type: "Application/Octet-Stream",
      },
    );
    expect(text(await blob.arrayBuffer())).toBe("a-b-VIEW-inner");
    expect(blob.size).toBe(14);
    expect(blob.type).toBe("application/octet-stream");
    expect(await blob.text()).toBe("a-b-VIEW-inner");
    expect([...(await blob.bytes())]).toEqual([...new TextEncoder().encode("a-b-VIEW-inner")]);
  });

  it("is empty without parts, and encodes text as UTF-8", async () => {
    expect((await new MemoryBlob().arrayBuffer()).byteLength).toBe(0);
    expect(new MemoryBlob(["č"]).size).toBe(2);
  });

  it("gives each call a buffer of its own", async () => {
    const blob = new MemoryBlob(["abc"]);
    const first = new Uint8Array(await blob.arrayBuffer());
    first[0] = 0;
    expect(text(await blob.arrayBuffer())).toBe("abc");
  });
});

/** Messages that use each of postal-mime's decoders: 7bit, quoted-printable and base64. */
const messages = [
  [
    "From: Ana <ana@primer.rs>",
    "Subject: =?UTF-8?Q?Ra=C4=8Dun?=",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b"',
    "",
    "--b",
    'Content-Type: multipart/alternative; boundary="c"',
    "",
    "--c",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: quoted-printable",
    "",
    "U prilogu je ra=C4=8Dun, dug red koji se =",
    "nastavlja.",
    "--c",
    "Content-Type: text/html; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    Buffer.from("<p>U prilogu je <b>račun</b>.</p>").toString("base64"),
    "--c--",
    "--b",
    'Content-Type: application/pdf; name="racun.pdf"',
    "Content-Transfer-Encoding: base64",
    "",
    "JVBERi0xLjQK",
    "AAECAwQ=",
    "BQYH",
    "--b--",
    "",
  ],
  ["From: b@primer.rs", "Subject: plain", "", "line one", "line two", "", "line four", ""],
  [
    "From: c@primer.rs",
    "Subject: latin",
    "Content-Type: text/plain; charset=windows-1250",
    "Content-Transfer-Encoding: 8bit",
    "",
    "\u009a",
    "",
  ],
].map((lines) => Buffer.from(lines.join("\r\n"), "latin1"));

describe("parseMessage with MemoryBlob as the Blob", () => {
  it("gives the same view as with the platform's Blob, for every transfer encoding", async () => {
    for (const raw of messages) {
      const withReal = await parseMessage(new Uint8Array(raw));
      globalThis.Blob = MemoryBlob as unknown as typeof Blob;
      const withMemory = await parseMessage(new Uint8Array(raw));
      globalThis.Blob = realBlob;
      expect(withMemory).toEqual(withReal);
      expect(withReal.subject).not.toBeNull();
    }
  });
});
