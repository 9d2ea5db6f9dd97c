import { createHash, randomBytes } from "node:crypto";
import { buildMessage } from "@pismo/mail-harness/seed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectClient,
  makeUsers,
  rawlogBytesOut,
  rawlogCommands,
  signIn,
  startStack,
  type TestStack,
} from "./helpers";

const from = { name: "Dragana Petrović", address: "dragana@example.rs" };

describe("reading IMAP mail against Dovecot", () => {
  let stack: TestStack;
  const [reader] = makeUsers(1);
  let cookie = "";
  let browser: ReturnType<typeof connectClient>;
  const big = randomBytes(10 * 1024 * 1024);
  const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(2000)]);
  const uidOf = new Map<string, number>();

  beforeAll(async () => {
    stack = await startStack({ mail: { users: [reader!], rawlog: true } });
    const u = reader!.email;
    await stack.mail.deliver(
      u,
      buildMessage({
        from,
        to: u,
        subject: "Račun za struju — novembar",
        charset: "windows-1250",
        transferEncoding: "8bit",
        text: "Poštovani,\nšaljemo vam račun: ČĆŽŠĐ čćžšđ.\nPozdrav",
      }),
    );
    await stack.mail.deliver(
      u,
      buildMessage({
        from,
        to: u,
        subject: "Čestitka",
        charset: "iso-8859-2",
        transferEncoding: "quoted-printable",
        text: "Srećna Nova godina (tekst)",
        html: "<p>Srećna <b>Nova godina</b>, želimo vam sve najbolje!</p>",
      }),
    );
    await stack.mail.deliver(
      u,
      buildMessage({
        from,
        to: u,
        subject: "Prilozi",
        text: "U prilogu.",
        attachments: [
          { filename: "izveštaj.pdf", contentType: "application/pdf", content: pdf },
          {
            filename: "stranica.html",
            contentType: "text/html",
            content: "<script>alert(1)</script><p>hi</p>",
          },
        ],
      }),
    );
    await stack.mail.deliver(
      u,
      buildMessage({
        from,
        to: u,
        subject: "Veliki prilog",
        text: "Deset megabajta u prilogu.",
        attachments: [{ filename: "arhiva.bin", contentType: "application/octet-stream", content: big }],
      }),
    );
    await stack.mail.deliver(u, buildMessage({ from, to: u, subject: "Samo pogledaj", text: "peek" }));
    await stack.mail.deliver(
      u,
      buildMessage({
        from,
        to: u,
        subject: "Re: Sastanak",
        text: "Odgovor",
        messageId: "reply-1@example.rs",
        inReplyTo: "second@example.rs",
        references: ["first@example.rs", "second@example.rs"],
      }),
    );
    await stack.mail.deliver(
      u,
      buildMessage({
        from: { name: "Vesti", address: "vesti@lista.primer.rs" },
        to: u,
        subject: "Nedeljne vesti",
        text: "Vesti.",
        headers: {
          "List-Unsubscribe":
            "<mailto:odjava@lista.primer.rs?subject=unsubscribe>, <https://lista.primer.rs/odjava?u=1>",
        },
      }),
    );
    cookie = await signIn(stack, u, reader!.password);
    browser = connectClient(stack.gateway.url, cookie);
    const w = await browser.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 50 });
    for (const m of w.messages) uidOf.set(m.subject, m.uid);
  }, 60_000);
  afterAll(async () => {
    void browser?.close();
    await stack?.stop();
  });

  const part = (uid: number, p: string, extra = "") =>
    fetch(`${stack.gateway.url}/api/part?folder=INBOX&uid=${uid}&part=${p}${extra}`, {
      headers: { Cookie: cookie },
    });
  const seenOnServer = async (uid: number) =>
    (
      await stack.mail.doveadm([
        "-f",
        "flow",
        "fetch",
        "-u",
        reader!.email,
        "flags",
        "mailbox",
        "INBOX",
        "uid",
        String(uid),
      ])
    ).includes("\\Seen");

  it("lists the messages with decoded subjects and the attachment mark", () => {
    expect([...uidOf.keys()].sort()).toEqual(
      [
        "Prilozi",
        "Račun za struju — novembar",
        "Re: Sastanak",
        "Nedeljne vesti",
        "Samo pogledaj",
        "Veliki prilog",
        "Čestitka",
      ].sort(),
    );
  });

  it("opens a windows-1250 text message decoded, and marks it \\Seen on the server", async () => {
    const uid = uidOf.get("Račun za struju — novembar")!;
    expect(await seenOnServer(uid)).toBe(false);
    const m = await browser.client.imap.open.query({ folder: "INBOX", uid });
    expect(m.subject).toBe("Račun za struju — novembar");
    expect(m.from).toEqual({ name: "Dragana Petrović", address: "dragana@example.rs" });
    expect(m.body.kind).toBe("text");
    expect(m.body.content).toContain("šaljemo vam račun: ČĆŽŠĐ čćžšđ.");
    expect(m.body.content).not.toContain("\uFFFD");
    expect(m.seen).toBe(true);
    expect(await seenOnServer(uid)).toBe(true);
    expect(m.attachments).toEqual([]);
  });

  it("opens the HTML part of an iso-8859-2 alternative message", async () => {
    const m = await browser.client.imap.open.query({ folder: "INBOX", uid: uidOf.get("Čestitka")! });
    expect(m.body.kind).toBe("html");
    expect(m.body.content).toContain("Srećna <b>Nova godina</b>, želimo vam sve najbolje!");
    expect(m.subject).toBe("Čestitka");
  });

  it("opens a single-part message it has not listed with two FETCH commands, its summary and its text", async () => {
    // A session of its own: this one's list above told it every row's structure.
    const other = connectClient(stack.gateway.url, await signIn(stack, reader!.email, reader!.password));
    try {
      const uid = uidOf.get("Samo pogledaj")!;
      const before = (await rawlogCommands(stack.mail, reader!.email)).length;
      const m = await other.client.imap.open.query({ folder: "INBOX", uid, peek: true });
      expect(m.body.content).toContain("peek");
      const fetches = (await rawlogCommands(stack.mail, reader!.email))
        .slice(before)
        .filter((c) => new RegExp(`^\\S+ UID FETCH ${uid} `, "i").test(c));
      // Not a third: the structure fetched with the summary already tells a single part (its
      // text is BODY[TEXT]) from a multipart's first part.
      expect(fetches).toHaveLength(2);
      expect(fetches[1]).toMatch(/BODY\.PEEK\[TEXT\]/i);
    } finally {
      void other.close();
    }
  });

  it("does not set \\Seen when peeking", async () => {
    const uid = uidOf.get("Samo pogledaj")!;
    const m = await browser.client.imap.open.query({ folder: "INBOX", uid, peek: true });
    expect(m.seen).toBe(false);
    expect(m.body.content).toContain("peek");
    expect(await seenOnServer(uid)).toBe(false);
  });

  it("opens a listed message with one FETCH: its summary and the part shown, decoded by the server", async () => {
    // What each message showed when opened without a listing (the tests above), as a check.
    const unlisted = new Map<string, string>();
    for (const subject of ["Čestitka", "Račun za struju — novembar", "Prilozi"]) {
      const m = await browser.client.imap.open.query({
        folder: "INBOX",
        uid: uidOf.get(subject)!,
        peek: true,
      });
      unlisted.set(subject, m.body.content);
    }
    // The list's FETCH brings each row's structure: the gateway learns which part each shows.
    await browser.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 50 });
    for (const [subject, content] of unlisted) {
      const uid = uidOf.get(subject)!;
      // Each connection writes its own rawlog: what is new is what was not there before.
      const fetchesOf = async () =>
        (await rawlogCommands(stack.mail, reader!.email)).filter((c) =>
          new RegExp(`^\\S+ UID FETCH ${uid} `, "i").test(c),
        );
      const before = await fetchesOf();
      const m = await browser.client.imap.open.query({ folder: "INBOX", uid, peek: true });
      const fetches = (await fetchesOf()).filter((c) => !before.includes(c));
      expect(fetches, subject).toHaveLength(1);
      // Quoted-printable, 8-bit and a multipart's first part: undone by the server (RFC 3516).
      expect(fetches[0], subject).toMatch(/BINARY\.PEEK\[[\d.]+\]<0\.\d+>/i);
      expect(m.body.content, subject).toBe(content);
    }
    expect(unlisted.get("Čestitka")).toContain("Srećna <b>Nova godina</b>, želimo vam sve najbolje!");
    expect(unlisted.get("Račun za struju — novembar")).toContain("ČĆŽŠĐ čćžšđ");
  });

  it("lists attachments with part numbers; GET /api/part streams them safely", async () => {
    const uid = uidOf.get("Prilozi")!;
    const m = await browser.client.imap.open.query({ folder: "INBOX", uid });
    expect(m.body).toMatchObject({ kind: "text" });
    expect(m.body.content).toContain("U prilogu.");
    expect(m.attachments).toEqual([
      expect.objectContaining({
        part: "2",
        filename: "izveštaj.pdf",
        mimeType: "application/pdf",
        inline: false,
      }),
      expect.objectContaining({ part: "3", filename: "stranica.html", mimeType: "text/html", inline: false }),
    ]);
    const res = await part(uid, "2");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(res.headers.get("content-disposition")).toContain("filename*=UTF-8''izve%C5%A1taj.pdf");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toMatch(/\bsandbox\b/);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);

    const html = await part(uid, "3", "&inline=1");
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("application/octet-stream");
    expect(html.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(await html.text()).toBe("<script>alert(1)</script><p>hi</p>");
  });

  it("refuses /api/part without a session or with bad input", async () => {
    const uid = uidOf.get("Prilozi")!;
    const anonymous = await fetch(`${stack.gateway.url}/api/part?folder=INBOX&uid=${uid}&part=2`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()) as unknown).toMatchObject({ error: { code: "NOT_SIGNED_IN" } });
    expect((await part(uid, "2;x")).status).toBe(400);
    // The connection still works after refusals.
    expect((await part(uid, "2")).status).toBe(200);
  });

  it("opens a message with a 10 MB attachment without downloading the attachment", async () => {
    const uid = uidOf.get("Veliki prilog")!;
    const before = await rawlogBytesOut(stack.mail, reader!.email);
    const started = performance.now();
    const m = await browser.client.imap.open.query({ folder: "INBOX", uid });
    const elapsed = performance.now() - started;
    expect(m.body.content).toContain("Deset megabajta u prilogu.");
    expect(m.attachments).toEqual([expect.objectContaining({ part: "2", filename: "arhiva.bin" })]);
    expect(m.attachments[0]!.size).toBeGreaterThan(10 * 1024 * 1024); // base64 on the wire
    expect(elapsed).toBeLessThan(5000);
    const after = await rawlogBytesOut(stack.mail, reader!.email);
    expect(after - before).toBeLessThan(200 * 1024);
    const fetched = (await rawlogCommands(stack.mail, reader!.email)).filter((c) =>
      new RegExp(`UID FETCH ${uid} `).test(c),
    );
    expect(fetched.some((c) => /\[1\]/.test(c))).toBe(true);
    expect(fetched.filter((c) => /\[2\]|BODY(\.PEEK)?\[\]|RFC822[ )]|\[TEXT\]/.test(c))).toEqual([]);
  });

  it("streams the 10 MB attachment byte-exact", async () => {
    const uid = uidOf.get("Veliki prilog")!;
    const res = await part(uid, "2");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="arhiva.bin"/);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBe(big.length);
    expect(createHash("sha256").update(body).digest("hex")).toBe(
      createHash("sha256").update(big).digest("hex"),
    );
    // The session is still usable afterwards (the folder lock was released).
    expect((await browser.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 5 })).total).toBe(7);
  });

  it("carries the Message-ID, In-Reply-To and References for threading a reply", async () => {
    const m = await browser.client.imap.open.query({
      folder: "INBOX",
      uid: uidOf.get("Re: Sastanak")!,
      peek: true,
    });
    expect(m.messageId).toBe("<reply-1@example.rs>");
    expect(m.inReplyTo).toBe("<second@example.rs>");
    expect(m.references).toEqual(["<first@example.rs>", "<second@example.rs>"]);
    expect(
      (
        await browser.client.imap.open.query({
          folder: "INBOX",
          uid: uidOf.get("Samo pogledaj")!,
          peek: true,
        })
      ).references,
    ).toEqual([]);
  });

  it("says how to leave the list a message came from (List-Unsubscribe), and nothing for one without", async () => {
    const open = (subject: string) =>
      browser.client.imap.open.query({ folder: "INBOX", uid: uidOf.get(subject)!, peek: true });
    expect((await open("Nedeljne vesti")).unsubscribe).toEqual({
      mailto: { address: "odjava@lista.primer.rs", subject: "unsubscribe", body: null },
      web: "https://lista.primer.rs/odjava?u=1",
    });
    expect((await open("Samo pogledaj")).unsubscribe).toBeNull();
  });

  it("answers NOT_FOUND for a message that does not exist", async () => {
    await expect(browser.client.imap.open.query({ folder: "INBOX", uid: 99_999 })).rejects.toMatchObject({
      data: { mailCode: "NOT_FOUND" },
    });
    expect((await part(99_999, "2")).status).toBe(404);
  });

  it("shows the text of a multipart without a boundary, with a note saying why", async () => {
    // RFC 2046 §5.1.1 makes the boundary mandatory. Dovecot's BODYSTRUCTURE for such a
    // message reports one invented, empty text/plain child; the text is in the root's body.
    await stack.mail.createFolder(reader!.email, "Neispravne");
    await stack.mail.deliver(
      reader!.email,
      [
        "From: dragana@example.rs",
        `To: ${reader!.email}`,
        "Subject: Bez granice",
        "MIME-Version: 1.0",
        "Content-Type: multipart/alternative; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        "Ćao, ovo je tekst bez granice.",
        "Drugi red.",
        "",
      ].join("\r\n"),
      { folder: "Neispravne" },
    );
    const w = await browser.client.imap.list.query({ folder: "Neispravne", offset: 0, limit: 5 });
    const m = await browser.client.imap.open.query({
      folder: "Neispravne",
      uid: w.messages[0]!.uid,
      peek: true,
    });
    expect(m.body.kind).toBe("text");
    expect(m.body.content).toContain("Ćao, ovo je tekst bez granice.\r\nDrugi red.");
    expect(m.attachments).toEqual([]);
    expect(m.notes).toEqual([
      { code: "MALFORMED", detail: expect.stringMatching(/multipart\/alternative.*no boundary/) as unknown },
    ]);
  });
});
