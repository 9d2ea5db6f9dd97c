import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { generateMessages, planFolders } from "./generate";
import { buildMessage, encodeWord, quotedPrintable } from "./mime";

const take = (n: number, seed: number): Buffer[] => {
  const out: Buffer[] = [];
  for (const m of generateMessages({ count: n, seed })) out.push(Buffer.from(m.raw));
  return out;
};

/** Minimal decoders, independent of the encoders under test. */
function decodeQp(text: string): Buffer {
  const soft = text.replace(/=\r\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === "=") {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(soft.charCodeAt(i));
  }
  return Buffer.from(bytes);
}

function decodeWords(header: string): string {
  return header
    .replace(/\r\n /g, "")
    .replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_m, cs: string, enc: string, data: string) => {
      const bytes =
        enc.toUpperCase() === "B" ? Buffer.from(data, "base64") : decodeQp(data.replace(/_/g, " "));
      return iconv.decode(bytes, cs);
    });
}

describe("generateMessages", () => {
  it("is deterministic: the same seed gives the same bytes, another seed does not", () => {
    const a = take(300, 42);
    const b = take(300, 42);
    const c = take(300, 43);
    expect(a.length).toBe(300);
    expect(a.every((m, i) => m.equals(b[i] as Buffer))).toBe(true);
    expect(a.some((m, i) => !m.equals(c[i] as Buffer))).toBe(true);
  });

  it("fills folders exactly as planned, with rising dates and a realistic mix", () => {
    const opts = { count: 1000, folders: { "Računi/2026": 25, Drafts: 5 }, seed: 9 };
    const plan = planFolders(opts);
    const counts: Record<string, number> = {};
    let last = 0;
    let rising = 0;
    const charsets = new Set<string>();
    let attachments = 0;
    let html = 0;
    let seen = 0;
    for (const m of generateMessages(opts)) {
      counts[m.folder] = (counts[m.folder] ?? 0) + 1;
      if (m.date.getTime() >= last) rising++;
      last = m.date.getTime();
      const head = Buffer.from(m.raw).toString("latin1");
      for (const cs of ["utf-8", "windows-1250", "iso-8859-2"])
        if (head.includes(`charset=${cs}`)) charsets.add(cs);
      if (head.includes("Content-Disposition: attachment")) attachments++;
      if (head.includes("text/html")) html++;
      if (m.flags.includes("\\Seen")) seen++;
      // CRLF only: the harness writes W= (virtual size) equal to the file size.
      expect(/(^|[^\r])\n/.test(head)).toBe(false);
      expect(head.split("\r\n").every((l) => l.length <= 998)).toBe(true);
    }
    expect(Object.fromEntries(plan)).toEqual(counts);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1030);
    expect(counts["Računi/2026"]).toBe(25 + 50);
    expect(rising).toBeGreaterThan(900);
    expect([...charsets].sort()).toEqual(["iso-8859-2", "utf-8", "windows-1250"]);
    expect(attachments).toBeGreaterThan(20);
    expect(html).toBeGreaterThan(100);
    expect(seen).toBeGreaterThan(700);
  });

  it("adds a few big attachments only when asked", () => {
    let big = 0;
    for (const m of generateMessages({ count: 2000, seed: 1, bigAttachments: true }))
      if (m.raw.length > 1_000_000) big++;
    expect(big).toBeGreaterThanOrEqual(2);
  });
});

describe("buildMessage", () => {
  const SERBIAN = "čćšđž ČĆŠĐŽ";

  it.each(["windows-1250", "iso-8859-2", "utf-8"] as const)(
    "round-trips Serbian letters through %s (8bit and quoted-printable)",
    (charset) => {
      for (const transferEncoding of ["8bit", "quoted-printable"] as const) {
        const raw = Buffer.from(
          buildMessage({
            from: "a@b.test",
            to: "c@d.test",
            subject: SERBIAN,
            text: `${SERBIAN}\n`,
            charset,
            transferEncoding,
          }),
        );
        const text = raw.toString("latin1");
        const [head, body] = text.split("\r\n\r\n") as [string, string];
        expect(head).toContain(`charset=${charset}`);
        expect(decodeWords(/Subject: (.*(?:\r\n .*)*)/.exec(head)?.[1] ?? "")).toBe(SERBIAN);
        const bytes = transferEncoding === "8bit" ? Buffer.from(body, "latin1") : decodeQp(body);
        expect(iconv.decode(bytes, charset)).toBe(`${SERBIAN}\r\n`);
      }
    },
  );

  it("encodes headers as RFC 2047 B and Q words within 75 characters", () => {
    const long = "Đorđe Šćekić šalje račun za održavanje – ".repeat(4);
    for (const enc of ["B", "Q"] as const) {
      const word = encodeWord(long, "utf-8", enc);
      expect(word.split("\r\n ").every((w) => w.length <= 75)).toBe(true);
      expect(decodeWords(word)).toBe(long);
    }
    expect(encodeWord("plain ascii")).toBe("plain ascii");
  });

  it("builds multipart/mixed with RFC 2231 non-ASCII filenames and multipart/related for cid: images", () => {
    const raw = Buffer.from(
      buildMessage({
        from: { name: "Ana Ćirić", address: "ana@posta.rs" },
        to: "c@d.test",
        subject: "Prilog",
        text: "vidi prilog",
        html: '<p>slika: <img src="cid:logo@x"></p>',
        attachments: [
          {
            filename: "račun.pdf",
            contentType: "application/pdf",
            content: new Uint8Array([37, 80, 68, 70]),
          },
          {
            filename: "logo.png",
            contentType: "image/png",
            content: new Uint8Array([137, 80, 78, 71]),
            inline: true,
            contentId: "logo@x",
          },
        ],
      }),
    ).toString("latin1");
    expect(raw).toContain("multipart/mixed");
    expect(raw).toContain("multipart/alternative");
    expect(raw).toContain("multipart/related");
    expect(raw).toContain("filename*=UTF-8''ra%C4%8Dun.pdf");
    expect(raw).toContain("Content-ID: <logo@x>");
    expect(raw).toContain("From: =?UTF-8?B?");
  });

  it("encodes a non-ASCII name given as a plain string, and refuses what it cannot encode", () => {
    const head = (opts: Partial<Parameters<typeof buildMessage>[0]>) =>
      Buffer.from(buildMessage({ from: "a@b.test", to: "c@d.test", subject: "s", text: "t", ...opts }))
        .toString("latin1")
        .split("\r\n\r\n")[0] ?? "";
    const from = (h: string) => /^From: (.*)$/m.exec(h)?.[1] ?? "";
    expect(decodeWords(from(head({ from: "Šef <sef@firma.rs>" })))).toBe("Šef <sef@firma.rs>");
    expect(from(head({ from: "Šef <sef@firma.rs>" }))).toBe(
      from(head({ from: { name: "Šef", address: "sef@firma.rs" } })),
    );
    expect(decodeWords(from(head({ from: '"Đorđe" <dj@firma.rs>' })))).toBe("Đorđe <dj@firma.rs>");
    expect(from(head({ from: "Ana <ana@firma.rs>" }))).toBe("Ana <ana@firma.rs>");
    expect(() => head({ from: "šef@firma.rs" })).toThrow(/not ASCII/);
    expect(() => head({ to: { name: "Ana", address: "ana@čačak.rs" } })).toThrow(/not ASCII/);
    expect(() => head({ headers: { "X-Note": "đak" } })).toThrow(/X-Note is not ASCII/);
  });

  it("quoted-printable keeps lines short and protects a leading dot and trailing blanks", () => {
    const qp = quotedPrintable(Buffer.from(`${"x".repeat(200)}\n.dot\ntrailing \n`, "utf8"));
    expect(qp.split("\r\n").every((l) => l.length <= 76)).toBe(true);
    expect(qp).toContain("=2Edot");
    expect(qp).toContain("trailing=20");
  });
});
