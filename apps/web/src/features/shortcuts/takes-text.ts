import { isTextTarget } from "./keymap";

/**
 * A key event's target takes typed text (a field, an editor, a text role): keys there are the
 * user's text, never the app's shortcuts (nor `/` for the search box).
 */
export function takesText(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  return isTextTarget({
    tagName: target.tagName,
    isContentEditable: (target as HTMLElement).isContentEditable === true,
    type: (target as HTMLInputElement).type,
    role: target.getAttribute("role"),
  });
}

/**
 * A key event's target is inside an open dialog (Settings, a question, a menu's): the dialog's
 * keys are its own, never the page's under it (the mail's shortcuts, `/`, Escape's way back).
 */
export function inDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest("dialog[open]") !== null;
}

/**
 * A key event's target is inside a window over the mail that is not a modal `<dialog>` (the
 * compose window, `role="dialog"`): its keys are its own too. On its buttons (Cc/Bcc, Attach,
 * Send) or its blank parts, `e` would archive, `#` delete and `a` reply to the message behind.
 */
export function inWindow(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('dialog[open], [role="dialog"]') !== null;
}
