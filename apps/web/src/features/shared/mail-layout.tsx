import type { ReactNode } from "react";
import { FrameWarmup } from "./frame-warmup";

export type MailPane = "folders" | "list" | "message";

/**
 * The three columns of a mailbox, IMAP or POP3: folders, the message list, the open message.
 * On a wide screen (`lg`) all three show. On a tablet (`md`) two do: the open message, beside
 * the list or, while `pane` is "folders", beside the folders, so that the message keeps room to
 * be read instead of a third of the width. On a phone only `pane` shows. The features switch it.
 */
export function MailLayout({
  pane,
  folders,
  list,
  message,
  children,
}: {
  pane: MailPane;
  folders: ReactNode;
  list: ReactNode;
  message: ReactNode;
  /** Dialogs and other overlays that belong to the mailbox. */
  children?: ReactNode;
}) {
  const shown = (p: MailPane) => (pane === p ? "flex" : "hidden");
  const column = { height: "calc(100dvh - 3rem)" };
  return (
    <div className="flex min-h-0 flex-1 md:grid md:h-[calc(100dvh-3rem)] md:grid-cols-[minmax(18rem,24rem)_1fr] lg:grid-cols-[15rem_minmax(20rem,26rem)_1fr]">
      <aside
        className={`${shown("folders")} min-h-0 w-full flex-col border-r border-slate-200 bg-white lg:flex dark:border-slate-800 dark:bg-slate-900`}
      >
        {folders}
      </aside>
      <section
        className={`${shown("list")} ${pane === "folders" ? "" : "md:flex"} min-h-0 w-full flex-col border-r border-slate-200 lg:flex dark:border-slate-800`}
        style={column}
      >
        {list}
      </section>
      <section className={`${shown("message")} min-h-0 w-full flex-col md:flex`} style={column}>
        {message}
      </section>
      {children}
      <FrameWarmup />
    </div>
  );
}
