import { escapeHtml } from "../html/escape";
import type { TemplateBody } from "./schema";

/** What the rich editor inserts: the template's HTML (the editor sanitizes it as it goes in),
 * or its text, its lines kept. */
export function templateAsHtml(t: TemplateBody): string {
  return t.html ?? escapeHtml(t.text).replace(/\r?\n/g, "<br>");
}

/** What a plain-text body inserts: the template's text, or, where it has none (a program that
 * writes only HTML saved it), its HTML read as text (`asText`: htmlAsText in the caller's DOM). */
export function templateAsText(t: TemplateBody, asText: (html: string) => string): string {
  return t.text.trim() !== "" || t.html === null ? t.text : asText(t.html);
}
