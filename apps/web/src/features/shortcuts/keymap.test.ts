import { describe, expect, it } from "vitest";
import {
  bindingLabel,
  idle,
  isTextTarget,
  keymap,
  matchKey,
  sequenceTimeoutMs,
  TypingHold,
  typingHoldMs,
  type MatchState,
} from "./keymap";

const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

/** Types keys one after another (10 ms apart unless told) and collects the actions. */
function type(keys: Array<string | [string, number]>): string[] {
  let state: MatchState = idle;
  let now = 1000;
  const out: string[] = [];
  for (const k of keys) {
    const [key, gap] = typeof k === "string" ? [k, 10] : k;
    now += gap;
    const r = matchKey(keymap, state, press(key), now);
    state = r.state;
    if (r.kind === "action") out.push(r.action);
  }
  return out;
}

describe("the keymap", () => {
  it("has every action of the Gmail set, each bound once", () => {
    const all = keymap.flatMap((s) => s.bindings.map((b) => b.join(" ")));
    expect(new Set(all).size).toBe(all.length);
    for (const k of [
      "c",
      "r",
      "a",
      "f",
      "e",
      "#",
      "!",
      "u",
      "j",
      "k",
      "o",
      "Enter",
      "x",
      "s",
      "I",
      "U",
      "/",
      "g i",
      "g s",
      "g d",
      "?",
      "z",
    ])
      expect(all).toContain(k);
  });

  it("matches single keys by the character produced", () => {
    expect(type(["#", "!", "?", "I", "U", "e"])).toEqual([
      "delete",
      "spam",
      "help",
      "markRead",
      "markUnread",
      "archive",
    ]);
  });

  it("reads g then i / s / d as going to Inbox, Sent, Drafts", () => {
    expect(type(["g", "i", "g", "s", "g", "d"])).toEqual(["goInbox", "goSent", "goDrafts"]);
  });

  it("forgets a sequence after the timeout, and a broken sequence's key still counts on its own", () => {
    expect(type(["g", ["i", sequenceTimeoutMs + 1]])).toEqual([]);
    expect(type(["g", "e"])).toEqual(["archive"]);
  });

  it("leaves keys with Ctrl, Cmd or Alt to the browser, but not AltGr characters", () => {
    expect(matchKey(keymap, idle, press("c", { ctrlKey: true }), 0).kind).toBe("none");
    expect(matchKey(keymap, idle, press("r", { metaKey: true }), 0).kind).toBe("none");
    expect(matchKey(keymap, idle, press("#", { ctrlKey: true, altKey: true }), 0)).toMatchObject({
      kind: "action",
      action: "delete",
    });
  });

  it("does not let Shift alone break a sequence", () => {
    let r = matchKey(keymap, idle, press("g"), 0);
    r = matchKey(keymap, r.state, press("Shift"), 5);
    expect(r.kind).toBe("none");
    expect(r.state.pending).toEqual(["g"]);
  });
});

describe("isTextTarget", () => {
  it("is true for text fields, text areas, selects, contenteditable and text boxes", () => {
    expect(isTextTarget({ tagName: "INPUT", isContentEditable: false, type: "text" })).toBe(true);
    expect(isTextTarget({ tagName: "INPUT", isContentEditable: false, type: "search" })).toBe(true);
    expect(isTextTarget({ tagName: "TEXTAREA", isContentEditable: false })).toBe(true);
    expect(isTextTarget({ tagName: "DIV", isContentEditable: true })).toBe(true);
    expect(isTextTarget({ tagName: "DIV", isContentEditable: false, role: "textbox" })).toBe(true);
  });
  it("is false for a checkbox, a button, the message grid", () => {
    expect(isTextTarget({ tagName: "INPUT", isContentEditable: false, type: "checkbox" })).toBe(false);
    expect(isTextTarget({ tagName: "BUTTON", isContentEditable: false })).toBe(false);
    expect(isTextTarget({ tagName: "DIV", isContentEditable: false, role: "grid" })).toBe(false);
    expect(isTextTarget(null)).toBe(false);
  });
});

describe("bindingLabel", () => {
  it("writes Shift for capitals and joins sequences", () => {
    expect(bindingLabel(["I"], "then")).toEqual(["Shift+i"]);
    expect(bindingLabel(["g", "i"], "pa")).toEqual(["g", "pa", "i"]);
    expect(bindingLabel(["#"], "then")).toEqual(["#"]);
  });
});

describe("TypingHold: the keys typed while a place to type opens", () => {
  it("is started by the shortcuts that open one, and only by them", () => {
    expect(keymap.filter((s) => s.opensTyping).map((s) => s.action)).toEqual([
      "compose",
      "reply",
      "replyAll",
      "forward",
    ]);
  });

  it("keeps the characters in order, Backspace taking the last back, and gives them once", () => {
    const hold = new TypingHold();
    hold.start(0);
    for (const [i, key] of ["a", "n", "x", "Backspace", "a", "@", "#", "E"].entries())
      expect(hold.key(press(key), 10 + i)).toBe("kept");
    expect(hold.take()).toBe("ana@#E");
    expect(hold.take()).toBe("");
    expect(hold.key(press("e"), 30)).toBe("passed");
  });

  it("drops keys that are no text (Enter, Tab, arrows) and lets Escape through, ending the wait", () => {
    const hold = new TypingHold();
    hold.start(0);
    expect(hold.key(press("a"), 1)).toBe("kept");
    expect(hold.key(press("Enter"), 2)).toBe("kept");
    expect(hold.key(press("ArrowDown"), 3)).toBe("kept");
    expect(hold.key(press("Escape"), 4)).toBe("passed");
    expect(hold.holding(5)).toBe(false);
    expect(hold.take()).toBe("");
  });

  it("leaves keys with Ctrl, Cmd or Alt and lone modifiers to their owners, but keeps AltGr characters", () => {
    const hold = new TypingHold();
    hold.start(0);
    expect(hold.key(press("Enter", { ctrlKey: true }), 1)).toBe("passed");
    expect(hold.key(press("c", { metaKey: true }), 2)).toBe("passed");
    expect(hold.key(press("Shift"), 3)).toBe("passed");
    expect(hold.key(press("@", { ctrlKey: true, altKey: true }), 4)).toBe("kept");
    expect(hold.take()).toBe("@");
  });

  it("ends on its own when no field takes the focus, but not while the keys keep coming", () => {
    const hold = new TypingHold();
    hold.start(0);
    expect(hold.key(press("a"), typingHoldMs - 1)).toBe("kept");
    // Each key kept gives the field a little longer.
    expect(hold.key(press("b"), typingHoldMs + 200)).toBe("kept");
    expect(hold.key(press("c"), typingHoldMs + 200 + 400)).toBe("passed");
    expect(hold.holding(typingHoldMs + 200 + 400)).toBe(false);
    const idleHold = new TypingHold();
    expect(idleHold.key(press("e"), 0)).toBe("passed");
  });
});
