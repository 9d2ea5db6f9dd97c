import { useState } from "react";

/**
 * Where a list's keys start from: the open message (or conversation), else the one last open.
 * After `u` or Back, `j` opens the one below it and Enter opens it again, as in Gmail; they
 * went back to the top of the list. Null before anything was open in this list.
 */
export function useListCursor<Id>(openId: Id | null): Id | null {
  const [last, setLast] = useState<Id | null>(openId);
  // Derived in render (React's "storing information from previous renders"): no extra pass.
  if (openId !== null && openId !== last) setLast(openId);
  return openId ?? last;
}
