"use client";

export interface MoveTarget {
  id: string;
  name: string;
}

/** A "Move to…" menu; `id` lets the list's `m` key focus it. */
export function MoveMenu({
  id,
  label,
  targets,
  onMove,
  className = "rounded-md bg-transparent px-1 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800",
}: {
  id?: string;
  label: string;
  targets: readonly MoveTarget[];
  onMove: (target: MoveTarget) => void;
  className?: string;
}) {
  return (
    <select
      {...(id ? { id } : {})}
      aria-label={label}
      value=""
      onChange={(e) => {
        const to = targets.find((f) => f.id === e.target.value);
        if (to) onMove(to);
      }}
      className={className}
    >
      <option value="">{label}</option>
      {targets.map((f) => (
        <option key={f.id} value={f.id}>
          {f.name}
        </option>
      ))}
    </select>
  );
}
