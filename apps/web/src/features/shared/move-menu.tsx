"use client";

import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import { TypeAhead } from "./type-ahead";

/** The open menu's width (`w-56`). */
const MENU_WIDTH_PX = 224;

export interface MoveTarget {
  id: string;
  name: string;
  /** How deep under the top level (indented in the menu); absent: top level. */
  depth?: number;
}

/**
 * `m` (a mail shortcut, from the list or the open message): opens the Move to… menu of the
 * selection, else of the open message, on its first folder. False when there is none.
 */
export function openMoveMenu(): boolean {
  const menu = document.getElementById("move-many") ?? document.getElementById("move-one");
  if (!(menu instanceof HTMLButtonElement) || menu.disabled) return false;
  menu.focus();
  menu.click();
  return true;
}

/**
 * A "Move to…" (or "Copy to…") menu button; `id` lets the list's `m` key open it. A menu, not a
 * <select>: a select acts on its change, and a closed select changes with every arrow key
 * (Chrome, Firefox on Windows and Linux), so one ArrowDown moved the message to the first
 * folder. Here the arrows and typed letters only move within the open menu; Enter, Space or a
 * click moves, Escape or Tab closes it and nothing moves.
 */
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
  const [active, setActive] = useState<number | null>(null);
  // Opened near the window's right edge (the reading pane's toolbar), it opens leftwards.
  const [leftwards, setLeftwards] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const items = useRef<Array<HTMLLIElement | null>>([]);
  const typeAhead = useRef(new TypeAhead());
  const menuId = useId();
  const open = active !== null;

  // The active item has the focus (roving focus), so a screen reader reads each as it moves.
  // Before the paint: a key typed right after `m` (a letter to jump to) must reach the menu,
  // not the list behind it (where `r` is Reply).
  useLayoutEffect(() => {
    if (active !== null) items.current[active]?.focus();
  }, [active]);

  // A press anywhere else closes it, as a native menu does.
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setActive(null);
    };
    document.addEventListener("pointerdown", away);
    return () => document.removeEventListener("pointerdown", away);
  }, [open]);

  const openAt = (i: number) => {
    const at = button.current?.getBoundingClientRect();
    setLeftwards(!!at && at.left + MENU_WIDTH_PX > window.innerWidth);
    typeAhead.current.reset();
    setActive(i);
  };
  const close = (refocus: boolean) => {
    setActive(null);
    if (refocus) button.current?.focus();
  };
  const choose = (target: MoveTarget) => {
    close(true);
    onMove(target);
  };

  const onButtonKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (targets.length === 0) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      openAt(e.key === "ArrowUp" ? targets.length - 1 : 0);
    }
  };

  const onMenuKey = (e: KeyboardEvent<HTMLUListElement>) => {
    // Keys in the menu are the menu's: none reaches the mail's shortcuts.
    e.stopPropagation();
    if (active === null) return;
    const n = targets.length;
    const go = (i: number) => {
      e.preventDefault();
      setActive(((i % n) + n) % n);
    };
    // Letters typed before an arrow do not start the next name's spelling.
    if (e.key.length !== 1) typeAhead.current.reset();
    const spell = () => {
      e.preventDefault();
      const i = typeAhead.current.next(
        e.key,
        targets.map((t) => t.name),
        active,
        e.timeStamp,
      );
      if (i !== null) go(i);
    };
    switch (e.key) {
      case "ArrowDown":
        return go(active + 1);
      case "ArrowUp":
        return go(active - 1);
      case "Home":
        return go(0);
      case "End":
        return go(n - 1);
      case " ":
      case "Enter": {
        // While a name is being spelled a space is part of it ("stari p"); otherwise it chooses.
        if (e.key === " " && typeAhead.current.spelling(e.timeStamp)) return spell();
        e.preventDefault();
        const target = targets[active];
        if (target) choose(target);
        return;
      }
      case "Escape":
        e.preventDefault();
        return close(true);
      case "Tab":
        return close(false);
      default:
        // Letters spell the start of a folder's name (TypeAhead).
        if (e.key.length !== 1 || e.ctrlKey || e.metaKey || e.altKey) return;
        return spell();
    }
  };

  return (
    <div
      ref={root}
      className="relative inline-block"
      // Focus gone elsewhere (Tab, a click into the message's frame): the menu closes.
      onBlur={(e) => {
        if (open && !root.current?.contains(e.relatedTarget as Node | null)) setActive(null);
      }}
    >
      <button
        ref={button}
        type="button"
        {...(id ? { id } : {})}
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={targets.length === 0}
        onClick={() => (open ? close(false) : openAt(0))}
        onKeyDown={onButtonKey}
        className={`${className} disabled:opacity-50`}
      >
        {label}
        <span aria-hidden="true" className="ml-1 text-xs">
          ▾
        </span>
      </button>
      {open && (
        <ul
          id={menuId}
          role="menu"
          aria-label={label}
          onKeyDown={onMenuKey}
          className={`absolute ${leftwards ? "right-0" : "left-0"} z-40 mt-1 max-h-72 w-56 overflow-y-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900`}
        >
          {targets.map((target, i) => (
            <li
              key={target.id}
              ref={(el) => {
                items.current[i] = el;
              }}
              role="menuitem"
              tabIndex={i === active ? 0 : -1}
              onClick={() => choose(target)}
              onPointerMove={() => i !== active && setActive(i)}
              style={target.depth ? { paddingLeft: `${0.75 + target.depth * 0.9}rem` } : undefined}
              className="cursor-pointer truncate px-3 py-1.5 outline-none focus:bg-slate-100 dark:focus:bg-slate-800"
            >
              {target.name}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
