/**
 * Focuses the element `find` looks for once it is there (the next renders), then stops trying;
 * unless the user has moved the focus meanwhile: keys typed into the search box right after a
 * message was closed stay there (the list took the focus a frame later, on a loaded machine).
 */
export function focusWhenThere(find: () => HTMLElement | null): void {
  const from = document.activeElement;
  let tries = 0;
  const step = () => {
    const now = document.activeElement;
    if (now !== from && now !== null && now !== document.body) return;
    const el = find();
    if (el) el.focus();
    else if (tries++ < 30) setTimeout(step, 50);
  };
  requestAnimationFrame(step);
}

/**
 * After the item whose remove button was pressed (the `index`th of the `[data-remove]` buttons
 * in `list`) is gone: the focus goes to the remove button now at its place (the new last one's),
 * or, with none left, to `fallback`; it would be left on the page's body.
 */
export function focusAfterRemoval(
  list: Element | null,
  index: number,
  fallback: () => HTMLElement | null,
): void {
  focusWhenThere(() => {
    const left = list?.isConnected ? [...list.querySelectorAll<HTMLElement>("[data-remove]")] : [];
    return left[Math.min(index, left.length - 1)] ?? fallback();
  });
}
