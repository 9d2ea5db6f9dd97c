/**
 * The app's keyboard shortcuts, in one place: the Gmail set. A binding is matched by the
 * character the key produced (`KeyboardEvent.key`), not by the physical key and its Shift
 * state, so `#`, `!` and `?` work on every layout (on a Serbian keyboard `#` is not Shift+3),
 * and `Shift+i` is the produced `I`. A binding of two keys (`g i`) is a sequence.
 *
 * Pure: the keymap, the sequence matcher and the "is the user typing" test have no React and
 * no DOM state of their own, so they are unit-tested with plain values.
 */

export const shortcutActions = [
  "compose",
  "reply",
  "replyAll",
  "forward",
  "archive",
  "delete",
  "spam",
  "move",
  "back",
  "next",
  "previous",
  "open",
  "select",
  "flag",
  "markRead",
  "markUnread",
  "search",
  "goInbox",
  "goSent",
  "goDrafts",
  "undo",
  "help",
] as const;
export type ShortcutAction = (typeof shortcutActions)[number];

export interface Shortcut {
  action: ShortcutAction;
  /** Each binding is a sequence of produced keys; most are one key long. */
  bindings: ReadonlyArray<readonly string[]>;
  /** The group the help dialog lists it under. */
  group: "compose" | "act" | "move" | "go" | "app";
  /** It opens a place to type (a new message, a reply): the keys typed next are its text. */
  opensTyping?: true;
}

export const keymap: readonly Shortcut[] = [
  { action: "compose", bindings: [["c"]], group: "compose", opensTyping: true },
  { action: "reply", bindings: [["r"]], group: "compose", opensTyping: true },
  { action: "replyAll", bindings: [["a"]], group: "compose", opensTyping: true },
  { action: "forward", bindings: [["f"]], group: "compose", opensTyping: true },
  { action: "archive", bindings: [["e"]], group: "act" },
  { action: "delete", bindings: [["#"]], group: "act" },
  { action: "spam", bindings: [["!"]], group: "act" },
  { action: "move", bindings: [["m"]], group: "act" },
  { action: "flag", bindings: [["s"]], group: "act" },
  { action: "markRead", bindings: [["I"]], group: "act" },
  { action: "markUnread", bindings: [["U"]], group: "act" },
  { action: "undo", bindings: [["z"]], group: "act" },
  { action: "next", bindings: [["j"]], group: "move" },
  { action: "previous", bindings: [["k"]], group: "move" },
  { action: "open", bindings: [["o"], ["Enter"]], group: "move" },
  { action: "back", bindings: [["u"]], group: "move" },
  { action: "select", bindings: [["x"]], group: "move" },
  { action: "goInbox", bindings: [["g", "i"]], group: "go" },
  { action: "goSent", bindings: [["g", "s"]], group: "go" },
  { action: "goDrafts", bindings: [["g", "d"]], group: "go" },
  { action: "search", bindings: [["/"]], group: "app" },
  { action: "help", bindings: [["?"]], group: "app" },
];

/** How long the second key of a sequence may wait (ms). */
export const sequenceTimeoutMs = 1500;

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export interface MatchState {
  /** The keys of a sequence typed so far. */
  pending: readonly string[];
  /** When the last key of `pending` came. */
  at: number;
}

export const idle: MatchState = { pending: [], at: 0 };

export type MatchResult =
  | { kind: "action"; action: ShortcutAction; state: MatchState }
  /** The key began a sequence: wait for the next one (and swallow this one). */
  | { kind: "pending"; state: MatchState }
  | { kind: "none"; state: MatchState };

/**
 * Keys held with Ctrl, Cmd or Alt are the browser's and the system's (Ctrl+C, Alt+← …); AltGr
 * on Windows reports Ctrl+Alt, so a character typed with AltGr (`#` on some layouts) is not.
 */
function systemKey(press: KeyPress): boolean {
  const altGr = press.ctrlKey && press.altKey && press.key.length === 1;
  return (press.ctrlKey || press.metaKey || press.altKey) && !altGr;
}

/** Shift, Ctrl, Alt or Cmd pressed alone: part of the next key, no key of its own. */
function modifierAlone(press: KeyPress): boolean {
  return press.key === "Shift" || press.key === "Control" || press.key === "Alt" || press.key === "Meta";
}

/**
 * One key press through the keymap. System keys (`systemKey`) are never shortcuts; a character
 * typed with AltGr is read by what it produced.
 */
export function matchKey(
  map: readonly Shortcut[],
  state: MatchState,
  press: KeyPress,
  now: number,
): MatchResult {
  if (systemKey(press)) return { kind: "none", state: idle };
  if (modifierAlone(press)) return { kind: "none", state };
  const pending = state.pending.length > 0 && now - state.at <= sequenceTimeoutMs ? state.pending : [];
  const typed = [...pending, press.key];
  let prefix = false;
  for (const shortcut of map)
    for (const binding of shortcut.bindings) {
      if (binding.length === typed.length && binding.every((k, i) => k === typed[i]))
        return { kind: "action", action: shortcut.action, state: idle };
      if (binding.length > typed.length && typed.every((k, i) => k === binding[i])) prefix = true;
    }
  if (prefix) return { kind: "pending", state: { pending: typed, at: now } };
  // A sequence that went nowhere: the new key may still be a shortcut on its own.
  if (pending.length > 0) return matchKey(map, idle, press, now);
  return { kind: "none", state: idle };
}

/** The parts of a target that say whether it takes text. */
export interface TargetInfo {
  tagName: string;
  isContentEditable: boolean;
  /** For an input: its type. */
  type?: string;
  /** The ARIA role, where an editor says it is a text box. */
  role?: string | null;
}

const nonTextInputs = new Set([
  "checkbox",
  "radio",
  "button",
  "submit",
  "reset",
  "range",
  "color",
  "file",
  "image",
]);

/** Keys typed into a text field, a text area, a select, contenteditable or an editor are the user's text. */
export function isTextTarget(target: TargetInfo | null): boolean {
  if (!target) return false;
  const tag = target.tagName.toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") return !nonTextInputs.has((target.type ?? "text").toLowerCase());
  if (target.isContentEditable) return true;
  return target.role === "textbox" || target.role === "combobox" || target.role === "searchbox";
}

/** How a binding is written in the help dialog: `Shift+i` for the produced `I`, `g then i`. */
export function bindingLabel(binding: readonly string[], then: string): string[] {
  return binding
    .map((k) => (k.length === 1 && k !== k.toLowerCase() ? `Shift+${k.toLowerCase()}` : k))
    .flatMap((k, i) => (i === 0 ? [k] : [then, k]));
}

/** How long keys typed after a shortcut that opens a place to type are kept for it (ms). */
export const typingHoldMs = 1500;

/**
 * The keys typed between a shortcut that opens a place to type (c, r, a, f) and the focus
 * reaching its field: a quick typist's "c" then "ana@…" must not run a (reply all) and e
 * (archive) on the open message meanwhile. Characters are kept, in order, for the field;
 * Backspace takes the last one back; Escape ends the wait (its own meaning then applies); any
 * other key is dropped. Keys with Ctrl, Cmd or Alt stay the browser's and the system's.
 */
export class TypingHold {
  private until = 0;
  private text = "";

  start(now: number): void {
    this.until = now + typingHoldMs;
    this.text = "";
  }

  holding(now: number): boolean {
    return now < this.until;
  }

  /** A key while holding: "kept" (swallowed, its character kept) or "passed" (the key's own). */
  key(press: KeyPress, now: number): "kept" | "passed" {
    if (!this.holding(now)) return "passed";
    if (systemKey(press) || modifierAlone(press)) return "passed";
    if (press.key === "Escape") {
      this.end();
      return "passed";
    }
    if (press.key === "Backspace") this.text = this.text.slice(0, -1);
    else if (press.key.length === 1) this.text += press.key;
    // Kept (and the wait goes on): a quick typist's keys may well take longer than the hold.
    this.until = Math.max(this.until, now + 300);
    return "kept";
  }

  /** The field has the focus: the text typed meanwhile, once; the hold ends. */
  take(): string {
    const text = this.text;
    this.end();
    return text;
  }

  end(): void {
    this.until = 0;
    this.text = "";
  }
}
