// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { TRASH } from "./pop3-database";
import { SettingsExportError } from "./local-settings";
import { freshStore, rawMessage } from "./pop3-test-store";

// Settings live in the account's database: local folders, filters and the policy, and the
// file that carries them to another computer.

describe("POP3 local settings", () => {
  it("manages folders: rename, delete moves their mail to Trash and unhooks filters", async () => {
    const store = freshStore();
    const f = await store.createFolder("Računi");
    await store.renameFolder(f.id, "Računi 2026");
    await store.addFilter({ field: "subject", contains: "račun", action: { moveTo: f.id } });
    await store.addFilter({ field: "subject", contains: "x", action: { moveTo: f.id, markRead: true } });
    await store.storeMessage("r", rawMessage(1, { subject: "Vaš račun" }), { size: 10, mode: "full" });
    expect((await store.settings()).folders).toEqual([{ id: f.id, name: "Računi 2026" }]);
    await store.deleteFolder(f.id);
    expect((await store.get("r"))?.folderId).toBe(TRASH);
    const { folders, rules } = await store.settings();
    expect(folders).toEqual([]);
    expect(rules.map((r) => r.actions)).toEqual([[{ type: "markRead" }]]);
  });

  it("carries every kind of rule in the file, and reads version 1 files with only filters", async () => {
    const a = freshStore();
    const f = await a.createFolder("Spam");
    const rule = {
      id: "r-any",
      name: 'Spam "; discard;',
      enabled: false,
      match: "any" as const,
      conditions: [
        {
          kind: "text" as const,
          field: "header" as const,
          header: "X-Spam",
          match: "is" as const,
          not: false,
          value: "yes",
        },
        { kind: "size" as const, over: true, bytes: 1000 },
      ],
      actions: [
        { type: "flag" as const },
        { type: "move" as const, folder: f.id },
        { type: "stop" as const },
      ],
    };
    await a.setRules([rule]);
    const file = await a.exportSettings();
    expect(file.filters).toEqual([]);
    const b = freshStore();
    expect((await b.importSettings(JSON.stringify(file))).ok).toBe(true);
    expect((await b.settings()).rules).toEqual([rule]);
    const old = {
      version: 1,
      policy: {},
      folders: [],
      filters: [{ id: "o", field: "from", contains: "x", action: { markRead: true } }],
    };
    expect((await b.importSettings(JSON.stringify(old))).ok).toBe(true);
    // The file's rule first; the one only here stays after it.
    expect((await b.settings()).rules).toMatchObject([
      { id: "o", actions: [{ type: "markRead" }] },
      { id: "r-any" },
    ]);
  });

  it("an import adds to this browser's folders and filters: a folder only here keeps its mail, a same-named one joins the file's", async () => {
    const a = freshStore();
    const work = await a.createFolder("Posao");
    await a.addFilter({ field: "from", contains: "firma", action: { moveTo: work.id } });
    const file = JSON.stringify(await a.exportSettings());

    const b = freshStore();
    const mine = await b.createFolder("Lično");
    const sameName = await b.createFolder("posao");
    await b.addFilter({ field: "from", contains: "šef", action: { moveTo: sameName.id } });
    await b.storeMessage("l", rawMessage(1), { size: 10, mode: "full" });
    await b.storeMessage("p", rawMessage(2), { size: 10, mode: "full" });
    await b.move(["l"], mine.id);
    await b.move(["p"], sameName.id);

    expect((await b.importSettings(file)).ok).toBe(true);
    const { folders, rules } = await b.settings();
    expect(folders).toEqual([
      { id: work.id, name: "Posao" },
      { id: mine.id, name: "Lično" },
    ]);
    expect((await b.get("l"))?.folderId).toBe(mine.id);
    expect((await b.get("p"))?.folderId).toBe(work.id);
    expect(rules.map((r) => r.actions)).toEqual([
      [{ type: "move", folder: work.id }],
      [{ type: "move", folder: work.id }],
    ]);
  });

  it("exports settings and imports them elsewhere; a bad file changes nothing", async () => {
    const a = freshStore();
    const f = await a.createFolder("Posao");
    await a.addFilter({ field: "to", contains: "posao@", action: { moveTo: f.id } });
    await a.setPolicy({
      leaveOnServer: true,
      deleteAfterDays: 7,
      deleteWhenDeletedLocally: true,
      headersOnlyAboveBytes: 50_000,
    });
    const file = JSON.stringify(await a.exportSettings());

    const b = freshStore();
    const before = await b.settings();
    expect(await b.importSettings("{not json")).toEqual({
      ok: false,
      code: "not-json",
      error: "The file is not valid JSON.",
    });
    const bad = await b.importSettings(
      JSON.stringify({
        version: 1,
        policy: {},
        folders: [],
        filters: [{ id: "r", field: "from", contains: "x", action: { moveTo: "nope" } }],
      }),
    );
    expect(bad.ok).toBe(false);
    expect(await b.settings()).toEqual(before);

    expect((await b.importSettings(file)).ok).toBe(true);
    const after = await b.settings();
    expect(after.folders).toEqual([{ id: f.id, name: "Posao" }]);
    expect(after.rules).toHaveLength(1);
    expect(after.rules[0]?.conditions[0]).toMatchObject({ field: "to", value: "posao@" });
    expect(after.policy).toMatchObject({
      leaveOnServer: true,
      deleteAfterDays: 7,
      headersOnlyAboveBytes: 50_000,
    });
    await b.storeMessage("p", rawMessage(1, { to: "posao@pismo.test" }), { size: 10, mode: "full" });
    expect((await b.get("p"))?.folderId).toBe(f.id);
  });

  it("says which part of the settings cannot be exported, as an import would", async () => {
    const store = freshStore();
    const f = await store.createFolder("Work");
    await store.setRules([
      {
        id: "r-gone",
        name: "Into a folder that is gone",
        enabled: true,
        match: "all",
        conditions: [{ kind: "text", field: "subject", match: "contains", not: false, value: "x" }],
        actions: [{ type: "move", folder: `${f.id}-gone` }],
      },
    ]);
    const failure = store.exportSettings();
    await expect(failure).rejects.toBeInstanceOf(SettingsExportError);
    await expect(failure).rejects.toThrow(/no folder with id "f-\w+-gone"/);
  });

  it("keeps templates newest first, carries them in the file, and an import keeps those only here", async () => {
    const a = freshStore();
    const thanks = await a.addTemplate({
      name: "Hvala",
      text: "Hvala na poruci.",
      html: "<p>Hvala na <b>poruci</b>.</p>",
    });
    await new Promise((r) => setTimeout(r, 2));
    const away = await a.addTemplate({ name: "Odsutan", text: "Nisam tu.", html: null });
    expect((await a.templates()).map((t) => t.name)).toEqual(["Odsutan", "Hvala"]);
    // A bad one is refused with the reason, and nothing is kept.
    await expect(a.addTemplate({ name: " ", text: "x", html: null })).rejects.toThrow(/subject/);
    expect(await a.templates()).toHaveLength(2);
    const file = await a.exportSettings();
    expect(file.templates?.map((t) => t.id)).toEqual([away.id, thanks.id]);

    const b = freshStore();
    const mine = await b.addTemplate({ name: "Samo ovde", text: "Moj.", html: null });
    expect((await b.importSettings(JSON.stringify(file))).ok).toBe(true);
    expect((await b.templates()).map((t) => t.name).sort()).toEqual(["Hvala", "Odsutan", "Samo ovde"]);
    expect((await b.templates()).find((t) => t.id === thanks.id)?.html).toBe(
      "<p>Hvala na <b>poruci</b>.</p>",
    );

    // A file from before templates travelled leaves this browser's as they are.
    const old = { version: 1, policy: {}, folders: [], filters: [] };
    expect((await b.importSettings(JSON.stringify(old))).ok).toBe(true);
    expect(await b.templates()).toHaveLength(3);
    await b.removeTemplate(mine.id);
    expect((await b.templates()).map((t) => t.id)).not.toContain(mine.id);
  });

  it("refuses a template past the limit rather than drop the oldest, and reads past one stored badly", async () => {
    const store = freshStore();
    const { db } = store;
    const many = Array.from({ length: 100 }, (_, i) => ({
      id: `t${i}`,
      name: `Šablon ${i}`,
      text: "x",
      html: null,
      savedAt: i,
    }));
    await db.settings.put({ key: "templates", value: [{ id: "bad", name: 7 }, ...many] });
    expect(await store.templates()).toHaveLength(100);
    await expect(store.addTemplate({ name: "Još jedan", text: "x", html: null })).rejects.toThrow(
      /100 templates/,
    );
    expect((await store.templates()).map((t) => t.id)).toContain("t0");
    await store.removeTemplate("t0");
    await store.addTemplate({ name: "Još jedan", text: "x", html: null });
    expect((await store.templates())[0]?.name).toBe("Još jedan");
  });
});
