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
