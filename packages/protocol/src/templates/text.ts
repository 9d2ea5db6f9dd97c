import { htmlAsText } from "../html/as-text";
import type { TemplateBody } from "./schema";

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** What the rich editor inserts: the template's HTML (the editor sanitizes it as it goes in),
 * or its text, its lines kept. */
export function templateAsHtml(t: TemplateBody): string {
  return t.html ?? escapeHtml(t.text).replace(/\r?\n/g, "<br>");
}

/** What a plain-text body inserts: the template's text, or, where it has none (a program that
 * writes only HTML saved it), its HTML read as text. */
export function templateAsText(t: TemplateBody, parse: (html: string) => Document): string {
  return t.text.trim() !== "" || t.html === null ? t.text : htmlAsText(parse(t.html));
}
