import { useSyncExternalStore } from "react";

/** Tailwind's `lg` breakpoint: from here the mail view shows its three columns side by side
 * (below it, the folders column is shown on demand: MailLayout). */
const WIDE = "(min-width: 1024px)";

function subscribe(onChange: () => void): () => void {
  const query = matchMedia(WIDE);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

/**
 * True while the window is wide enough for the three columns. For a part that belongs in a
 * different column on a phone, so that it is rendered once (one live region, one button)
 * rather than twice with one copy hidden by CSS.
 */
export function useWideScreen(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => matchMedia(WIDE).matches,
    () => true,
  );
}
