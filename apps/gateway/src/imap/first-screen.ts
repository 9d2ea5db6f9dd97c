import type { ListResponse } from "imapflow";

/** How long the listing taken at connect may answer the browser's first folder request. */
const FIRST_LISTING_FRESH_MS = 2_000;
/** How long what comes after the first rows (the quota) waits for them at most. */
const AFTER_FIRST_WINDOW_MAX_MS = 1_500;

/**
 * What a sign-in's first screen shares on its one connection: the folder tree listed (with
 * counts) at connect, which answers the browser's first folder request once, while fresh and
 * while nothing has changed since; and the first window of rows, which whatever the reader
 * does not wait for (the quota) lets go first.
 */
export class FirstScreen {
  private listing: { entries: ListResponse[]; at: number } | null = null;
  private window: { done: Promise<void>; resolve: () => void } | null = null;

  keepListing(entries: ListResponse[]): void {
    this.listing = { entries, at: Date.now() };
  }

  /** Something changed (a pushed event, another session of the account): the listing is out of date. */
  forgetListing(): void {
    this.listing = null;
  }

  /** The listing, once: null when it was taken, forgotten or is older than a moment. */
  takeListing(): ListResponse[] | null {
    const first = this.listing;
    this.listing = null;
    return first !== null && Date.now() - first.at <= FIRST_LISTING_FRESH_MS ? first.entries : null;
  }

  /** Settles when the first window's rows were fetched, or after AFTER_FIRST_WINDOW_MAX_MS. */
  afterWindow(): Promise<void> {
    if (this.window === null) {
      let resolve = () => {};
      const done = new Promise<void>((r) => (resolve = r));
      this.window = { done, resolve };
    }
    const { done } = this.window;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((r) => {
      timer = setTimeout(r, AFTER_FIRST_WINDOW_MAX_MS);
      timer.unref();
    });
    return Promise.race([done, late]).finally(() => clearTimeout(timer));
  }

  windowDone(): void {
    if (this.window === null) this.window = { done: Promise.resolve(), resolve: () => {} };
    else this.window.resolve();
  }
}
