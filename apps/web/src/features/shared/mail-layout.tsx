import { useEffect, useRef, type KeyboardEvent, type ReactNode } from "react";
import { focusWhenThere } from "@/lib/focus-when-there";
import { inDialog, takesText } from "../shortcuts/takes-text";
import { FrameWarmup } from "./frame-warmup";

/** Marks the list's ☰ button (ListTitleBar), which the folders give the focus back to. */
export const OPEN_FOLDERS_ATTR = "data-open-folders";

export type MailPane = "folders" | "list" | "message";

/**
 * The three columns of a mailbox, IMAP or POP3: folders, the message list, the open message.
 * On a wide screen (`lg`) all three show. On a tablet (`md`) two do: the open message, beside
 * the list or, while `pane` is "folders", beside the folders, so that the message keeps room to
 * be read instead of a third of the width. On a phone only `pane` shows. The features switch it.
 */
export function MailLayout({
  pane,
  onLeaveFolders,
  onLeaveMessage,
  folders,
  list,
  message,
  children,
}: {
  pane: MailPane;
  /** Escape in the folders where they stand in the list's place: back to the list. */
  onLeaveFolders: () => void;
  /** Escape in the open message (or Settings) where it stands in the list's place: back to the list. */
  onLeaveMessage: () => void;
  folders: ReactNode;
  list: ReactNode;
  message: ReactNode;
  /** Dialogs and other overlays that belong to the mailbox. */
  children?: ReactNode;
}) {
  const shown = (p: MailPane) => (pane === p ? "flex" : "hidden");
  const column = { height: "calc(100dvh - 3rem)" };
  const aside = useRef<HTMLElement>(null);
  const listColumn = useRef<HTMLElement>(null);
  // Where the folders take the list's place (a phone, a tablet), the ☰ that opened them is gone
  // with the list: the focus goes to the folder open now (it was left on the page's body), and
  // back to ☰ when Escape returns to the list.
  const before = useRef(pane);
  useEffect(() => {
    const was = before.current;
    before.current = pane;
    if (pane !== "folders" || was === "folders") return;
    const active = document.activeElement;
    if (active && active !== document.body && !active.closest(`[${OPEN_FOLDERS_ATTR}]`)) return;
    focusWhenThere(
      () =>
        aside.current?.querySelector<HTMLElement>("[aria-current]:not([aria-current=false])") ??
        aside.current?.querySelector<HTMLElement>("button") ??
        null,
    );
  }, [pane]);
  // Where the folders or the open message stand in the list's place (a phone; the folders on a
  // tablet too), Escape goes back to the list, as Back and u do; beside the list (a wide
  // screen) there is nothing to go back to. A dialog's Escape is its own, and in the message a
  // text field's too.
  const escapeBack = (
    e: KeyboardEvent,
    from: MailPane,
    leave: () => void,
    focusInList: string,
    textTakesIt = false,
  ) => {
    if (e.key !== "Escape" || e.defaultPrevented || pane !== from) return;
    if (inDialog(e.target) || (textTakesIt && takesText(e.target))) return;
    const list = listColumn.current;
    if (!list || getComputedStyle(list).display !== "none") return;
    e.preventDefault();
    leave();
    focusWhenThere(() => list.querySelector<HTMLElement>(focusInList));
  };
  return (
    <div className="flex min-h-0 flex-1 md:grid md:h-[calc(100dvh-3rem)] md:grid-cols-[minmax(18rem,24rem)_1fr] lg:grid-cols-[15rem_minmax(20rem,26rem)_1fr]">
      <aside
        ref={aside}
        onKeyDown={(e) => escapeBack(e, "folders", onLeaveFolders, `[${OPEN_FOLDERS_ATTR}]`)}
        className={`${shown("folders")} min-h-0 w-full flex-col border-r border-slate-200 bg-white lg:flex dark:border-slate-800 dark:bg-slate-900`}
      >
        {folders}
      </aside>
      <section
        ref={listColumn}
        className={`${shown("list")} ${pane === "folders" ? "" : "md:flex"} min-h-0 w-full flex-col border-r border-slate-200 lg:flex dark:border-slate-800`}
        style={column}
      >
        {list}
      </section>
      <section
        onKeyDown={(e) => escapeBack(e, "message", onLeaveMessage, '[role="grid"]', true)}
        className={`${shown("message")} min-h-0 w-full flex-col md:flex`}
        style={column}
      >
        {message}
      </section>
      {children}
      <FrameWarmup />
    </div>
  );
}
