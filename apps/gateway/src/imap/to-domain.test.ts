import type { Folder, SpecialUse } from "@pismo/protocol/schemas";
import { describe, expect, it } from "vitest";
import { sortFolders } from "./to-domain";

const folder = (path: string, specialUse: SpecialUse | null = null, delimiter = "/"): Folder => {
  const cut = path.lastIndexOf(delimiter);
  return {
    path,
    name: cut >= 0 ? path.slice(cut + 1) : path,
    delimiter,
    parentPath: cut >= 0 ? path.slice(0, cut) : "",
    specialUse,
    subscribed: true,
    selectable: true,
    messages: 0,
    unseen: 0,
  };
};

const order = (folders: Folder[]) => sortFolders(folders).map((f) => f.path);

describe("sortFolders", () => {
  it("keeps each folder's own folders right after it, whatever characters a sibling's name has", () => {
    const paths = ["Posao.2024", "Posao/Klijenti", "Posao-stari", "Posao 2", "Posao", "Posao_x"];
    expect(order(paths.map((p) => folder(p)))).toEqual([
      "Posao",
      "Posao/Klijenti",
      "Posao 2",
      "Posao_x",
      "Posao-stari",
      "Posao.2024",
    ]);
    // With "." as the delimiter (Dovecot's default), "/" is a character like any other.
    const dotted = ["Posao/2024", "Posao.Klijenti", "Posao 2", "Posao"].map((p) => folder(p, null, "."));
    expect(order(dotted)).toEqual(["Posao", "Posao.Klijenti", "Posao 2", "Posao/2024"]);
  });

  it("puts special-use folders first, each with the folders inside it, and numbers in order", () => {
    const folders = [
      folder("Arhiva"),
      folder("Trash", "trash"),
      folder("INBOX/Podfolder"),
      folder("Posao 10"),
      folder("Posao 9"),
      folder("INBOX", "inbox"),
      folder("posao"),
      folder("Posao/a"),
      folder("Posao"),
      folder("posao/b"),
    ];
    expect(order(folders)).toEqual([
      "INBOX",
      "INBOX/Podfolder",
      "Trash",
      "Arhiva",
      "Posao",
      "Posao/a",
      "posao",
      "posao/b",
      "Posao 9",
      "Posao 10",
    ]);
  });
});
