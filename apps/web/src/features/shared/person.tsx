import type { Address } from "@pismo/protocol/schemas";

/** The display name with the real address always beside it: a name alone can lie. */
export function Person({ a }: { a: Address }) {
  return (
    <span className="break-all">
      {a.name && <span className="font-medium">{a.name} </span>}
      <span className="text-slate-500 dark:text-slate-400">&lt;{a.address}&gt;</span>
    </span>
  );
}
