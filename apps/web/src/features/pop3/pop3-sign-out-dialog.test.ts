// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, createElement, useEffect, useState, type ReactNode } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { emptyDraft } from "@pismo/protocol/compose";
import { reactInDom } from "@/test-support/react-dom";
import { i18n } from "@/i18n";
import type { ComposeRequest } from "../compose/compose-context";
import { fieldsFromDraft } from "../compose/initial-draft";
import type * as UndoSend from "../compose/undo-send";
import type { Pop3Store } from "./pop3-store";

// The sign-out dialog of a POP3 account, rendered by React in a DOM: while its mbox file is
// being written, the file's messages must stay until it is done; while it waits for the
// messages held for Undo send, it can still be called off, and their Undo is in it.

const download = vi.hoisted(() => ({ finish: (): void => undefined }));
vi.mock("../shared/mbox-download", () => ({
  downloadMbox: () => new Promise<void>((resolve) => (download.finish = resolve)),
}));
// The count once, without Dexie's live query.
vi.mock("./use-live", () => ({
  useLive: <T>(query: () => Promise<T>, deps: readonly unknown[]) => {
    const [value, setValue] = useState<T>();
    // eslint-disable-next-line react-hooks/exhaustive-deps
    useEffect(() => void query().then(setValue), deps);
    return value;
  },
}));
vi.mock("../sign-in/session-api", () => ({ signOut: () => Promise.resolve() }));
// Messages held for Undo send (none when `none`), settled when the test says so, their Undo
// noted in `undone`; or, when `real`, the page's own (<UndoSendRoot>, with the gateway's answers
// made up below). And the browser left at once.
const held = vi.hoisted(() => ({
  none: false,
  real: false,
  sendAt: 0,
  settle: (): void => undefined,
  undone: [] as string[],
}));
vi.mock("../compose/undo-send", async (importOriginal) => {
  const actual = await importOriginal<typeof UndoSend>();
  const settled = () => (held.none ? null : new Promise<void>((resolve) => (held.settle = resolve)));
  const heldUndo = {
    get messages() {
      return [{ id: "held-1", sendAt: held.sendAt, fields: { subject: "Slika" } }];
    },
    undo: (id: string) => void held.undone.push(id),
  };
  return {
    ...actual,
    useHeldSendsSettled: () => {
      const real = actual.useHeldSendsSettled();
      return held.real ? real : settled;
    },
    useHeldUndo: () => {
      const real = actual.useHeldUndo();
      return held.real ? real : held.none ? { messages: [], undo: heldUndo.undo } : heldUndo;
    },
  };
});
const gateway = vi.hoisted(() => ({
  sendOutcome: (_input: { id: string }): Promise<unknown> => new Promise(() => undefined),
  cancelSend: vi.fn((_input: { id: string }): Promise<unknown> => new Promise(() => undefined)),
}));
// The lists a sent message refreshes (afterSent), as filters that match nothing here.
const refresh = { pathFilter: () => ({}), queryFilter: () => ({}) };
vi.mock("@/trpc/client", () => ({
  useTRPC: () => ({ imap: { list: refresh, conversations: refresh, folders: refresh } }),
  useTRPCClient: () => ({
    compose: {
      sendOutcome: { mutate: (input: { id: string }) => gateway.sendOutcome(input) },
      cancelSend: { mutate: (input: { id: string }) => gateway.cancelSend(input) },
      ackSent: { mutate: () => Promise.resolve() },
    },
  }),
}));
const leaveBrowser = vi.hoisted(() => vi.fn(() => Promise.resolve("left")));
vi.mock("./leave-browser", () => ({ leaveBrowser }));
// The page's dialog (showModal) as a plain element with a way to close it: "×" closes it as
// Escape does, asking mayClose first.
vi.mock("@/components/ui/dialog", () => ({
  buttonClass: { secondary: "", danger: "", ghost: "" },
  Dialog: ({
    open,
    onClose,
    mayClose,
    children,
  }: {
    open: boolean;
    onClose: () => void;
    mayClose?: () => boolean;
    children: ReactNode;
  }) =>
    open
      ? createElement(
          "div",
          null,
          children,
          createElement(
            "button",
            { type: "button", onClick: () => (mayClose?.() ?? true) && onClose() },
            "×",
          ),
        )
      : null,
}));

const { Pop3SignOutDialog } = await import("./pop3-sign-out-dialog");
// The page's own, for the tests with `held.real` (the mock passes them on).
const { UndoSendRoot, useUndoSend } = await import("../compose/undo-send");

const dom = reactInDom();

beforeEach(() => {
  held.none = false;
  held.real = false;
  held.sendAt = Date.now() + 60_000;
  held.undone.length = 0;
  gateway.cancelSend.mockClear();
  localStorage.clear();
});

const status = () => [...document.querySelectorAll('[role="status"]')].map((p) => p.textContent);
/** The countdown shown while the held messages are waited for (hidden from screen readers,
 * which are told the status once), and its text with the deadline still ahead. */
const countdown = () => document.querySelector("[data-countdown]")?.textContent;
const waitingFor = (seconds: number) => i18n.t("pop3.sendingHeldIn", { seconds });
const button = (text: string) =>
  [...document.querySelectorAll("button")].find((b) => b.textContent === text) as HTMLButtonElement;

it("keeps the choices closed, and itself open, until the mbox file is written", async () => {
  const store = { countOnlyHere: () => Promise.resolve(2), onlyHere: () => Promise.resolve([]) };
  const onCancel = vi.fn();
  const { root } = dom.place();
  const render = (open: boolean) =>
    root.render(
      createElement(Pop3SignOutDialog, {
        open,
        store: store as unknown as Pop3Store,
        pull: { running: false, cancel: () => Promise.resolve(), hold: () => () => undefined },
        onCancel,
        onSignedOut: () => undefined,
      }),
    );
  await act(async () => render(true));
  await act(async () => button(i18n.t("pop3.exportOnlyHere")).click());
  expect(button(i18n.t("pop3.wipeMail")).disabled).toBe(true);

  // Closing now (Escape, the close button) would let Remove wipe mail the file has not got.
  await act(async () => button("×").click());
  await act(async () => button(i18n.t("mail.cancel")).click());
  expect(onCancel).not.toHaveBeenCalled();
  expect(button(i18n.t("pop3.keepMail")).disabled).toBe(true);
  expect(button(i18n.t("pop3.wipeMail")).disabled).toBe(true);

  await act(async () => download.finish());
  expect(button(i18n.t("pop3.keepMail")).disabled).toBe(false);
  expect(button(i18n.t("pop3.wipeMail")).disabled).toBe(false);
  await act(async () => button("×").click());
  expect(onCancel).toHaveBeenCalledOnce();
});

/** The dialog open over a store with nothing only here; what it calls when signed out. */
async function openWithNothingOnlyHere() {
  return (await openDialog()).onSignedOut;
}

/** The dialog over a store with nothing only here, open until cancelled (then closed, as the
 * page closes it); what it calls. */
async function openDialog() {
  const store = { countOnlyHere: () => Promise.resolve(0), onlyHere: () => Promise.resolve([]) };
  const onSignedOut = vi.fn();
  const onCancel = vi.fn();
  const { root } = dom.place();
  const render = (open: boolean) =>
    root.render(
      createElement(Pop3SignOutDialog, {
        open,
        store: store as unknown as Pop3Store,
        pull: { running: false, cancel: () => Promise.resolve(), hold: () => () => undefined },
        onCancel: () => {
          onCancel();
          render(false);
        },
        onSignedOut,
      }),
    );
  await act(async () => render(true));
  leaveBrowser.mockClear();
  return { onSignedOut, onCancel, reopen: () => act(async () => render(true)) };
}

it("leaves the browser only once the messages held for Undo send went out (their sent copies filed)", async () => {
  const onSignedOut = await openWithNothingOnlyHere();
  await act(async () => button(i18n.t("pop3.wipeMail")).click());
  // A sent copy filed after the wipe would bring the database back.
  expect(leaveBrowser).not.toHaveBeenCalled();
  expect(onSignedOut).not.toHaveBeenCalled();
  // The buttons are closed meanwhile: the dialog says what it waits for.
  expect(status()).toEqual([i18n.t("pop3.sendingHeld")]);
  expect(countdown()).toBe(waitingFor(60));
  await act(async () => held.settle());
  expect(leaveBrowser).toHaveBeenCalledOnce();
  expect(onSignedOut).toHaveBeenCalledOnce();
});

it("counts down to the last held message's deadline, then says they are being sent", async () => {
  const onSignedOut = await openWithNothingOnlyHere();
  held.sendAt = Date.now() + 1_500;
  await act(async () => button(i18n.t("pop3.keepMail")).click());
  expect(countdown()).toBe(waitingFor(2));
  await act(() => new Promise<void>((resolve) => setTimeout(resolve, 800)));
  expect(countdown()).toBe(waitingFor(1));
  await act(() => new Promise<void>((resolve) => setTimeout(resolve, 1_000)));
  expect(countdown()).toBe(i18n.t("pop3.sendingHeld"));
  // Told to a screen reader once, not every second.
  expect(status()).toEqual([i18n.t("pop3.sendingHeld")]);
  expect(onSignedOut).not.toHaveBeenCalled();
  await act(async () => held.settle());
  expect(onSignedOut).toHaveBeenCalledOnce();
});

it("with nothing held for Undo send, leaves at once and says nothing of it", async () => {
  held.none = true;
  const onSignedOut = await openWithNothingOnlyHere();
  await act(async () => button(i18n.t("pop3.keepMail")).click());
  expect(status()).toEqual([]);
  expect(leaveBrowser).toHaveBeenCalledOnce();
  expect(onSignedOut).toHaveBeenCalledOnce();
});

describe("cancelling while the messages held for Undo send are waited for", () => {
  it("Cancel stops the sign-out, and the held messages going out later do not sign out", async () => {
    const { onSignedOut, onCancel } = await openDialog();
    await act(async () => button(i18n.t("pop3.keepMail")).click());
    expect(status()).toEqual([i18n.t("pop3.sendingHeld")]);
    expect(countdown()).toBe(waitingFor(60));
    expect(button(i18n.t("mail.cancel")).disabled).toBe(false);
    await act(async () => button(i18n.t("mail.cancel")).click());
    expect(onCancel).toHaveBeenCalledOnce();

    await act(async () => held.settle());
    expect(leaveBrowser).not.toHaveBeenCalled();
    expect(onSignedOut).not.toHaveBeenCalled();
  });

  it("so does Escape; opened again, the dialog offers its choices, and a new one runs alone", async () => {
    const { onSignedOut, onCancel, reopen } = await openDialog();
    await act(async () => button(i18n.t("pop3.wipeMail")).click());
    const first = held.settle;
    await act(async () => button("×").click());
    expect(onCancel).toHaveBeenCalledOnce();

    await reopen();
    expect(status()).toEqual([]);
    expect(button(i18n.t("pop3.keepMail")).disabled).toBe(false);
    await act(async () => button(i18n.t("pop3.keepMail")).click());
    // The cancelled choice (Remove) settling now neither wipes nor signs out.
    await act(async () => first());
    expect(leaveBrowser).not.toHaveBeenCalled();
    expect(onSignedOut).not.toHaveBeenCalled();
    await act(async () => held.settle());
    expect(leaveBrowser).toHaveBeenCalledOnce();
    expect(leaveBrowser).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ wipe: false }));
    expect(onSignedOut).toHaveBeenCalledOnce();
  });

  it("once the browser is being left, it cannot be cancelled (stopping the pull, removing mail)", async () => {
    const { onCancel } = await openDialog();
    leaveBrowser.mockImplementationOnce(() => new Promise(() => undefined));
    await act(async () => button(i18n.t("pop3.keepMail")).click());
    await act(async () => held.settle());
    expect(leaveBrowser).toHaveBeenCalledOnce();
    expect(button(i18n.t("mail.cancel")).disabled).toBe(true);
    await act(async () => button("×").click());
    expect(onCancel).not.toHaveBeenCalled();
  });
});

describe("Undo of a held message from the dialog (the page's notices are inert under it)", () => {
  const undoHeld = (subject: string) => button(i18n.t("pop3.undoHeld", { subject }));

  it("is offered while the dialog waits, takes the message back and stops the sign-out", async () => {
    const { onSignedOut, onCancel } = await openDialog();
    expect(undoHeld("Slika")).toBeUndefined();
    await act(async () => button(i18n.t("pop3.keepMail")).click());
    await act(async () => undoHeld("Slika").click());
    expect(held.undone).toEqual(["held-1"]);
    expect(onCancel).toHaveBeenCalledOnce();
    await act(async () => held.settle());
    expect(leaveBrowser).not.toHaveBeenCalled();
    expect(onSignedOut).not.toHaveBeenCalled();
  });

  /** The page's own Undo send around the dialog, one message held; what the form reopened with. */
  async function withHeldMessage() {
    held.real = true;
    const fields = { ...fieldsFromDraft(emptyDraft(), true), to: "ana@x.rs", subject: "Slika" };
    const reopened: ComposeRequest[] = [];
    const store = { countOnlyHere: () => Promise.resolve(0), onlyHere: () => Promise.resolve([]) };
    const onSignedOut = vi.fn();
    const onCancel = vi.fn();
    function Page() {
      const hold = useUndoSend();
      const [shown, setShown] = useState(true);
      return createElement(
        "div",
        null,
        createElement(
          "button",
          {
            type: "button",
            onClick: () =>
              hold?.({
                id: "held-1",
                sendAt: Date.now() + 10_000,
                account: "me@x.rs",
                fields,
                draftRef: null,
                afterSend: () => Promise.resolve(),
              }),
          },
          "Send",
        ),
        createElement(Pop3SignOutDialog, {
          open: shown,
          store: store as unknown as Pop3Store,
          pull: { running: false, cancel: () => Promise.resolve(), hold: () => () => undefined },
          onCancel: () => {
            onCancel();
            setShown(false);
          },
          onSignedOut,
        }),
      );
    }
    dom.mount(
      createElement(
        QueryClientProvider,
        { client: new QueryClient() },
        createElement(UndoSendRoot, {
          reopen: (r: ComposeRequest) => void reopened.push(r),
          account: "me@x.rs",
          children: createElement(Page),
        }),
      ),
    );
    await act(async () => button("Send").click());
    leaveBrowser.mockClear();
    return { fields, reopened, onSignedOut, onCancel };
  }
  const flush = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 10)));

  it("takes it back as the notice's Undo does: the form comes back with it, nobody is signed out", async () => {
    gateway.sendOutcome = () => new Promise(() => undefined);
    gateway.cancelSend.mockImplementation(() => Promise.resolve({ state: "cancelled", draft: null }));
    const { fields, reopened, onSignedOut, onCancel } = await withHeldMessage();
    await act(async () => button(i18n.t("pop3.keepMail")).click());
    expect(status()).toContain(i18n.t("pop3.sendingHeld"));
    expect(countdown()).toBe(waitingFor(10));
    await act(async () => undoHeld("Slika").click());
    await flush();
    expect(gateway.cancelSend).toHaveBeenCalledWith({ id: "held-1" });
    expect(reopened).toEqual([{ mode: "saved", ref: null, fields }]);
    expect(onCancel).toHaveBeenCalledOnce();
    // Nothing is held now, which would have let a sign-out still running go on.
    expect(button(i18n.t("undoSend.undo"))).toBeUndefined();
    expect(leaveBrowser).not.toHaveBeenCalled();
    expect(onSignedOut).not.toHaveBeenCalled();
  });

  it("cancelled, the held message going out later does not sign out", async () => {
    let answer = (_: unknown): void => undefined;
    gateway.sendOutcome = () => new Promise((resolve) => (answer = resolve));
    const { reopened, onSignedOut, onCancel } = await withHeldMessage();
    await act(async () => button(i18n.t("pop3.wipeMail")).click());
    await act(async () => button(i18n.t("mail.cancel")).click());
    expect(onCancel).toHaveBeenCalledOnce();
    // Still held, its notice (with Undo) there once the dialog is gone.
    expect(button(i18n.t("undoSend.undo"))).toBeDefined();
    answer({ state: "sent", result: { rejected: [] } });
    await flush();
    expect(button(i18n.t("undoSend.undo"))).toBeUndefined();
    expect(reopened).toEqual([]);
    expect(leaveBrowser).not.toHaveBeenCalled();
    expect(onSignedOut).not.toHaveBeenCalled();
  });
});
