import { useState } from "react";

/** The user's choice of approximate matching (RFC 6203), kept in this browser. */
export function useFuzzyChoice(): { value: boolean; onChange: (value: boolean) => void } {
  const [value, setValue] = useState(() => {
    try {
      return localStorage.getItem("pismo:search-fuzzy") === "1";
    } catch {
      return false;
    }
  });
  return {
    value,
    onChange: (next) => {
      setValue(next);
      try {
        localStorage.setItem("pismo:search-fuzzy", next ? "1" : "0");
      } catch {
        // A convenience only.
      }
    },
  };
}
