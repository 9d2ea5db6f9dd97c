"use client";

import { useLayoutEffect, useRef, type ReactNode, type RefObject } from "react";

/**
 * A <dialog> shown modal while `open` (Tab stays in it, what is under it is inert, Escape
 * closes it, by the browser), and closed before it is removed: an owner that closes it by
 * unmounting it would otherwise leave the focus on <body> instead of on what opened it.
 * `removing` tells its close handler that the close is that removal, not the user's.
 */
export function useModal(open: boolean): {
  ref: RefObject<HTMLDialogElement | null>;
  removing: RefObject<boolean>;
} {
  const ref = useRef<HTMLDialogElement>(null);
  const removing = useRef(false);
  // Opened and closed in the frame its content changes in (an effect would come a frame later,
  // an emptied dialog shown for that frame).
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      // Layout effects run inner first: a dialog inside another that opens in the same render
      // (Create rule from message: the rule editor with Settings) was shown, and then Settings
      // over it, the editor unreachable under it. The dialogs around it open first.
      const around: HTMLDialogElement[] = [];
      for (let d = dialog.parentElement?.closest("dialog"); d; d = d.parentElement?.closest("dialog"))
        if (!d.open) around.unshift(d);
      for (const d of around) d.showModal();
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  useLayoutEffect(() => {
    const dialog = ref.current;
    return () => {
      if (!dialog?.open) return;
      removing.current = true;
      dialog.close();
    };
  }, []);
  return { ref, removing };
}

/** A modal built on <dialog> (useModal). */
export function Dialog({
  open,
  title,
  onClose,
  children,
  wide = false,
  mayClose,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  /** Asked before Escape closes it (unsaved edits in it): false keeps it open. */
  mayClose?: () => boolean;
}) {
  const { ref, removing } = useModal(open);
  // Escape's keydown already asked (and was told yes): its cancel event does not ask again.
  const asked = useRef(false);
  return (
    <dialog
      ref={ref}
      aria-label={title}
      // Only its own close: React passes a dialog's close on to the dialogs it is inside (the
      // DOM event does not bubble), and Escape in the rule editor closed Settings with it.
      onClose={(e) => {
        if (e.target === e.currentTarget && !removing.current) onClose();
      }}
      // Asked on Escape's keydown, which can always be refused; a cancel event cannot be after a
      // first one was (Chrome's close watchers), so a second Escape would close it regardless.
      onKeyDown={(e) => {
        if (e.key !== "Escape" || !mayClose) return;
        // Not an Escape meant for a dialog inside this one (the rule editor in Settings).
        if ((e.target as Element).closest("dialog") !== e.currentTarget) return;
        if (mayClose()) asked.current = true;
        else e.preventDefault();
      }}
      onCancel={(e) => {
        if (e.target !== e.currentTarget || !mayClose) return;
        if (asked.current) asked.current = false;
        else if (e.cancelable && !mayClose()) e.preventDefault();
      }}
      className={`m-auto ${wide ? "w-[min(56rem,calc(100vw-2rem))]" : "w-[min(28rem,calc(100vw-2rem))]"} rounded-2xl border border-slate-200 bg-white p-5 text-slate-900 shadow-xl backdrop:bg-slate-900/40 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100`}
    >
      <h2 className="mb-3 text-base font-semibold">{title}</h2>
      {open ? children : null}
    </dialog>
  );
}

export const buttonClass = {
  primary:
    "rounded-lg bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-strong disabled:opacity-50",
  secondary:
    "rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-50 dark:border-slate-600 dark:bg-slate-800 dark:hover:bg-slate-700",
  danger:
    "rounded-lg bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-50",
  ghost: "rounded-md px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-40 dark:hover:bg-slate-800",
};
