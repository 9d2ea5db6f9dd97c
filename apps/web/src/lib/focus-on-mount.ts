/**
 * A ref that focuses its element when it is added to the page. Used instead of `autoFocus`,
 * which the page's runtime (Preact, see README "Notes on dependencies") writes as the HTML
 * attribute: browsers honour that attribute once per document, not on every window opened later.
 * Inside a `<dialog>` the attribute is right as it is: `showModal()` focuses it.
 */
export function focusOnMount(element: HTMLElement | null): void {
  element?.focus();
}
