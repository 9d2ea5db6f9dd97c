import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { htmlAsText } from "./as-text";

const parse = (html: string) => new JSDOM(html).window.document;

describe("htmlAsText", () => {
  it("reads HTML as lines, and never its scripts or styles", () => {
    const html =
      "<p>Poštovani,</p><p>hvala na <b>poruci</b>.<br>Javljam se sutra.</p><script>alert(1)</script><style>p{}</style><ul><li>jedan</li><li>dva</li></ul>";
    expect(htmlAsText(parse(html))).toBe("Poštovani,\nhvala na poruci.\nJavljam se sutra.\njedan\ndva");
  });

  it("keeps a blank line between paragraphs at most, and reads a whole document's body only", () => {
    const html =
      "<html><head><title>Naslov</title></head><body><div>Prvi</div><br><br><br><div>Drugi  </div><table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table></body></html>";
    expect(htmlAsText(parse(html))).toBe("Prvi\n\nDrugi\nab\nc");
  });
});
