// An independent check of sanitised HTML, used by the tests (and usable by end-to-end
// tests in a real browser): it parses nothing itself and walks a DOM, listing every
// construct that could run script, submit, embed, navigate the frame or load remotely.

const FORBIDDEN_ELEMENTS = new Set([
  "script",
  "iframe",
  "frame",
  "frameset",
  "svg",
  "math",
  "form",
  "input",
  "button",
  "textarea",
  "select",
  "meta",
  "base",
  "link",
  "object",
  "embed",
  "applet",
  "noscript",
  "template",
  "audio",
  "video",
  "source",
  "portal",
  "fencedframe",
  "animate",
  "set",
  "feimage",
  "foreignobject",
]);
const FORBIDDEN_ATTRIBUTES = new Set([
  "srcdoc",
  "srcset",
  "poster",
  "action",
  "formaction",
  "ping",
  "xmlns",
  "http-equiv",
  "dynsrc",
  "lowsrc",
]);

function compact(value: string): string {
  // eslint-disable-next-line no-control-regex -- the WHATWG URL parser strips C0 controls, so must the check
  return value.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
}

function cssProblems(css: string, allowRemote: boolean): string[] {
  const text = compact(css);
  const problems: string[] = [];
  if (text.includes("\\")) problems.push("CSS escape");
  if (text.includes("@import")) problems.push("@import");
  if (text.includes("expression(")) problems.push("expression()");
  if (/behavior:|-moz-binding/.test(text)) problems.push("behavior/-moz-binding");
  if (/javascript:|vbscript:/.test(text)) problems.push("script URL in CSS");
  for (const [, value] of text.matchAll(/(?<![\w-])position:([^;{}]*)/g))
    if (
      !/^(?:static|relative|absolute|inherit|initial|unset|revert|revert-layer)(?:!important)?$/.test(
        value ?? "",
      )
    )
      problems.push(`position: ${value ?? ""}`);
  if (text.includes("@property")) problems.push("@property");
  if (!allowRemote && /https?:|url\(["']?\/\/|image-set\(|cross-fade\(/.test(text))
    problems.push("remote URL in CSS");
  if (
    /url\((?!["']?(?:data:image\/(?!svg)|data:font\/|data:application\/(?:x-)?font|cid:|https?:))/.test(text)
  )
    problems.push("non-image url() in CSS");
  return problems;
}

/** Every unsafe construct under `root`, as readable strings; an empty list means safe. */
export function findUnsafe(root: ParentNode, opts: { allowRemote: boolean }): string[] {
  const problems: string[] = [];
  for (const element of Array.from(root.querySelectorAll("*"))) {
    const tag = element.localName.toLowerCase();
    if (FORBIDDEN_ELEMENTS.has(tag)) problems.push(`<${tag}> element`);
    if (element.namespaceURI !== null && element.namespaceURI !== "http://www.w3.org/1999/xhtml") {
      problems.push(`<${tag}> in namespace ${element.namespaceURI}`);
    }
    if (tag === "style")
      for (const problem of cssProblems(element.textContent ?? "", opts.allowRemote))
        problems.push(`<style>: ${problem}`);
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase();
      const value = compact(attribute.value);
      if (name.startsWith("on")) problems.push(`${name} handler on <${tag}>`);
      if (FORBIDDEN_ATTRIBUTES.has(name)) problems.push(`${name} on <${tag}>`);
      if (/javascript:|vbscript:|livescript:/.test(value)) problems.push(`script URL in ${name} on <${tag}>`);
      if (name === "style")
        for (const problem of cssProblems(attribute.value, opts.allowRemote))
          problems.push(`style on <${tag}>: ${problem}`);
      if (name === "href" && !/^(?:https?:\/\/|mailto:|#)/.test(value))
        problems.push(`href "${value.slice(0, 40)}" on <${tag}>`);
      if (name === "src" || name === "background") {
        const ok =
          /^data:image\/(?!svg)/.test(value) ||
          value.startsWith("cid:") ||
          (opts.allowRemote && /^https?:\/\//.test(value));
        if (!ok) problems.push(`${name} "${value.slice(0, 40)}" on <${tag}>`);
      }
      if (name.startsWith("data-") && name !== "data-pismo-src") problems.push(`${name} on <${tag}>`);
      if (
        !opts.allowRemote &&
        !["href", "data-pismo-src", "style", "alt", "title", "class", "id", "name"].includes(name) &&
        /(?:^|[^a-z])(?:https?:|\/\/)/.test(value)
      ) {
        problems.push(`remote URL in ${name} on <${tag}>`);
      }
      if (name === "target" && value !== "_blank") problems.push(`target=${value}`);
    }
    if (
      (tag === "a" || tag === "area") &&
      element.hasAttribute("href") &&
      !element.getAttribute("href")?.startsWith("#")
    ) {
      if (
        element.getAttribute("target") !== "_blank" ||
        element.getAttribute("rel") !== "noopener noreferrer"
      ) {
        problems.push(`link without target=_blank rel=noopener noreferrer`);
      }
    }
  }
  return problems;
}
