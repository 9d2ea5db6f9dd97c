// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { askingOrder } from "./shortcuts";

// A conversation of three messages, each item holding its message's view, and the mailbox
// (no place of its own) registered first.
function page() {
  document.body.innerHTML = `
    <section id="thread">
      <article id="item-a" tabindex="-1"><article id="a"><button id="in-a">Reply</button></article></article>
      <article id="item-b" tabindex="-1"><article id="b"></article></article>
      <article id="item-c" tabindex="-1"><article id="c"></article></article>
    </section>
    <div id="list"><button id="row">row</button></div>`;
  const at = (id: string) => ({ current: document.getElementById(id) });
  const entry = (name: string, scope?: { current: Element | null }) => ({
    name,
    handlers: { current: {} },
    ...(scope ? { scope } : {}),
  });
  const el = (id: string) => document.getElementById(id);
  // Mounted in the order their bodies loaded: C (cached), then A, then B.
  const entries = [entry("mailbox"), entry("c", at("c")), entry("a", at("a")), entry("b", at("b"))];
  const names = (target: Element | null) => askingOrder(entries, target).map((e) => e.name);
  return { el, names };
}

describe("which part a shortcut asks first", () => {
  it("the message the key was pressed in, or the one a focused conversation item holds", () => {
    const { el, names } = page();
    expect(names(el("in-a"))[0]).toBe("a");
    expect(names(el("item-b"))[0]).toBe("b");
  });

  it("elsewhere: the last message on the page (a conversation's newest), not the last loaded; the mailbox after them", () => {
    const { el, names } = page();
    expect(names(el("row"))).toEqual(["c", "b", "a", "mailbox"]);
    expect(names(document.body)).toEqual(["c", "b", "a", "mailbox"]);
    expect(names(el("thread"))).toEqual(["c", "b", "a", "mailbox"]);
  });
});
