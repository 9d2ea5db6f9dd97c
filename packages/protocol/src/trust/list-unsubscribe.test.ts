import { describe, expect, it } from "vitest";
import { readHeaderFields } from "./header-fields";
import { MAX_UNSUBSCRIBE_URI, unsubscribeOf } from "./list-unsubscribe";

const of = (...lines: string[]) => unsubscribeOf(readHeaderFields(`${lines.join("\r\n")}\r\n\r\nbody`));

describe("List-Unsubscribe (RFC 2369)", () => {
  it("reads a mailto: with its subject and body, and an https page, in the sender's order", () => {
    expect(
      of(
        "From: Vesti <vesti@lista.primer.rs>",
        "List-Unsubscribe: <mailto:odjava@lista.primer.rs?subject=unsubscribe%20me&body=Molim%20odjavu>,",
        " <https://lista.primer.rs/odjava?u=abc&l=1>",
      ),
    ).toEqual({
      mailto: { address: "odjava@lista.primer.rs", subject: "unsubscribe me", body: "Molim odjavu" },
      web: "https://lista.primer.rs/odjava?u=abc&l=1",
    });
  });

  it("takes either one alone, an http page too, and the first usable of each kind", () => {
    expect(of("List-Unsubscribe: <https://a.example/u/1>, <https://b.example/u/2>")).toEqual({
      mailto: null,
      web: "https://a.example/u/1",
    });
    expect(of("List-Unsubscribe: <http://old.example/leave>")?.web).toBe("http://old.example/leave");
    expect(of("List-Unsubscribe: <MAILTO:Leave@Lists.Example>")).toEqual({
      mailto: { address: "leave@lists.example", subject: null, body: null },
      web: null,
    });
  });

  it("puts together a URI that folding split", () => {
    expect(of("List-Unsubscribe: <https://lists.example/u/abc", " def>")?.web).toBe(
      "https://lists.example/u/abcdef",
    );
  });

  it("is null with no field, or none that Pismo can use", () => {
    expect(of("From: a@example.com")).toBeNull();
    expect(of("List-Unsubscribe: https://no-brackets.example/u")).toBeNull();
    expect(of("List-Unsubscribe: <ftp://files.example/u>")).toBeNull();
  });

  it("refuses what hostile mail writes there: script and data URIs, hidden user parts, bad addresses, endless URIs", () => {
    for (const hostile of [
      "<javascript:alert(1)>",
      "<JaVaScRiPt:alert(document.cookie)>",
      "<data:text/html,<script>alert(1)</script>>",
      "<vbscript:msgbox(1)>",
      "<https://bank.example@evil.example/u>",
      "<https://user:pw@evil.example/u>",
      "<mailto:not-an-address>",
      "<mailto:a@b@c.example>",
      "<mailto:%0d%0aBcc:victim@example.com>",
      `<https://long.example/${"a".repeat(MAX_UNSUBSCRIBE_URI)}>`,
    ])
      expect(of(`List-Unsubscribe: ${hostile}`), hostile).toBeNull();
  });

  it("keeps a mailto: subject on one line and within bounds", () => {
    const u = of(
      `List-Unsubscribe: <mailto:u@lists.example?subject=a%0D%0ABcc:%20x@evil.example&body=${"x".repeat(1500)}>`,
    );
    expect(u?.mailto?.subject).toBe("a Bcc: x@evil.example");
    expect(u?.mailto?.body).toHaveLength(1000);
  });

  it("takes the first address of a mailto: with several", () => {
    expect(of("List-Unsubscribe: <mailto:one@lists.example,two@lists.example>")?.mailto?.address).toBe(
      "one@lists.example",
    );
  });
});
