import type { ImapMailPort } from "@pismo/protocol/router/ports";
import type { Folder } from "@pismo/protocol/schemas";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "../log";
import { followRenames } from "./follow-renames";

// The rename is the user's: the filters follow it when they can, and never stand in its way.

afterEach(() => vi.useRealTimers());

/** A page's mail that renames, lists and says which page it is (`this`). */
class PageMail {
  renamed: Array<[string, string]> = [];
  renameFolder(path: string, newName: string): Promise<string> {
    this.renamed.push([path, newName]);
    return Promise.resolve(`INBOX.${newName}`);
  }
  folders(): Promise<Folder[]> {
    return Promise.resolve([{ path: "INBOX.Bills", delimiter: "." } as Folder]);
  }
  whoAmI(): PageMail {
    return this;
  }
}

const logged = () => {
  const lines: string[] = [];
  return { lines, log: createLogger("info", (line) => lines.push(line)) };
};

describe("filters following a page's folder renames", () => {
  it("asks the filters to follow, with the server's delimiter, and answers the new path", async () => {
    const page = new PageMail();
    const followRename = vi.fn(() => Promise.resolve(true));
    const { lines, log } = logged();
    const mail = followRenames(page as unknown as ImapMailPort, { followRename }, log);
    expect(await mail.renameFolder("INBOX.Receipts", "Bills")).toBe("INBOX.Bills");
    expect(followRename).toHaveBeenCalledWith("INBOX.Receipts", "INBOX.Bills", ".");
    expect(lines.join("\n")).toContain("sieve.rename_followed");
    // Everything else is the page itself, called as itself.
    expect((mail as unknown as PageMail).whoAmI()).toBe(page);
  });

  it("stands when the filters fail, saying so in the log only", async () => {
    const page = new PageMail();
    const { lines, log } = logged();
    const mail = followRenames(
      page as unknown as ImapMailPort,
      { followRename: () => Promise.reject(new Error("no ManageSieve here")) },
      log,
    );
    expect(await mail.renameFolder("INBOX.Receipts", "Bills")).toBe("INBOX.Bills");
    expect(page.renamed).toEqual([["INBOX.Receipts", "Bills"]]);
    expect(lines.join("\n")).toMatch(
      /"level":"warn","event":"sieve.rename_not_followed".*no ManageSieve here/,
    );
  });

  it("does not wait long for a ManageSieve server that does not answer", async () => {
    vi.useFakeTimers();
    const page = new PageMail();
    const mail = followRenames(
      page as unknown as ImapMailPort,
      { followRename: () => new Promise<boolean>(() => undefined) },
      createLogger("silent"),
    );
    let answered: string | null = null;
    void mail.renameFolder("INBOX.Receipts", "Bills").then((path) => (answered = path));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(answered).toBeNull();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(answered).toBe("INBOX.Bills");
  });

  it("leaves a failed rename failed, and the filters alone", async () => {
    const followRename = vi.fn(() => Promise.resolve(true));
    const page = { renameFolder: () => Promise.reject(new Error("NO [ALREADYEXISTS]")) };
    const mail = followRenames(page as unknown as ImapMailPort, { followRename }, createLogger("silent"));
    await expect(mail.renameFolder("Receipts", "Bills")).rejects.toThrow("ALREADYEXISTS");
    expect(followRename).not.toHaveBeenCalled();
  });
});
