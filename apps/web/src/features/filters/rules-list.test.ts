// @vitest-environment jsdom
import { act, createElement, useState } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Rule, RuleAction } from "@pismo/protocol/rules";
import { i18n } from "@/i18n";
import type { FolderChoice } from "./rule-dialog";
import { RulesList } from "./rules-list";

// The list as the page shows it, rendered by React in a DOM: where focus goes after a key, and
// what a rule into a folder that is gone shows and saves.

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

beforeAll(async () => {
  // The page's Suspense waits for the first catalog; here it is in before the first render.
  await i18n.ready;
  // jsdom has <dialog> without its modal methods.
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    this.open = false;
  };
});

let root: Root | null = null;
afterEach(() => {
  act(() => root?.unmount());
  root = null;
  document.body.innerHTML = "";
});

const rule = (id: string, name: string, actions: RuleAction[] = [{ type: "flag" }]): Rule => ({
  id,
  name,
  enabled: true,
  match: "all",
  conditions: [{ kind: "text", field: "subject", match: "contains", not: false, value: name }],
  actions,
});

const folders: FolderChoice[] = [
  { id: "INBOX", name: "Inbox" },
  { id: "Bills", name: "Bills" },
];

/**
 * The list with an owner that keeps what it is given `laterMs` after the change (a save's
 * round trip; the page's own copy of the rules is a query cache), and records every list it
 * was handed.
 */
function renderList(rules: Rule[], laterMs: number): Rule[][] {
  const handed: Rule[][] = [];
  function Owner() {
    const [kept, setKept] = useState(rules);
    return createElement(RulesList, {
      rules: kept,
      folders,
      actionTypes: ["move", "copy", "markRead", "flag"],
      onChange: (next: Rule[]) => {
        handed.push(next);
        return new Promise<void>((resolve) =>
          setTimeout(() => {
            setKept(next);
            resolve();
          }, laterMs),
        );
      },
    });
  }
  const host = document.createElement("div");
  document.body.append(host);
  root = createRoot(host);
  act(() => root!.render(createElement(Owner)));
  return handed;
}

const row = (name: string) => document.querySelector<HTMLElement>(`li[aria-label="${name}"]`)!;
const focusedRow = () => document.activeElement?.getAttribute("aria-label");
const wait = (ms: number) => act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));
const altDown = (target: Element) =>
  act(() => {
    target.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", altKey: true, bubbles: true }));
  });

describe("reordering rules from the keyboard", () => {
  it("keeps the focus on the moved rule, so the next Alt+Arrow Down moves it again", async () => {
    const handed = renderList([rule("a", "Alpha"), rule("b", "Beta"), rule("c", "Gamma")], 40);
    row("Alpha").focus();
    await altDown(row("Alpha"));
    await wait(80);
    expect([...document.querySelectorAll("li")].map((li) => li.getAttribute("aria-label"))).toEqual([
      "Beta",
      "Alpha",
      "Gamma",
    ]);
    expect(focusedRow()).toBe("Alpha");
    await altDown(document.activeElement!);
    await wait(80);
    expect(handed.at(-1)?.map((r) => r.name)).toEqual(["Beta", "Gamma", "Alpha"]);
    expect(focusedRow()).toBe("Alpha");
  });
});

describe("keys in a field inside a row", () => {
  it("leaves Alt+Arrow Down to a list box in the row (it opens it), and moves no rule", async () => {
    const handed: Rule[][] = [];
    const host = document.createElement("div");
    document.body.append(host);
    root = createRoot(host);
    act(() =>
      root!.render(
        createElement(RulesList, {
          rules: [rule("a", "Alpha"), rule("b", "Beta")],
          folders,
          actionTypes: ["flag"],
          onChange: (next: Rule[]) => void handed.push(next),
          extraActions: () =>
            createElement("select", { "aria-label": "Folder" }, createElement("option", null, "Inbox")),
        }),
      ),
    );
    const select = row("Alpha").querySelector("select")!;
    select.focus();
    await altDown(select);
    await wait(10);
    expect(handed).toEqual([]);
    expect([...document.querySelectorAll("li")].map((li) => li.getAttribute("aria-label"))).toEqual([
      "Alpha",
      "Beta",
    ]);
  });
});

describe("closing the rule editor", () => {
  it("asks before Escape or Cancel drops a rule being edited, and not before they close one untouched", async () => {
    renderList([rule("a", "Alpha")], 0);
    const asked: string[] = [];
    window.confirm = (text?: string) => {
      asked.push(text ?? "");
      return false;
    };
    const edit = () =>
      act(() => document.querySelector<HTMLButtonElement>('[aria-label="Edit: Alpha"]')!.click());
    const escape = (target: Element) => {
      const key = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
      act(() => void target.dispatchEvent(key));
      return key.defaultPrevented;
    };
    await edit();
    const name = document.querySelector<HTMLInputElement>("dialog input")!;
    expect(escape(name)).toBe(false);
    expect(asked).toEqual([]);
    await act(() => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(name, "Alpha 2");
      name.dispatchEvent(new Event("input", { bubbles: true }));
    });
    // Refused: the editor stays, with the rule as it was being made.
    expect(escape(name)).toBe(true);
    expect(asked).toEqual(["Close the rule without saving your changes?"]);
    await act(() =>
      [...document.querySelectorAll<HTMLButtonElement>("dialog button")]
        .find((b) => b.textContent === "Cancel")!
        .click(),
    );
    expect(asked).toHaveLength(2);
    expect(document.querySelector<HTMLInputElement>("dialog input")?.value).toBe("Alpha 2");
  });
});

describe("a rule into a folder that no longer exists", () => {
  const receipts = () => rule("r", "Receipts rule", [{ type: "move", folder: "Receipts" }]);

  it("says so in the list", () => {
    renderList([receipts()], 0);
    const text = row("Receipts rule").textContent ?? "";
    expect(text).toContain("Receipts (no longer exists)");
    expect(text).toContain("The folder “Receipts” no longer exists");
  });

  it("shows the gone folder in the editor, not another, and saves only once one is chosen", async () => {
    const handed = renderList([receipts()], 0);
    await act(() => document.querySelector<HTMLButtonElement>('[aria-label="Edit: Receipts rule"]')!.click());
    const select = document.querySelector<HTMLSelectElement>('select[aria-label="Move to folder: Folder"]')!;
    expect(select.value).toBe("Receipts");
    expect(select.selectedOptions[0]?.textContent).toBe("Receipts (no longer exists)");
    const save = () =>
      act(() =>
        [...document.querySelectorAll<HTMLButtonElement>("dialog button")]
          .find((b) => b.textContent === "Save")!
          .click(),
      );
    await save();
    expect(document.querySelector("dialog [role=alert]")?.textContent).toBe(
      "The folder “Receipts” no longer exists: choose another.",
    );
    expect(handed).toEqual([]);

    await act(() => {
      select.value = "Bills";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await save();
    await wait(10);
    expect(handed.at(-1)?.[0]?.actions).toEqual([{ type: "move", folder: "Bills" }]);
  });
});
