import { describe, expect, it } from "vitest";
import { contentDisposition } from "../src/server/attachment-route";
import { newUser, signIn, useStack } from "./helpers";

/** Downloading a part of hostile mail must not take the mailbox with it. */
describe("a part whose name has no UTF-8 form", () => {
  const stack = useStack();

  it("is named with U+FFFD, not refused", () => {
    expect(contentDisposition("attachment", "a\ud800b.pdf")).toBe(
      `attachment; filename="a_b.pdf"; filename*=UTF-8''a%EF%BF%BDb.pdf`,
    );
  });

  // An encoded word in UTF-16 cut in half decodes to a lone surrogate. Its download once threw
  // after the part's FETCH had begun and never ended that stream: the session's every later
  // command waited behind it, for good.
  it("downloads, and the mailbox goes on answering after it", async () => {
    const user = await newUser(stack, { prefix: "surrogate" });
    const msg = (subject: string, filename: string) =>
      [
        "From: a@primer.rs",
        `To: ${user.email}`,
        `Subject: ${subject}`,
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="b"',
        "",
        "--b",
        "Content-Type: text/plain",
        "",
        "hi",
        "--b",
        "Content-Type: application/octet-stream",
        `Content-Disposition: attachment; filename="${filename}"`,
        "Content-Transfer-Encoding: base64",
        "",
        "aGVsbG8=",
        "--b--",
        "",
      ].join("\r\n");
    await stack.mail.deliver(user.email, msg("hostile", "=?utf-16be?B?2AA=?="));
    await stack.mail.deliver(user.email, msg("normal", "ok.bin"));
    const cookie = await signIn(stack, user.email, user.password);
    const part = async (uid: number) => {
      const res = await fetch(`${stack.gateway.url}/api/part?folder=INBOX&uid=${uid}&part=2`, {
        headers: { Cookie: cookie },
        signal: AbortSignal.timeout(10_000),
      });
      return {
        status: res.status,
        body: await res.text(),
        disposition: res.headers.get("content-disposition"),
      };
    };
    const hostile = await part(1);
    expect(hostile.status).toBe(200);
    expect(hostile.body).toBe("hello");
    expect(hostile.disposition).toContain("%EF%BF%BD");
    expect(await part(2)).toMatchObject({ status: 200, body: "hello" });
  });
});
