// @vitest-environment jsdom
import { act, createElement, useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { reactInDom } from "@/test-support/react-dom";
import { listViewportInDom } from "@/test-support/list-viewport";
import { ROW_HEIGHT } from "../shared/row-height";
import type * as GridModule from "../shared/message-grid";
import type { StoredMessage } from "./pop3-database";
import { Pop3MessageList } from "./pop3-message-list";

// The POP3 list's memoized rows: every read of the store brings new objects, so a row is
// compared by its place, its state and what it shows of its message, and renders again only
// when one of them changed.

/** The message rows rendered, by UID: the list's memoized rows decide whether one renders. */
const rendered = vi.hoisted(() => [] as string[]);
vi.mock("../shared/message-grid", async (importOriginal) => {
  const actual = await importOriginal<typeof GridModule>();
  const { createElement: element } = await import("react");
  return {
    ...actual,
    MessageGridRow: (props: Parameters<typeof actual.MessageGridRow>[0]) => {
      rendered.push(String(props.id));
      return element(actual.MessageGridRow, props);
    },
  };
});

const dom = reactInDom();

listViewportInDom(10 * ROW_HEIGHT);
beforeEach(() => {
  rendered.length = 0;
});

function message(n: number, change: Partial<StoredMessage> = {}): StoredMessage {
  return {
    uid: `u${n}`,
    folderId: "INBOX",
    from: "Ana Anić",
    fromAddress: "ana@primer.rs",
    to: "me@pismo.test",
    subject: `Poruka ${n}`,
    date: "2024-01-01T10:00:00.000Z",
    sortKey: 1_704_103_200_000 - n,
    size: 1_000,
    seen: true,
    flagged: false,
    headersOnly: false,
    hasAttachment: false,
    storedAt: 1_704_103_200_000,
    deletedLocally: false,
    onServer: true,
    ...change,
  };
}
const COUNT = 12;
const messages = (change: (n: number) => Partial<StoredMessage> = () => ({})) =>
  Array.from({ length: COUNT }, (_, n) => message(n, change(n)));

/** Search results as the pane gives them, a row opened by a click being the open one. */
function Harness({ results }: { results: readonly StoredMessage[] }) {
  const [openUid, setOpenUid] = useState<string | null>(null);
  return createElement(Pop3MessageList, {
    rows: { kind: "results", messages: results, view: "ana" },
    openUid,
    checked: new Set<string>(),
    onOpen: setOpenUid,
    onToggle: () => undefined,
    onToggleAll: () => undefined,
    onSelectRange: () => undefined,
    onDelete: () => undefined,
    emptyText: "Nothing found",
  });
}

const row = (uid: string) => document.querySelector<HTMLElement>(`[role="row"][data-message-id="${uid}"]`)!;
const wait = (ms: number) => act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));

describe("Pop3MessageList rows", () => {
  it("opening a message renders its row and the one open before, not the window", async () => {
    dom.mount(createElement(Harness, { results: messages() }));
    await wait(50);
    act(() => row("u1").click());
    rendered.length = 0;
    act(() => row("u2").click());
    expect(rendered.sort()).toEqual(["u1", "u2"]);
    expect(row("u2").getAttribute("aria-selected")).toBe("true");
  });

  it("messages read again as new objects render only the rows whose content changed", async () => {
    const root = dom.mount(createElement(Harness, { results: messages() }));
    await wait(50);
    rendered.length = 0;
    // Not shown by the row (a not-verified sender is not marked): no render.
    const quiet: Partial<StoredMessage> = {
      storedAt: 1,
      senderVerdict: { status: "not-verified", method: "server" },
    };
    act(() => root.render(createElement(Harness, { results: messages(() => quiet) })));
    expect(rendered).toEqual([]);
    const verified: Partial<StoredMessage> = { senderVerdict: { status: "verified", method: "server" } };
    act(() =>
      root.render(
        createElement(Harness, {
          results: messages((n) => (n === 3 ? { seen: false } : n === 5 ? verified : {})),
        }),
      ),
    );
    expect(rendered.sort()).toEqual(["u3", "u5"]);
    expect(row("u3").getAttribute("data-seen")).toBe("false");
  });
});
