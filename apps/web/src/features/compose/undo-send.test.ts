// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, createElement } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { reactInDom } from "@/test-support/react-dom";
import { i18n } from "@/i18n";
import { GatewayError } from "@/lib/errors";
import type { ComposeRequest } from "./compose-context";
import { fieldsFromDraft } from "./initial-draft";
import { emptyDraft } from "@pismo/protocol/compose";

// The Undo notice as the page shows it, rendered by React in a DOM, with the gateway's answers
// made up here: a message that comes back (taken back, or failed at its deadline) must reopen
// the form even when this browser's storage refuses its copy (a large body: a pasted picture).

const gateway = vi.hoisted(() => ({
  sendOutcome: (_input: { id: string }): Promise<unknown> => new Promise(() => undefined),
  cancelSend: (_input: { id: string }): Promise<unknown> => new Promise(() => undefined),
}));

// What the page would show at its bottom.
const toasts = vi.hoisted(() => [] as { text: string; tone: string | undefined }[]);
vi.mock("@/components/ui/toast", () => ({
  useToast: () => (text: string, tone?: string) => void toasts.push({ text, tone }),
}));

vi.mock("@/trpc/client", () => ({
  useTRPC: () => ({}),
  useTRPCClient: () => ({
    compose: {
      sendOutcome: { mutate: (input: { id: string }) => gateway.sendOutcome(input) },
      cancelSend: { mutate: (input: { id: string }) => gateway.cancelSend(input) },
      ackSent: { mutate: () => Promise.resolve() },
    },
  }),
}));

const { UndoSendRoot, useUndoSend } = await import("./undo-send");

const dom = reactInDom();

beforeEach(() => {
  localStorage.clear();
  toasts.length = 0;
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
