import { act, type ReactNode } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeAll } from "vitest";
import { i18n } from "@/i18n";

/**
 * React in jsdom for a test file (one that says `// @vitest-environment jsdom`): act()'s
 * environment, the first catalog in before any render (the page's Suspense waits for it), and,
 * after each test, every root made here unmounted and the body emptied. Call it once, at the top
 * of the file.
 */
export function reactInDom(): {
  /** A new element of the body and a root on it, not rendered yet (for a render inside an
   * async act, or a host watched before anything is in it). */
  place(): { host: HTMLElement; root: Root };
  /** Renders `node` on a new element of the body, inside act(). */
  mount(node: ReactNode): Root;
} {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  const roots: Root[] = [];
  beforeAll(async () => {
    await i18n.ready;
  });
  afterEach(() => {
    act(() => {
      for (const r of roots.splice(0)) r.unmount();
    });
    document.body.innerHTML = "";
  });
  const place = () => {
    const host = document.body.appendChild(document.createElement("div"));
    const root = createRoot(host);
    roots.push(root);
    return { host, root };
  };
  return {
    place,
    mount(node) {
      const { root } = place();
      act(() => root.render(node));
      return root;
    },
  };
}
