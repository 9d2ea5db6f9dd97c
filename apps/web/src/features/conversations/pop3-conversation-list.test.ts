// @vitest-environment jsdom
import { act, createElement, useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { reactInDom } from "@/test-support/react-dom";
import { listViewportInDom } from "@/test-support/list-viewport";
import { ROW_HEIGHT } from "../shared/row-height";
import type * as RowModule from "./conversation-row";
import type { Pop3Conversation } from "./pop3-conversations";
import { Pop3ConversationList } from "./pop3-conversation-list";

// A local store of thousands of conversations: only the rows near the view are in the page,
// opening one renders the rows that changed, and the keys reach rows outside the window.

// The conversation rows rendered, by key, in order: the list's own memoized rows are what
// decides whether one renders again.
const rendered = vi.hoisted(() => [] as string[]);
vi.mock("./conversation-row", async (importOriginal) => {
  const actual = await importOriginal<typeof RowModule>();
  const { createElement: element } = await import("react");
  return {
    ...actual,
    ConversationRow: (props: Parameters<typeof actual.ConversationRow>[0]) => {
      rendered.push(props.c.key);
      return element(actual.ConversationRow, props);
    },
  };
});

const dom = reactInDom();

/** The scroll box's height in jsdom, which lays nothing out: ten rows. */
const VIEW = 10 * ROW_HEIGHT;
const { scrolls } = listViewportInDom(VIEW);
beforeEach(() => {
  rendered.length = 0;
  scrolls.length = 0;
});

function conversation(n: number, change: Partial<Pop3Conversation> = {}): Pop3Conversation {
  return {
    key: `c${n}`,
    messageIds: [`m${n}a`, `m${n}b`],
    depths: [0, 1],
    folderMessageIds: [`m${n}a`, `m${n}b`],
    latestId: `m${n}b`,
    date: Date.UTC(2024, 0, 1) - n * 60_000,
    participants: [{ name: "Ana Anić", address: "ana@primer.rs", me: false }],
    count: 2,
    unread: 0,
    flagged: false,
    hasAttachment: false,
    size: 2_000,
    rows: [],
    subject: `Tema ${n}`,
    ...change,
  };
}

const COUNT = 5_000;
const many = Array.from({ length: COUNT }, (_, n) => conversation(n));

const grid = () => document.querySelector<HTMLElement>('[role="grid"]')!;
const rows = () => [...grid().querySelectorAll<HTMLElement>('[role="row"]')];
const row = (key: string) =>
  grid().querySelector<HTMLElement>(`[role="row"][data-conversation-key="${key}"]`);
const press = (key: string) =>
  act(() => {
    grid().dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
  });

/** The list as the pane holds it: a row opened by the keys or a click is the open one. */
function Harness({
  conversations,
  opened,
}: {
  conversations: readonly Pop3Conversation[] | undefined;
  opened?: (key: string) => void;
}) {
  const [openKey, setOpenKey] = useState<string | null>(null);
  return createElement(Pop3ConversationList, {
    folder: "INBOX",
    conversations,
    openKey,
    emptyText: "Nothing here yet",
    onOpen: (key) => {
      opened?.(key);
      setOpenKey(key);
    },
    onDelete: () => undefined,
  });
}

describe("Pop3ConversationList", () => {
  it("is the Messages grid of every conversation with only the rows near the view in the page", () => {
    dom.mount(createElement(Harness, { conversations: many }));
    expect(grid().getAttribute("aria-label")).toBe("Messages");
    expect(grid().getAttribute("aria-rowcount")).toBe(String(COUNT));
    expect(grid().getAttribute("aria-busy")).toBe("false");
    expect(rows().length).toBeGreaterThan(0);
    expect(rows().length).toBeLessThan(50);
    const first = rows()[0]!;
    expect(first.getAttribute("aria-rowindex")).toBe("1");
    expect(first.getAttribute("data-conversation-key")).toBe("c0");
    expect(first.getAttribute("aria-label")).toMatch(/^Ana Anić, Tema 0, 2 messages, /);
  });

  it("opening a conversation renders its row and the one open before, not the window", () => {
    dom.mount(createElement(Harness, { conversations: many }));
    act(() => row("c3")!.click());
    expect(row("c3")!.getAttribute("aria-selected")).toBe("true");
    rendered.length = 0;
    act(() => row("c4")!.click());
    expect(rendered.sort()).toEqual(["c3", "c4"]);
    expect(row("c3")!.getAttribute("aria-selected")).toBe("false");
    expect(row("c4")!.getAttribute("aria-selected")).toBe("true");
  });

  it("conversations threaded again from the store render only the rows whose content changed", () => {
    const root = dom.mount(createElement(Harness, { conversations: many }));
    rendered.length = 0;
    // A write to the store (a message marked read) threads every conversation again: new objects.
    const again = many.map((c) => conversation(Number(c.key.slice(1)), c.key === "c2" ? { unread: 1 } : {}));
    act(() => root.render(createElement(Harness, { conversations: again })));
    expect(rendered).toEqual(["c2"]);
    expect(row("c2")!.getAttribute("data-seen")).toBe("false");
  });

  it("j, k, Home and End open the conversation they reach and scroll its row into view", () => {
    const opened: string[] = [];
    dom.mount(createElement(Harness, { conversations: many, opened: (key) => opened.push(key) }));
    press("End");
    expect(opened.at(-1)).toBe(`c${COUNT - 1}`);
    expect(scrolls.at(-1)).toBe(COUNT * ROW_HEIGHT - VIEW);
    const last = row(`c${COUNT - 1}`);
    expect(last?.getAttribute("aria-rowindex")).toBe(String(COUNT));
    expect(last?.getAttribute("aria-selected")).toBe("true");
    expect(row("c0")).toBeNull();
    press("k");
    expect(opened.at(-1)).toBe(`c${COUNT - 2}`);
    press("Home");
    expect(opened.at(-1)).toBe("c0");
    expect(scrolls.at(-1)).toBe(0);
    expect(row("c0")?.getAttribute("aria-selected")).toBe("true");
    press("j");
    expect(opened.at(-1)).toBe("c1");
  });

  it("a row dragged carries its conversation's messages in this folder, as they are now", () => {
    const root = dom.mount(createElement(Harness, { conversations: many }));
    const drag = (key: string) => {
      const data = new Map<string, string>();
      const event = new Event("dragstart", { bubbles: true, cancelable: true });
      const dataTransfer = {
        setData: (type: string, value: string) => data.set(type, value),
        effectAllowed: "",
      };
      Object.defineProperty(event, "dataTransfer", { value: dataTransfer });
      act(() => void row(key)!.dispatchEvent(event));
      return { data, effectAllowed: dataTransfer.effectAllowed };
    };
    expect(row("c2")!.getAttribute("draggable")).toBe("true");
    const before = drag("c2");
    expect(before.data.get("application/x-pismo-pop3")).toBe(JSON.stringify(["m2a", "m2b"]));
    expect(before.effectAllowed).toBe("move");
    const grown = many.map((c) =>
      c.key === "c2"
        ? { ...c, folderMessageIds: ["m2a", "m2b", "m2c"], messageIds: ["m2a", "m2b", "m2c"] }
        : c,
    );
    act(() => root.render(createElement(Harness, { conversations: grown })));
    expect(drag("c2").data.get("application/x-pismo-pop3")).toBe(JSON.stringify(["m2a", "m2b", "m2c"]));
  });

  it("says the folder is empty once read, and nothing while it is being read", () => {
    const root = dom.mount(createElement(Harness, { conversations: undefined }));
    expect(grid().getAttribute("aria-busy")).toBe("true");
    expect(grid().textContent).not.toContain("Nothing here yet");
    act(() => root.render(createElement(Harness, { conversations: [] })));
    expect(grid().getAttribute("aria-busy")).toBe("false");
    expect(grid().getAttribute("aria-rowcount")).toBe("0");
    expect(grid().textContent).toContain("Nothing here yet");
    expect(rows()).toHaveLength(0);
  });
});
