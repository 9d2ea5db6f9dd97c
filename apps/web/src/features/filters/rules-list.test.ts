// @vitest-environment jsdom
import { act, createElement, useState } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Rule, RuleAction, RuleActionType } from "@pismo/protocol/rules";
import { i18n } from "@/i18n";
import type { FolderChoice } from "./rule-dialog";
import { RulesList } from "./rules-list";
import { sieveExtensions, type SieveExtensions } from "./sieve-support";

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
function renderList(
  rules: Rule[],
  laterMs: number,
  server: { actionTypes?: RuleActionType[]; sieveExtensions?: SieveExtensions } = {},
): Rule[][] {
  const handed: Rule[][] = [];
  function Owner() {
    const [kept, setKept] = useState(rules);
    return createElement(RulesList, {
      rules: kept,
      folders,
      actionTypes: server.actionTypes ?? ["move", "copy", "markRead", "flag"],
      sieveExtensions: server.sieveExtensions ?? null,
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
const checkbox = (name: string) =>
  [...document.querySelectorAll("dialog label")]
    .find((l) => l.textContent === name)!
    .querySelector<HTMLInputElement>("input[type=checkbox]")!;
const choose = (select: HTMLSelectElement, value: string) =>
  act(() => {
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
const dialogButton = (text: string) =>
  act(() =>
    [...document.querySelectorAll<HTMLButtonElement>("dialog button")]
      .find((b) => b.textContent === text)!
      .click(),
  );
const describedBy = (el: Element) =>
  (el.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .map((id) => document.getElementById(id)?.textContent)
    .join(" ");
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

  it("does not ask after an action turned off and on again or a field changed and back, but does after a change", async () => {
    renderList([rule("a", "Alpha", [{ type: "markRead" }, { type: "move", folder: "Bills" }])], 0);
    const asked: string[] = [];
    window.confirm = (text?: string) => {
      asked.push(text ?? "");
      return false;
    };
    const edit = () =>
      act(() => document.querySelector<HTMLButtonElement>('[aria-label="Edit: Alpha"]')!.click());
    await edit();
    await act(() => checkbox("Mark as read").click());
    await act(() => checkbox("Mark as read").click());
    await act(() => checkbox("Move to folder").click());
    await act(() => checkbox("Move to folder").click());
    // Back into Bills, not the first folder a new move takes.
    expect(
      document.querySelector<HTMLSelectElement>('select[aria-label="Move to folder: Folder"]')!.value,
    ).toBe("Bills");
    const field = () => document.querySelector<HTMLSelectElement>('dialog select[aria-label="Field"]')!;
    await choose(field(), "size");
    await choose(field(), "header");
    await choose(field(), "subject");
    expect(document.querySelector<HTMLInputElement>('dialog input[aria-label="Value"]')!.value).toBe("Alpha");
    await dialogButton("Cancel");
    expect(asked).toEqual([]);
    expect(document.querySelector("dialog")).toBeNull();

    // A real change still asks: an action more.
    await edit();
    await act(() => checkbox("Flag").click());
    await dialogButton("Cancel");
    expect(asked).toEqual(["Close the rule without saving your changes?"]);
    expect(document.querySelector("dialog")).not.toBeNull();
  });
});

describe("a server that does not run a Sieve extension", () => {
  const allActions: RuleActionType[] = [
    "move",
    "copy",
    "markRead",
    "flag",
    "forward",
    "discard",
    "reject",
    "stop",
  ];
  // Names fileinto only: no copy (copy, forward), imap4flags (flags), reject or mime.
  const server = { actionTypes: allActions, sieveExtensions: sieveExtensions(["fileinto"]) };

  it("does not offer a new rule what needs it, and says why", async () => {
    renderList([], 0, server);
    await act(() =>
      [...document.querySelectorAll<HTMLButtonElement>("button")]
        .find((b) => b.textContent === "New rule")!
        .click(),
    );
    expect(checkbox("Move to folder").disabled).toBe(false);
    expect(checkbox("Delete").disabled).toBe(false);
    for (const name of ["Copy to folder", "Mark as read", "Flag", "Forward to", "Reject with message"])
      expect([name, checkbox(name).disabled]).toEqual([name, true]);
    expect(describedBy(checkbox("Reject with message"))).toBe("Not on this server (Sieve “reject”).");
    expect(describedBy(checkbox("Copy to folder"))).toBe("Not on this server (Sieve “copy”).");
    const options = [
      ...document.querySelectorAll<HTMLOptionElement>('dialog select[aria-label="Field"] option'),
    ];
    expect(options.map((o) => [o.value, o.disabled, o.textContent])).toEqual([
      ["from", false, "From"],
      ["to", false, "To or Cc"],
      ["subject", false, "Subject"],
      ["header", false, "Header"],
      ["size", false, "Size"],
      ["attachment", true, "Attachment (not on this server)"],
    ]);
  });

  it("shows a rule that has it as it is, says so, and saves it only once changed", async () => {
    const attachments = rule("a", "Attachments", [{ type: "flag" }]);
    attachments.conditions = [{ kind: "attachment", not: false }];
    const handed = renderList([attachments], 0, server);
    expect(row("Attachments").textContent).toContain(
      "This server does not run Sieve “mime”, “imap4flags”, which this rule uses",
    );
    await act(() => document.querySelector<HTMLButtonElement>('[aria-label="Edit: Attachments"]')!.click());
    const field = document.querySelector<HTMLSelectElement>('dialog select[aria-label="Field"]')!;
    expect(field.value).toBe("attachment");
    expect(describedBy(field)).toBe(
      "This server does not run this test (Sieve “mime”): choose another field to save the rule.",
    );
    // On, it can be turned off: not dropped unseen, nor stuck.
    expect(checkbox("Flag").checked).toBe(true);
    expect(checkbox("Flag").disabled).toBe(false);
    expect(describedBy(checkbox("Flag"))).toBe(
      "This server does not run this (Sieve “imap4flags”): turn it off to save the rule.",
    );
    await dialogButton("Save");
    expect(document.querySelector("dialog [role=alert]")?.textContent).toBe(
      "Condition 1: this server does not run this test (Sieve “mime”). Choose another field.",
    );
    await choose(field, "size");
    await dialogButton("Save");
    expect(document.querySelector("dialog [role=alert]")?.textContent).toBe(
      "Flag: this server does not run it (Sieve “imap4flags”). Turn it off to save the rule.",
    );
    expect(handed).toEqual([]);
    await act(() => checkbox("Flag").click());
    expect(checkbox("Flag").disabled).toBe(true);
    await act(() => checkbox("Move to folder").click());
    await dialogButton("Save");
    await wait(10);
    expect(handed.at(-1)?.[0]?.actions).toEqual([{ type: "move", folder: "INBOX" }]);
    expect(handed.at(-1)?.[0]?.conditions).toEqual([{ kind: "size", over: true, bytes: 1024 * 1024 }]);
  });

  it("offers everything when the server named no extensions", async () => {
    renderList([], 0, { actionTypes: allActions, sieveExtensions: sieveExtensions([]) });
    await act(() =>
      [...document.querySelectorAll<HTMLButtonElement>("button")]
        .find((b) => b.textContent === "New rule")!
        .click(),
    );
    expect(
      [...document.querySelectorAll<HTMLInputElement>("dialog input[type=checkbox]")].map((c) => c.disabled),
    ).toEqual(allActions.map(() => false));
    expect(document.querySelectorAll("dialog option:disabled")).toHaveLength(0);
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
