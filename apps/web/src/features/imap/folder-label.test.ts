import { describe, expect, it } from "vitest";
import type { Folder } from "@pismo/protocol/schemas";
import { folderDepth, folderLabel, imapMoveTargets } from "./folder-label";

const folder = (path: string, patch: Partial<Folder> = {}): Folder => {
  const parts = path.split("/");
  return {
    path,
    name: parts.at(-1) ?? path,
    delimiter: "/",
    parentPath: parts.slice(0, -1).join("/"),
    specialUse: null,
    subscribed: true,
    selectable: true,
    messages: 0,
    unseen: 0,
    ...patch,
  };
};

const t = (key: string) => (key === "special.inbox" ? "Prijemno" : key);

describe("the folders Move to… offers", () => {
  it("are every selectable folder but the one the mail is in, named as the folder list names them, indented under their parent", () => {
    const folders = [
      folder("INBOX", { specialUse: "inbox" }),
      folder("Posao", { selectable: false }),
      folder("Posao/Računi"),
      folder("Posao/Računi/2026"),
      folder("Lično"),
    ];
    expect(imapMoveTargets(folders, t, "Lično")).toEqual([
      { id: "INBOX", name: "Prijemno", depth: 0 },
      { id: "Posao/Računi", name: "Računi", depth: 1 },
      { id: "Posao/Računi/2026", name: "2026", depth: 2 },
    ]);
    expect(imapMoveTargets(folders, t).map((f) => f.id)).toContain("Lično");
    expect(folderDepth(folder("a.b.c", { delimiter: ".", parentPath: "a.b" }))).toBe(2);
  });
});

describe("folderLabel", () => {
  const sr = (key: string) => ({ "special.inbox": "Prijemno", "special.templates": "Šabloni" })[key] ?? key;
  it("names the special-use folders and the templates folder in the user's language, others as they are", () => {
    expect(folderLabel(folder("INBOX", { specialUse: "inbox" }), sr)).toBe("Prijemno");
    expect(folderLabel(folder("Templates"), sr)).toBe("Šabloni");
    expect(folderLabel(folder("INBOX/templates", { parentPath: "INBOX" }), sr)).toBe("Šabloni");
    expect(folderLabel(folder("Posao/Templates"), sr)).toBe("Templates");
    expect(folderLabel(folder("Posao"), sr)).toBe("Posao");
  });
});
