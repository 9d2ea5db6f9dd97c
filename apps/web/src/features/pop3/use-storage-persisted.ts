"use client";

import { useEffect, useState } from "react";

/**
 * Whether the browser promised to keep this origin's storage (navigator.storage.persisted()):
 * without it, the browser may clear it when space runs low, and with it the only copy of mail
 * already removed from the server. Null while unknown or where the browser cannot say.
 */
export function useStoragePersisted(): boolean | null {
  const [persisted, setPersisted] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    const storage = typeof navigator === "undefined" ? undefined : navigator.storage;
    if (!storage?.persisted) return;
    storage.persisted().then(
      (value) => {
        if (live) setPersisted(value);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return persisted;
}
