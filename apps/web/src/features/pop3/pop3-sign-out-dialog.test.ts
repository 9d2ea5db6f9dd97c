// @vitest-environment jsdom
import { act, createElement, useEffect, useState, type ReactNode } from "react";
import { expect, it, vi } from "vitest";
import { reactInDom } from "@/test-support/react-dom";
import { i18n } from "@/i18n";
import type { Pop3Store } from "./pop3-store";

// The sign-out dialog of a POP3 account, rendered by React in a DOM, while its mbox file is
// being written: the file's messages must stay until it is done.

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
// Messages held for Undo send (none when `none`), settled when the test says so; and the
// browser left at once.
const held = vi.hoisted(() => ({ none: false, settle: (): void => undefined }));
vi.mock("../compose/undo-send", () => ({
  useHeldSendsSettled: () => () =>
    held.none ? null : new Promise<void>((resolve) => (held.settle = resolve)),
}));
const leaveBrowser = vi.hoisted(() => vi.fn(() => Promise.resolve("left")));
vi.mock("./leave-browser", () => ({ leaveBrowser }));
// The page's dialog (showModal) as a plain element with a way to close it.
vi.mock("@/components/ui/dialog", () => ({
  buttonClass: { secondary: "", danger: "", ghost: "" },
  Dialog: ({ open, onClose, children }: { open: boolean; onClose: () => void; children: ReactNode }) =>
    open
      ? createElement(
          "div",
          null,
          children,
          createElement("button", { type: "button", onClick: onClose }, "×"),
        )
      : null,
}));

const { Pop3SignOutDialog } = await import("./pop3-sign-out-dialog");

const dom = reactInDom();

const status = () => [...document.querySelectorAll('[role="status"]')].map((p) => p.textContent);
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
  const store = { countOnlyHere: () => Promise.resolve(0), onlyHere: () => Promise.resolve([]) };
  const onSignedOut = vi.fn();
  const { root } = dom.place();
  await act(async () =>
    root.render(
      createElement(Pop3SignOutDialog, {
        open: true,
        store: store as unknown as Pop3Store,
        pull: { running: false, cancel: () => Promise.resolve(), hold: () => () => undefined },
        onCancel: () => undefined,
        onSignedOut,
      }),
    ),
  );
  leaveBrowser.mockClear();
  return onSignedOut;
}

it("leaves the browser only once the messages held for Undo send went out (their sent copies filed)", async () => {
  const onSignedOut = await openWithNothingOnlyHere();
  await act(async () => button(i18n.t("pop3.wipeMail")).click());
  // A sent copy filed after the wipe would bring the database back.
  expect(leaveBrowser).not.toHaveBeenCalled();
  expect(onSignedOut).not.toHaveBeenCalled();
  // The buttons are closed meanwhile: the dialog says what it waits for.
  expect(status()).toEqual([i18n.t("pop3.sendingHeld")]);
  await act(async () => held.settle());
  expect(leaveBrowser).toHaveBeenCalledOnce();
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
