import { describe, expect, it } from "vitest";
import type { Folder } from "@pismo/protocol/schemas";
import { folderNameProblem } from "./folder-name";

const folder = (path: string, extra: Partial<Folder> = {}): Folder => {
  const cut = path.lastIndexOf("/");
  return {
    path,
    name: cut >= 0 ? path.slice(cut + 1) : path,
    delimiter: "/",
    parentPath: cut >= 0 ? path.slice(0, cut) : "",
    specialUse: null,
    subscribed: true,
    selectable: true,
    messages: 0,
    unseen: 0,
    ...extra,
  };
};
const tree = [
  folder("INBOX", { specialUse: "inbox" }),
  folder("Trash", { specialUse: "trash" }),
  folder("Računi"),
  folder("Računi/2026"),
];

describe("folderNameProblem", () => {
  it("accepts a new name, the same name elsewhere in the tree, and a folder's own name on rename", () => {
    expect(folderNameProblem("Posao", "", null, tree)).toBeNull();
    expect(folderNameProblem("2026", "", null, tree)).toBeNull();
    expect(folderNameProblem("Trash", "Računi", null, tree)).toBeNull();
    expect(folderNameProblem("Računi", "", "Računi", tree)).toBeNull();
    // Names differ by case on the server (only INBOX does not).
    expect(folderNameProblem("trash", "", null, tree)).toBeNull();
  });

  it("finds a folder of that name beside it, and the Inbox in any case", () => {
    expect(folderNameProblem("Trash", "", null, tree)).toEqual({ key: "mail.folderExists", folder: tree[1] });
    expect(folderNameProblem("inbox", "", null, tree)).toEqual({ key: "mail.folderExists", folder: tree[0] });
    expect(folderNameProblem("2026", "Računi", null, tree)).toEqual({
      key: "mail.folderExists",
      folder: tree[3],
    });
    expect(folderNameProblem("Trash", "", "Računi", tree)).toEqual({
      key: "mail.folderExists",
      folder: tree[1],
    });
  });

  it("names the server's delimiter, the LIST wildcards and control characters", () => {
    expect(folderNameProblem("a/b", "", null, tree)).toEqual({ key: "mail.folderNameSeparator", char: "/" });
    const dotted = tree.map((f) => ({ ...f, delimiter: "." }));
    expect(folderNameProblem("a.b", "", null, dotted)).toEqual({
      key: "mail.folderNameSeparator",
      char: ".",
    });
    expect(folderNameProblem("a/b", "", null, dotted)).toBeNull();
    expect(folderNameProblem("50%", "", null, tree)).toEqual({ key: "mail.folderNameChars" });
    expect(folderNameProblem("a\tb", "", null, tree)).toEqual({ key: "mail.folderNameControl" });
    expect(folderNameProblem("a\u007fb", "", null, tree)).toEqual({ key: "mail.folderNameControl" });
  });

  it("says nothing of the delimiter before the tree is known", () => {
    expect(folderNameProblem("a/b", "", null, [])).toBeNull();
  });
});
