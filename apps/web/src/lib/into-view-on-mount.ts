/**
 * A ref that brings its element into view when it is added to the page (the nearest edge, so
 * no more scrolling than needed): a message that appears below a field, or a section away.
 * A ref made once, so it is not called again at every render.
 */
export function intoViewOnMount(element: HTMLElement | null): void {
  element?.scrollIntoView({ block: "nearest" });
}
