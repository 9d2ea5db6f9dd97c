// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, createElement } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { reactInDom } from "@/test-support/react-dom";
import { i18n } from "@/i18n";
import { GatewayError } from "@/lib/errors";
import type { SendResult } from "@pismo/protocol/router";
import type { ComposeRequest } from "./compose-context";
import type { DraftRef, DraftStore } from "./draft-store";
import type { HeldMessage } from "./undo-send";
import { fieldsFromDraft } from "./initial-draft";
import { emptyDraft } from "@pismo/protocol/compose";

// The Undo notice as the page shows it, rendered by React in a DOM, with the gateway's answers
// made up here: a message that comes back (taken back, or failed at its deadline) must reopen
// the form even when this browser's storage refuses its copy (a large body: a pasted picture).

const gateway = vi.hoisted(() => ({
  sendOutcome: (_input: { id: string }): Promise<unknown> => new Promise(() => undefined),
  cancelSend: (_input: { id: string }): Promise<unknown> => new Promise(() => undefined),
  acked: [] as string[],
}));

// What the page would show at its bottom.
const toasts = vi.hoisted(() => [] as { text: string; tone: string | undefined }[]);
vi.mock("@/components/ui/toast", () => ({
  useToast: () => (text: string, tone?: string) => void toasts.push({ text, tone }),
}));

// The lists a sent message refreshes (afterSent), as filters that match nothing here.
const refresh = { pathFilter: () => ({}), queryFilter: () => ({}) };
vi.mock("@/trpc/client", () => ({
  useTRPC: () => ({ imap: { list: refresh, conversations: refresh, folders: refresh } }),
  useTRPCClient: () => ({
    compose: {
      sendOutcome: { mutate: (input: { id: string }) => gateway.sendOutcome(input) },
      cancelSend: { mutate: (input: { id: string }) => gateway.cancelSend(input) },
      ackSent: {
        mutate: ({ id }: { id: string }) => {
          gateway.acked.push(id);
          return Promise.resolve();
        },
      },
    },
  }),
}));

const { UndoSendRoot, useUndoSend, useHeldSendsSettled } = await import("./undo-send");

const dom = reactInDom();

beforeEach(() => {
  localStorage.clear();
  toasts.length = 0;
  gateway.acked.length = 0;
  // Storage full: every write is refused, as a quota exceeded is.
  vi.spyOn(Storage.prototype, "setItem").mockImplementation(() => {
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const fields = { ...fieldsFromDraft(emptyDraft(), true), to: "ana@x.rs", subject: "Slika", html: "<p>x</p>" };

/** The notice of one held message; returns what the form was reopened with. */
function renderHeld(
  reopen: (r: ComposeRequest, reopened: ComposeRequest[]) => void = (r, reopened) => void reopened.push(r),
): ComposeRequest[] {
  const reopened: ComposeRequest[] = [];
  function Sender() {
    const hold = useUndoSend();
    return createElement(
      "button",
      {
        id: "send",
        onClick: () =>
          hold?.({ id: "held-1", sendAt: Date.now() + 10_000, account: "me@x.rs", fields, draftRef: null }),
      },
      "Send",
    );
  }
  dom.mount(
    createElement(
      QueryClientProvider,
      { client: new QueryClient() },
      createElement(UndoSendRoot, {
        reopen: (r: ComposeRequest) => reopen(r, reopened),
        account: "me@x.rs",
        children: createElement(Sender),
      }),
    ),
  );
  act(() => document.getElementById("send")!.click());
  return reopened;
}

const undoButton = () =>
  [...document.querySelectorAll("button")].find(
    (b) => b.textContent === i18n.getFixedT("en")("undoSend.undo"),
  );
const flush = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 10)));

describe("a held message coming back while storage is full", () => {
  it("Undo reopens the form with the message and the notice goes", async () => {
    gateway.sendOutcome = () => new Promise(() => undefined);
    gateway.cancelSend = () => Promise.resolve({ state: "cancelled", draft: null });
    const reopened = renderHeld();
    expect(undoButton()).toBeDefined();
    await act(async () => undoButton()!.click());
    await flush();
    expect(reopened).toEqual([{ mode: "saved", ref: null, fields }]);
    expect(undoButton()).toBeUndefined();
  });

  it("a send that failed at its deadline reopens the form, saying why, and the notice goes", async () => {
    gateway.sendOutcome = () => Promise.reject(new GatewayError("SERVER_REFUSED", "Relay denied"));
    const reopened = renderHeld();
    await flush();
    expect(reopened).toHaveLength(1);
    expect(reopened[0]).toMatchObject({ mode: "saved", ref: null, fields });
    expect((reopened[0] as { error?: string }).error).toBeTruthy();
    expect(undoButton()).toBeUndefined();
  });
});

describe("a held message whose form cannot come back", () => {
  it("says what went wrong, and the notice goes", async () => {
    gateway.sendOutcome = () => Promise.reject(new GatewayError("SERVER_REFUSED", "Relay denied"));
    renderHeld(() => {
      throw new Error("The form is gone");
    });
    await flush();
    expect(toasts).toEqual([{ text: i18n.getFixedT("en")("errors.INTERNAL"), tone: "error" }]);
    expect(undoButton()).toBeUndefined();
  });
});

/** What this browser keeps of held messages (undo-send's PENDING_KEY). */
const PENDING_KEY = "pismo.undoSend";
const pending = () => JSON.parse(localStorage.getItem(PENDING_KEY) ?? "[]") as { id: string }[];

const sentResult = { messageId: "<held-2@x.rs>", raw: "RnJvbTogbWU=", rejected: [] };

/** A page of the account: its Undo notices (those of held messages kept in this browser, and
 * `held` when given, as Send hands it over), the sent copies filed through `drafts`. */
function page({
  held,
  drafts,
  reopened = [],
  settled,
}: {
  held?: HeldMessage;
  drafts?: Pick<DraftStore, "afterSend">;
  reopened?: ComposeRequest[];
  settled?: { wait: (() => Promise<void> | null) | null };
}) {
  function Sender() {
    const hold = useUndoSend();
    const wait = useHeldSendsSettled();
    if (settled) settled.wait = wait;
    return createElement("button", { id: "send", onClick: () => held && hold?.(held) }, "Send");
  }
  const root = dom.mount(
    createElement(
      QueryClientProvider,
      { client: new QueryClient() },
      createElement(UndoSendRoot, {
        reopen: (r: ComposeRequest) => void reopened.push(r),
        account: "me@x.rs",
        ...(drafts ? { drafts: drafts as DraftStore } : {}),
        children: createElement(Sender),
      }),
    ),
  );
  if (held) act(() => document.getElementById("send")!.click());
  return { root, reopened };
}

const heldMessage = (patch: Partial<HeldMessage> = {}): HeldMessage => ({
  id: "held-2",
  sendAt: Date.now() + 10_000,
  account: "me@x.rs",
  fields,
  draftRef: "draft-7",
  ...patch,
});

describe("a held message's sent copy, kept where the browser keeps it (POP3)", () => {
  beforeEach(() => {
    // Storage that keeps what it is given.
    vi.restoreAllMocks();
  });

  it("one that could not be filed is filed by the next load, and only then forgotten", async () => {
    gateway.sendOutcome = () => Promise.resolve({ state: "sent", result: sentResult });
    const first = page({
      held: heldMessage(),
      drafts: { afterSend: () => Promise.reject(new DOMException("full", "QuotaExceededError")) },
    });
    await flush();
    expect(toasts.map((t) => t.text)).toContain(i18n.getFixedT("en")("compose.sentCopyFailed"));
    expect(undoButton()).toBeUndefined();
    // Not acknowledged: the gateway keeps the copy for the next load.
    expect(gateway.acked).toEqual([]);
    expect(pending().map((p) => p.id)).toEqual(["held-2"]);
    act(() => first.root.unmount());

    // The page loaded again: the copy is filed (the draft it was sent from goes), then acknowledged.
    const filed: [SendResult, DraftRef | null][] = [];
    page({
      drafts: {
        afterSend: (result, ref) => {
          filed.push([result, ref]);
          return Promise.resolve();
        },
      },
    });
    await flush();
    expect(filed).toEqual([[sentResult, "draft-7"]]);
    expect(gateway.acked).toEqual(["held-2"]);
    expect(pending()).toEqual([]);
  });

  it("signing out can wait until every held message went out and its copy was filed", async () => {
    let went = (_: unknown) => undefined as void;
    gateway.sendOutcome = () => new Promise((resolve) => (went = resolve));
    const filed: string[] = [];
    const settled = { wait: null as (() => Promise<void> | null) | null };
    page({
      held: heldMessage(),
      drafts: {
        afterSend: (result) => {
          filed.push(result.messageId);
          return Promise.resolve();
        },
      },
      settled,
    });
    let done = false;
    void settled.wait?.()?.then(() => (done = true));
    await flush();
    expect(done).toBe(false);
    went({ state: "sent", result: sentResult });
    await flush();
    expect(filed).toEqual(["<held-2@x.rs>"]);
    expect(done).toBe(true);
    // Nothing held: nothing to wait for.
    expect(settled.wait?.()).toBeNull();
  });

  it("signing out waits no longer than 10 s past the deadline: a gateway out of reach never answers", async () => {
    vi.useFakeTimers();
    try {
      // The WebSocket down: tRPC's request waits for it to come back, and it does not.
      gateway.sendOutcome = () => new Promise(() => undefined);
      const settled = { wait: null as (() => Promise<void> | null) | null };
      const first = page({ held: heldMessage({ sendAt: Date.now() + 5_000 }), settled });
      let done = false;
      void settled.wait?.()?.then(() => (done = true));
      await act(() => vi.advanceTimersByTimeAsync(14_000));
      expect(done).toBe(false);
      await act(() => vi.advanceTimersByTimeAsync(1_500));
      expect(done).toBe(true);

      // Held for long (a long Undo delay): 40 s at most.
      act(() => first.root.unmount());
      localStorage.clear();
      page({ held: heldMessage({ id: "held-9", sendAt: Date.now() + 120_000 }), settled });
      done = false;
      void settled.wait?.()?.then(() => (done = true));
      await act(() => vi.advanceTimersByTimeAsync(39_000));
      expect(done).toBe(false);
      await act(() => vi.advanceTimersByTimeAsync(1_500));
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a copy not filed never brings the form back, also when the gateway has forgotten the message", async () => {
    gateway.sendOutcome = () => Promise.resolve({ state: "sent", result: sentResult });
    const first = page({
      held: heldMessage(),
      drafts: { afterSend: () => Promise.reject(new DOMException("full", "QuotaExceededError")) },
    });
    await flush();
    act(() => first.root.unmount());
    toasts.length = 0;

    // Signed out and in again (a new session), or the gateway restarted: it knows nothing of it.
    gateway.sendOutcome = () => Promise.resolve({ state: "unknown", result: null });
    const filed: SendResult[] = [];
    const again = page({
      drafts: {
        afterSend: (result) => {
          filed.push(result);
          return Promise.resolve();
        },
      },
    });
    // It went out: no notice to undo it.
    expect(undoButton()).toBeUndefined();
    await flush();
    expect(again.reopened).toEqual([]);
    expect(filed).toEqual([]);
    // Said once, when filing failed; nothing more to do.
    expect(toasts).toEqual([]);
    expect(pending()).toEqual([]);
  });
});

describe("Undo of a held message reopens the form as the same compose window", () => {
  beforeEach(() => {
    vi.restoreAllMocks();
  });

  it("with the window's composeId, also after a reload", async () => {
    gateway.sendOutcome = () => new Promise(() => undefined);
    gateway.cancelSend = () =>
      Promise.resolve({ state: "cancelled", draft: { ...emptyDraft(), composeId: "window-1" } });
    const first = page({ held: heldMessage({ composeId: "window-1" }) });
    await act(async () => undoButton()!.click());
    await flush();
    expect(first.reopened).toEqual([{ mode: "saved", ref: "draft-7", fields, composeId: "window-1" }]);

    // Held again, and the page reloaded before Undo: the record kept in this browser names it.
    act(() => first.root.unmount());
    const second = page({ held: heldMessage({ id: "held-3", composeId: "window-1" }) });
    act(() => second.root.unmount());
    const again = page({});
    await act(async () => undoButton()!.click());
    await flush();
    expect(again.reopened).toEqual([{ mode: "saved", ref: "draft-7", fields, composeId: "window-1" }]);
  });

  it("a record without one (an older page) takes the one the gateway gives back with the draft", async () => {
    gateway.sendOutcome = () => new Promise(() => undefined);
    gateway.cancelSend = () =>
      Promise.resolve({ state: "cancelled", draft: { ...emptyDraft(), composeId: "window-2" } });
    const { reopened } = page({ held: heldMessage() });
    await act(async () => undoButton()!.click());
    await flush();
    expect(reopened).toEqual([{ mode: "saved", ref: "draft-7", fields, composeId: "window-2" }]);
  });

  it("but not when another tab's Undo took it back: two windows would be one to the gateway", async () => {
    gateway.sendOutcome = () => new Promise(() => undefined);
    // The other tab's Undo got the draft; this one's only hears that it was taken back.
    gateway.cancelSend = () => Promise.resolve({ state: "cancelled", draft: null });
    const { reopened } = page({ held: heldMessage({ composeId: "window-1" }) });
    await act(async () => undoButton()!.click());
    await flush();
    expect(reopened).toEqual([{ mode: "saved", ref: "draft-7", fields }]);
  });

  it("nor when the gateway does not know the message (each tab brings the form back)", async () => {
    gateway.sendOutcome = () => Promise.resolve({ state: "unknown", result: null });
    const { reopened } = page({ held: heldMessage({ composeId: "window-1" }) });
    await flush();
    expect(reopened).toHaveLength(1);
    expect(reopened[0]).not.toHaveProperty("composeId");
  });
});
