import { afterAll, beforeAll, vi } from "vitest";

/**
 * A scroll box for a virtualised list in jsdom, which lays nothing out: every element is
 * `height` tall, `scrollTo` scrolls it and says so (as a browser does), and ResizeObserver
 * observes nothing. For the test file (its beforeAll and afterAll); what each `scrollTo` asked
 * for is kept in the returned list, emptied by the test as it likes.
 */
export function listViewportInDom(height: number): { scrolls: number[] } {
  const scrolls: number[] = [];
  const restore: Array<() => void> = [];
  beforeAll(() => {
    const own = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight");
    Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => height });
    const scrollTo = Element.prototype.scrollTo;
    Element.prototype.scrollTo = function (this: Element, options?: ScrollToOptions | number) {
      const top = typeof options === "number" ? 0 : (options?.top ?? 0);
      scrolls.push(top);
      Object.defineProperty(this, "scrollTop", { configurable: true, value: top });
      this.dispatchEvent(new Event("scroll"));
    } as Element["scrollTo"];
    vi.stubGlobal(
      "ResizeObserver",
      class {
        observe() {}
        disconnect() {}
      },
    );
    restore.push(
      () => own && Object.defineProperty(HTMLElement.prototype, "clientHeight", own),
      () => void (Element.prototype.scrollTo = scrollTo),
      () => vi.unstubAllGlobals(),
    );
  });
  afterAll(() => {
    for (const undo of restore.splice(0)) undo();
  });
  return { scrolls };
}
