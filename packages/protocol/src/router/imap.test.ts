import { describe, expect, it } from "vitest";
import { createCaller } from "./root";
import type { GatewayPorts, ImapMailPort } from "./ports";

const ports: GatewayPorts = {
  server: {
    defaults: () => ({ imap: null, pop3: null, allowedHosts: [] }),
    probe: () => Promise.reject(new Error("unused")),
  },
};

/** A signed-in IMAP session whose mail records each call's arguments (and answers nothing more). */
function session() {
  const calls: Array<[string, unknown[]]> = [];
  const mail = new Proxy({} as ImapMailPort, {
    get:
      (_target, name) =>
      async (...args: unknown[]) => {
        calls.push([String(name), args]);
        if (name === "remove") return { permanently: false };
        if (name === "setFlags") return [];
        if (name === "act") return { to: "Trash", moved: [], keyword: null, created: false };
        return undefined;
      },
  });
  const caller = createCaller({
    ports,
    session: {
      account: {
        protocol: "imap",
        email: "a@pismo.test",
        server: { host: "h", port: 143, security: "none" },
      },
      mail,
      pop3: null,
      compose: null,
    },
  });
  return { caller, calls };
}

describe("the UIDVALIDITY an action's UIDs were listed with", () => {
  it("reaches the port when the page sends it", async () => {
    const { caller, calls } = session();
    const at = { folder: "Work", uids: [1, 2], uidValidity: "1700000000" };
    await caller.imap.setFlags({ ...at, seen: true });
    await caller.imap.move({ ...at, to: "INBOX" });
    await caller.imap.copy({ ...at, to: "INBOX" });
    await caller.imap.remove(at);
    await caller.actions.act({ kind: "delete", ...at });
    expect(calls).toEqual([
      ["setFlags", ["Work", [1, 2], { seen: true }, { uidValidity: "1700000000" }]],
      ["move", ["Work", [1, 2], "INBOX", "1700000000"]],
      ["copy", ["Work", [1, 2], "INBOX", "1700000000"]],
      ["remove", ["Work", [1, 2], "1700000000"]],
      ["act", [{ kind: "delete", ...at }]],
    ]);
  });

  it("is optional: an older page's request is passed on as before, unchecked", async () => {
    const { caller, calls } = session();
    await caller.imap.remove({ folder: "Work", uids: [1] });
    await caller.imap.setFlags({ folder: "Work", uids: [1], flagged: true });
    await caller.actions.act({ kind: "archive", folder: "Work", uids: [1] });
    expect(calls).toEqual([
      ["remove", ["Work", [1], undefined]],
      ["setFlags", ["Work", [1], { flagged: true }, {}]],
      ["act", [{ kind: "archive", folder: "Work", uids: [1] }]],
    ]);
  });

  it("is refused when empty", async () => {
    const { caller, calls } = session();
    await expect(caller.imap.remove({ folder: "Work", uids: [1], uidValidity: "" })).rejects.toThrow();
    expect(calls).toEqual([]);
  });
});
