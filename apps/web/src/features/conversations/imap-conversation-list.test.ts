// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, createElement, useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Conversation, ConversationWindow } from "@pismo/protocol/schemas";
import { reactInDom } from "@/test-support/react-dom";
import { listViewportInDom } from "@/test-support/list-viewport";
import { ROW_HEIGHT } from "../shared/row-height";
import { OPEN_WAIT_MS } from "../shared/open-when-ready";
import type * as RowModule from "./conversation-row";
import { CONVERSATION_PAGE } from "./conversation-mode";
import { ImapConversationList } from "./imap-conversation-list";

// An IMAP folder as conversations, with the gateway's answers made up here: a press asks for the
// bodies the conversation opens with, and the click that follows renders it once they are in
// (as the plain list does, useOpenWhenReady); keys, and a click with no press, open at once.

/** The conversation rows rendered, by key: the list's memoized rows decide whether one renders. */
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

/** A message body asked for (imap.open), answered when the test says. */
interface Body {
  uid: number;
  answer: () => void;
}
const gateway = vi.hoisted(() => ({ bodies: [] as Body[] }));
vi.mock("@/trpc/client", () => ({
  useTRPC: () => ({
    imap: {
      conversations: {
        queryOptions: (input: object) => ({
          queryKey: ["conversations", input],
          queryFn: () => new Promise<never>(() => undefined),
        }),
      },
      open: {
        queryOptions: (input: { folder: string; uid: number; peek: boolean }) => ({
          queryKey: ["open", input],
          queryFn: () =>
            new Promise((resolve) => {
              gateway.bodies.push({ uid: input.uid, answer: () => resolve({ uid: input.uid }) });
            }),
        }),
      },
    },
  }),
}));
// The reading view's code is not this test's.
vi.mock("../imap/lazy-parts", () => ({ usePreloadReading: () => undefined }));

const dom = reactInDom();

listViewportInDom(10 * ROW_HEIGHT);
beforeEach(() => {
  rendered.length = 0;
  gateway.bodies.length = 0;
});

const FOLDER = "INBOX";

/** Conversation n: two messages in the folder, UIDs 2n+1 (unread) and 2n+2. */
function conversation(n: number, change: Partial<Conversation> = {}): Conversation {
  const message = (uid: number, seen: boolean) => ({
    uid,
    subject: `Tema ${n}`,
    from: { name: "Ana Anić", address: "ana@primer.rs" },
    to: [],
    date: "2024-01-01T10:00:00.000Z",
    size: 1_000,
    seen,
    flagged: false,
    answered: false,
    hasAttachment: false,
    folder: FOLDER,
    depth: uid % 2 === 0 ? 1 : 0,
  });
  return {
    key: `c${n}`,
    subject: `Tema ${n}`,
    messages: [message(2 * n + 1, false), message(2 * n + 2, true)],
    folderUids: [2 * n + 1, 2 * n + 2],
    date: "2024-01-01T10:00:00.000Z",
    participants: [{ name: "Ana Anić", address: "ana@primer.rs", me: false }],
    count: 2,
    unread: 1,
    flagged: false,
    hasAttachment: false,
    size: 2_000,
    ...change,
  };
}

const COUNT = 20;
function conversationWindow(rows: Conversation[]): ConversationWindow {
  return { folder: FOLDER, total: rows.length, offset: 0, uidValidity: "1", threading: "server", rows };
}

/** The list as the app holds it, over a cache holding the folder's first window. */
function mountList() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const windowKey = ["conversations", { folder: FOLDER, offset: 0, limit: CONVERSATION_PAGE }];
  qc.setQueryData(windowKey, conversationWindow(Array.from({ length: COUNT }, (_, n) => conversation(n))));
  const opened: string[] = [];
  function Harness() {
    const [openKey, setOpenKey] = useState<string | null>(null);
    return createElement(ImapConversationList, {
      folder: FOLDER,
      openKey,
      onOpen: (c) => {
        opened.push(c.key);
        setOpenKey(c.key);
      },
      onDelete: () => undefined,
    });
  }
  dom.mount(createElement(QueryClientProvider, { client: qc }, createElement(Harness)));
  // The cache tells its observers in a task of its own.
  const setWindow = (rows: Conversation[]) =>
    act(async () => {
      qc.setQueryData(windowKey, conversationWindow(rows));
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  return { opened, setWindow };
}

const grid = () => document.querySelector<HTMLElement>('[role="grid"]')!;
const row = (key: string) =>
  grid().querySelector<HTMLElement>(`[role="row"][data-conversation-key="${key}"]`)!;
/** A plain primary press on the row's cell, as the pointer gives it before the click. */
const pressRow = (key: string) =>
  act(() => {
    row(key)
      .querySelector('[role="gridcell"]')!
      .dispatchEvent(new MouseEvent("pointerdown", { bubbles: true, button: 0 }));
  });
const clickRow = (key: string) => act(() => row(key).click());
const asked = () => gateway.bodies.map((b) => b.uid);
const answerAll = () =>
  act(async () => {
    for (const b of gateway.bodies) b.answer();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
const wait = (ms: number) => act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));

describe("ImapConversationList: press asks, click opens when ready", () => {
  it("a click after a press renders the conversation once the bodies its press asked for are in", async () => {
    const { opened } = mountList();
    pressRow("c3");
    // Its unread message and its last.
    expect(asked()).toEqual([7, 8]);
    clickRow("c3");
    expect(opened).toEqual([]);
    expect(row("c3").getAttribute("aria-selected")).toBe("false");
    await answerAll();
    expect(opened).toEqual(["c3"]);
    expect(row("c3").getAttribute("aria-selected")).toBe("true");
    // Asked for once: the click does not ask again.
    expect(asked()).toEqual([7, 8]);
  });

  it("a slow answer: the click renders after the wait anyway, and once", async () => {
    const { opened } = mountList();
    pressRow("c2");
    clickRow("c2");
    await wait(OPEN_WAIT_MS + 20);
    expect(opened).toEqual(["c2"]);
    await answerAll();
    expect(opened).toEqual(["c2"]);
  });

  it("a key pressed while a click waits opens it at once", () => {
    const { opened } = mountList();
    pressRow("c4");
    clickRow("c4");
    expect(opened).toEqual([]);
    act(() => void document.dispatchEvent(new KeyboardEvent("keydown", { key: "Shift", bubbles: true })));
    expect(opened).toEqual(["c4"]);
  });

  it("a click with no press (o or Enter clicks the row) opens at once and asks for its bodies", () => {
    const { opened } = mountList();
    clickRow("c5");
    expect(opened).toEqual(["c5"]);
    expect(asked()).toEqual([11, 12]);
  });

  it("j opens the next conversation at once and asks for its bodies", () => {
    const { opened } = mountList();
    act(() => {
      grid().dispatchEvent(new KeyboardEvent("keydown", { key: "j", bubbles: true, cancelable: true }));
    });
    expect(opened).toEqual(["c0"]);
    expect(asked()).toEqual([1, 2]);
  });

  it("rows compare by identity: opening renders two rows, a changed conversation only its own", async () => {
    const { setWindow } = mountList();
    // The overscan's rows, added once the first screen is painted: until no more rows render.
    for (let before = -1; before !== rendered.length;) {
      before = rendered.length;
      await wait(50);
    }
    clickRow("c1");
    rendered.length = 0;
    clickRow("c2");
    expect(rendered.sort()).toEqual(["c1", "c2"]);
    rendered.length = 0;
    // The window fetched again: the cache keeps the unchanged conversations' objects.
    await setWindow(Array.from({ length: COUNT }, (_, n) => conversation(n, n === 6 ? { unread: 0 } : {})));
    expect(rendered).toEqual(["c6"]);
    expect(row("c6").getAttribute("data-seen")).toBe("true");
  });
});
