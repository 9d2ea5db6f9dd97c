import { describe, expect, it } from "vitest";
import { atOrUnder, renamedPath } from "./context";

describe("renamedPath", () => {
  it("moves the renamed folder and the folders under it, and no other", () => {
    expect(renamedPath("Projects", "Projects", "Work", "/")).toBe("Work");
    expect(renamedPath("Projects/2026", "Projects", "Work", "/")).toBe("Work/2026");
    expect(renamedPath("Projects/2026/Q1", "Projects", "Work", "/")).toBe("Work/2026/Q1");
    expect(renamedPath("Računi/2026/Q1", "Računi/2026", "Računi/Godina 2026", "/")).toBe(
      "Računi/Godina 2026/Q1",
    );
    // Only a folder under it, the delimiter apart: not one whose name merely starts the same.
    expect(renamedPath("Projects2", "Projects", "Work", "/")).toBeNull();
    expect(renamedPath("Projects.2026", "Projects", "Work", "/")).toBeNull();
    expect(renamedPath("INBOX.Projects.2026", "INBOX.Projects", "INBOX.Work", ".")).toBe("INBOX.Work.2026");
    expect(renamedPath("Projects/2026", "Projects", "Work", ".")).toBeNull();
    expect(renamedPath("INBOX", "Projects", "Work", "/")).toBeNull();
    // A flat namespace (no delimiter): nothing is under another folder.
    expect(renamedPath("Projects/2026", "Projects", "Work", "")).toBeNull();
  });

  it("tells a folder under another by the delimiter, not by a shared beginning", () => {
    expect(atOrUnder("Projects", "Projects", "/")).toBe(true);
    expect(atOrUnder("Projects/2026", "Projects", "/")).toBe(true);
    expect(atOrUnder("Projects2", "Projects", "/")).toBe(false);
    expect(atOrUnder("Projects", "Projects/2026", "/")).toBe(false);
    expect(atOrUnder("Projects/2026", "Projects", "")).toBe(false);
  });
});
