import { JSDOM } from "jsdom";
import { htmlAsText } from "../html/as-text";
import { describe, expect, it } from "vitest";
import {
  MAX_TEMPLATES,
  mergeTemplates,
  newestTemplates,
  templateAsHtml,
  templateAsText,
  templateBodySchema,
  templatesFolderOf,
} from ".";
import type { StoredTemplate } from ".";

const folder = (name: string, parentPath = "", selectable = true) => ({ name, parentPath, selectable });
const template = (id: string, savedAt: number, name = id): StoredTemplate => ({
  id,
  name,
  text: `${name} text`,
  html: null,
  savedAt,
});

describe("templatesFolderOf", () => {
  it("finds Templates at the top or under the Inbox, in any case, and nothing else", () => {
    expect(templatesFolderOf([folder("INBOX"), folder("Templates")])?.name).toBe("Templates");
    expect(templatesFolderOf([folder("templates", "INBOX")])?.name).toBe("templates");
    expect(templatesFolderOf([folder("TEMPLATES")])?.name).toBe("TEMPLATES");
    // Someone's project folder of that name lower in the tree is not the account's.
    expect(templatesFolderOf([folder("Templates", "Posao")])).toBeUndefined();
    expect(templatesFolderOf([folder("Templates", "", false)])).toBeUndefined();
    expect(templatesFolderOf([folder("Šabloni")])).toBeUndefined();
  });
});

describe("templateBodySchema", () => {
  it("takes a subject and a text, trimmed", () => {
    expect(templateBodySchema.parse({ name: "  Hvala  ", text: "Hvala!", html: null })).toEqual({
      name: "Hvala",
      text: "Hvala!",
      html: null,
    });
  });

  it("refuses no subject, a subject that would break the header, and a text too long, saying why", () => {
    const issue = (input: unknown) => templateBodySchema.safeParse(input).error?.issues[0]?.message;
    expect(issue({ name: " ", text: "x", html: null })).toBe(
      "Give the template a subject: it is saved under it",
    );
    expect(issue({ name: "a\r\nBcc: x@example.com", text: "x", html: null })).toBe("no line breaks");
    expect(issue({ name: "a", text: "x".repeat(100_001), html: null })).toMatch(/too long/);
    expect(issue({ name: "a".repeat(201), text: "x", html: null })).toMatch(/at most 200/);
  });
});

describe("mergeTemplates", () => {
  it("keeps the file's and those only here, newest first; the same id is the file's", () => {
    const here = [template("a", 1, "A here"), template("b", 5)];
    const file = [template("a", 3, "A from the file"), template("c", 4)];
    expect(mergeTemplates(here, file).map((t) => t.name)).toEqual(["b", "c", "A from the file"]);
  });

  it("leaves this browser's as they are when the file has none (an older file)", () => {
    const here = [template("a", 1), template("b", 2)];
    expect(mergeTemplates(here, undefined).map((t) => t.id)).toEqual(["b", "a"]);
  });

  it("keeps each id once, the first given (a hand-edited file that repeats one)", () => {
    const file = [template("a", 3, "first"), template("a", 9, "again"), template("b", 1)];
    expect(mergeTemplates([template("a", 5, "here")], file).map((t) => t.name)).toEqual(["first", "b"]);
  });

  it("keeps no more than an account may have, dropping the oldest", () => {
    const many = Array.from({ length: MAX_TEMPLATES + 5 }, (_, i) => template(`t${i}`, i));
    const kept = newestTemplates(many);
    expect(kept).toHaveLength(MAX_TEMPLATES);
    expect(kept.at(-1)?.id).toBe("t5");
  });
});

describe("template text", () => {
  const parse = (html: string) => htmlAsText(new JSDOM(html).window.document);

  it("inserts a plain template into the rich editor as escaped lines, a rich one as it is", () => {
    expect(templateAsHtml({ name: "x", text: "<b>1</b> & 2\n3", html: null })).toBe(
      "&lt;b&gt;1&lt;/b&gt; &amp; 2<br>3",
    );
    expect(templateAsHtml({ name: "x", text: "t", html: "<p>h</p>" })).toBe("<p>h</p>");
  });

  it("inserts the text into a plain body, or the HTML read as text where there is none", () => {
    expect(templateAsText({ name: "x", text: "Tekst", html: "<p>HTML</p>" }, parse)).toBe("Tekst");
    expect(templateAsText({ name: "x", text: "", html: "<p>Samo</p><p>HTML</p>" }, parse)).toBe("Samo\nHTML");
  });
});
