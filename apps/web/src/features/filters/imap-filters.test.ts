// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, TRPCClientError, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import { act, createElement } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AppRouter } from "@pismo/protocol/router";
import { defaultVacation, type Rule, type RuleSet } from "@pismo/protocol/rules";
import type { Folder } from "@pismo/protocol/schemas";
import { i18n } from "@/i18n";
import { TRPCProvider } from "@/trpc/client";
import { ImapFilters } from "./imap-filters";
import { UnsavedSettings } from "./settings-dialog";

// The Filters section against a stand-in for the gateway's rules, kept as a ManageSieve server
// keeps them: one script, written whole by each save. Saves answer after a round trip, so the
// user's next click comes while one is on its way, as on a real link.

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

beforeAll(async () => {
  await i18n.ready;
  window.confirm = () => true;
  // jsdom has <dialog> without its modal methods.
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    this.open = false;
  };
});

const ROUND_TRIP_MS = 30;

const rule = (id: string, name: string): Rule => ({
  id,
  name,
  enabled: true,
  match: "all",
  conditions: [{ kind: "text", field: "subject", match: "contains", not: false, value: name }],
  actions: [{ type: "flag" }],
});

/** The server's rules, and the gateway's check of a save against the version it was read at. */
class RulesServer {
  version = 1;
  saves = 0;
  /** Another client's script, active: shown as text. */
  foreign: string | null = null;
  /** The Sieve extensions it names (RFC 5804 SIEVE capability); none: not said. */
  extensions: string[] = [];

  constructor(public set: RuleSet) {}
  /** Another device saves. */
  changeElsewhere(set: RuleSet): void {
    this.set = set;
    this.version++;
  }
  async call(path: string, input: unknown): Promise<unknown> {
    await new Promise((resolve) => setTimeout(resolve, ROUND_TRIP_MS));
    if (path === "rules.get" && this.foreign !== null)
      return {
        kind: "foreign",
        scriptName: "roundcube",
        script: this.foreign,
        reason: "notPismo",
        extensions: [],
        version: `v${this.version}`,
      };
    if (path === "rules.get")
      return {
        kind: "pismo",
        set: structuredClone(this.set),
        extensions: this.extensions,
        version: `v${this.version}`,
      };
    if (path === "rules.save") {
      const { set, version } = input as { set: RuleSet; version?: string };
      if (version !== undefined && version !== `v${this.version}`)
        throw TRPCClientError.from({
          error: { code: -32600, message: "changed", data: { mailCode: "CHANGED" } },
        } as never);
      this.set = structuredClone(set);
      this.version++;
      this.saves++;
      return { ok: true, message: "", version: `v${this.version}` };
    }
    throw new Error(`not here: ${path}`);
  }
}

let root: Root | null = null;
afterEach(() => {
  act(() => root?.unmount());
  root = null;
  document.body.innerHTML = "";
});

/** `unsaved`: where the section says it holds edits, as Settings gives it. */
function renderFilters(server: RulesServer, unsaved = new Set<string>()): void {
  const link: TRPCLink<AppRouter> =
    () =>
    ({ op }) =>
      observable((observer) => {
        server.call(op.path, op.input).then(
          (data) => {
            observer.next({ result: { type: "data", data } });
            observer.complete();
          },
          (error: unknown) => observer.error(error as TRPCClientError<AppRouter>),
        );
        return () => undefined;
      });
  const trpcClient = createTRPCClient<AppRouter>({ links: [link] });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 60_000 } } });
  const folders: Folder[] = [];
  const host = document.createElement("div");
  document.body.append(host);
  root = createRoot(host);
  act(() =>
    root!.render(
      createElement(
        QueryClientProvider,
        { client: queryClient },
        createElement(TRPCProvider, {
          trpcClient,
          queryClient,
          children: createElement(UnsavedSettings, {
            value: unsaved,
            children: createElement(ImapFilters, { folders, draft: null, onDraftDone: () => undefined }),
          }),
        }),
      ),
    ),
  );
}

const wait = (ms: number) => act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));
const click = (selector: string) => act(() => document.querySelector<HTMLElement>(selector)!.click());
const toggle = (name: string) => click(`[role=switch][aria-label="On: ${name}"]`);
const shown = () =>
  [...document.querySelectorAll("li[aria-label]")].map(
    (li) =>
      `${li.getAttribute("aria-label")} ${li.querySelector("[role=switch]")?.getAttribute("aria-checked") === "true" ? "on" : "off"}`,
  );
const kept = (server: RulesServer) => server.set.rules.map((r) => `${r.name} ${r.enabled ? "on" : "off"}`);

describe("changes to the server's filters made in quick succession", () => {
  it("keeps both of two toggles, the second made while the first is saved", async () => {
    const server = new RulesServer({
      rules: [rule("a", "Alpha"), rule("b", "Beta")],
      vacation: defaultVacation,
    });
    renderFilters(server);
    await wait(ROUND_TRIP_MS * 2);
    await toggle("Alpha");
    const afterFirst = shown();
    await toggle("Beta");
    const afterSecond = shown();
    await wait(ROUND_TRIP_MS * 6);
    expect(kept(server)).toEqual(["Alpha off", "Beta off"]);
    expect(shown()).toEqual(["Alpha off", "Beta off"]);
    // Each shown at once, before the server has it.
    expect(afterFirst).toEqual(["Alpha off", "Beta on"]);
    expect(afterSecond).toEqual(["Alpha off", "Beta off"]);
  });

  it("does not bring back a rule deleted just before another is toggled", async () => {
    const server = new RulesServer({
      rules: [rule("a", "Alpha"), rule("b", "Beta")],
      vacation: defaultVacation,
    });
    renderFilters(server);
    await wait(ROUND_TRIP_MS * 2);
    await click('[aria-label="Delete: Alpha"]');
    const afterDelete = shown();
    // Toggled in the list as it was (the old code's list still showed Alpha).
    await toggle("Beta");
    await wait(ROUND_TRIP_MS * 6);
    expect(kept(server)).toEqual(["Beta off"]);
    expect(shown()).toEqual(["Beta off"]);
    expect(afterDelete).toEqual(["Beta on"]);
  });

  it("keeps a toggle made just before out of office is saved", async () => {
    const server = new RulesServer({ rules: [rule("a", "Alpha")], vacation: defaultVacation });
    renderFilters(server);
    await wait(ROUND_TRIP_MS * 2);
    await toggle("Alpha");
    await act(() => {
      const subject = document.querySelectorAll<HTMLInputElement>("form input:not([type])")[0]!;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(subject, "Away");
      subject.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await click("form button[type=submit]");
    await wait(ROUND_TRIP_MS * 6);
    expect(kept(server)).toEqual(["Alpha off"]);
    expect(server.set.vacation.subject).toBe("Away");
  });
});

describe("filters changed on another device since this page read them", () => {
  it("makes this page's change to them as they are now, losing neither, and says so", async () => {
    const server = new RulesServer({ rules: [rule("a", "Alpha")], vacation: defaultVacation });
    renderFilters(server);
    await wait(ROUND_TRIP_MS * 2);
    server.changeElsewhere({
      rules: [rule("a", "Alpha"), rule("x", "Added on X")],
      vacation: defaultVacation,
    });
    await toggle("Alpha");
    await wait(ROUND_TRIP_MS * 8);
    expect(kept(server)).toEqual(["Alpha off", "Added on X on"]);
    expect(shown()).toEqual(["Alpha off", "Added on X on"]);
    expect(document.querySelector("[role=status]")?.textContent).toMatch(/changed elsewhere/);
  });
});

describe("a rule set whose script no server takes", () => {
  it("is not sent, and the page says the script would be too large", async () => {
    // 45 rules of 50 conditions of 500 characters: about 1.1 MiB of script.
    const long = (i: number): Rule => ({
      ...rule(`r${i}`, `Rule ${i}`),
      match: "any",
      conditions: Array.from({ length: 50 }, (_, j) => ({
        kind: "text" as const,
        field: "subject" as const,
        match: "contains" as const,
        not: false,
        value: `${i}-${j}-`.padEnd(500, "x"),
      })),
    });
    const server = new RulesServer({
      rules: Array.from({ length: 45 }, (_, i) => long(i)),
      vacation: defaultVacation,
    });
    renderFilters(server);
    const first = '[role=switch][aria-label="On: Rule 0"]';
    for (let waited = 0; waited < 5_000 && !document.querySelector(first); waited += ROUND_TRIP_MS)
      await wait(ROUND_TRIP_MS);
    await toggle("Rule 0");
    const said = i18n.t("filters.scriptTooLarge");
    for (
      let waited = 0;
      waited < 3_000 && !document.body.textContent?.includes(said);
      waited += ROUND_TRIP_MS
    )
      await wait(ROUND_TRIP_MS);
    expect(document.body.textContent).toContain(said);
    expect(server.saves).toBe(0);
  });
});

describe("another client's script, edited as text", () => {
  it("holds edits not saved yet while the text differs, so closing Settings asks first", async () => {
    const server = new RulesServer({ rules: [], vacation: defaultVacation });
    server.foreign = 'require "fileinto";\n';
    const unsaved = new Set<string>();
    renderFilters(server, unsaved);
    await wait(ROUND_TRIP_MS * 2);
    // Why it is shown as text, in the page's language.
    expect(document.body.textContent).toContain("(“roundcube”) was written elsewhere (not written by Pismo)");
    const box = document.querySelector<HTMLTextAreaElement>("textarea")!;
    const type = (text: string) =>
      act(() => {
        Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!.call(box, text);
        box.dispatchEvent(new Event("input", { bubbles: true }));
      });
    expect(unsaved.size).toBe(0);
    await type('require "fileinto";\nstop;\n');
    expect(unsaved.size).toBe(1);
    await type('require "fileinto";\n');
    expect(unsaved.size).toBe(0);
  });
});

describe("a server that does not run an extension the rules need", () => {
  const alert = () => document.querySelector("section [role=alert]")?.textContent;

  it("sends no save while a rule needs it, says which rule and what, and saves once it is gone", async () => {
    const server = new RulesServer({
      rules: [rule("a", "Alpha"), { ...rule("b", "Beta"), actions: [{ type: "move", folder: "Bills" }] }],
      vacation: defaultVacation,
    });
    // Pigeonhole without imap4flags: Alpha flags its messages.
    server.extensions = ["fileinto", "copy", "reject", "vacation"];
    renderFilters(server);
    await wait(ROUND_TRIP_MS * 2);
    expect(document.querySelector('li[aria-label="Alpha"]')?.textContent).toContain(
      "This server does not run Sieve “imap4flags”, which this rule uses",
    );
    expect(document.querySelector('li[aria-label="Beta"]')?.textContent).not.toContain("does not run");
    await toggle("Beta");
    await wait(ROUND_TRIP_MS * 3);
    expect(server.saves).toBe(0);
    expect(alert()).toBe(
      "Not saved: this server does not run Sieve “imap4flags”, which the rule “Alpha” uses. Edit that rule or delete it.",
    );
    // Shown as the server has it: the toggle that was not saved is undone.
    expect(shown()).toEqual(["Alpha on", "Beta on"]);
    await click('[aria-label="Delete: Alpha"]');
    await wait(ROUND_TRIP_MS * 3);
    expect(server.saves).toBe(1);
    expect(kept(server)).toEqual(["Beta on"]);
  });

  it("says the same in a rule editor whose save another rule stops, and keeps it open", async () => {
    const server = new RulesServer({ rules: [rule("a", "Alpha")], vacation: defaultVacation });
    server.extensions = ["fileinto", "copy", "reject", "vacation"];
    renderFilters(server);
    await wait(ROUND_TRIP_MS * 2);
    await act(() =>
      [...document.querySelectorAll<HTMLButtonElement>("button")]
        .find((b) => b.textContent === "New rule")!
        .click(),
    );
    const value = document.querySelector<HTMLInputElement>('dialog input[aria-label="Value"]')!;
    await act(() => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(value, "[RACUN]");
      value.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await act(() =>
      [...document.querySelectorAll("dialog label")]
        .find((l) => l.textContent === "Move to folder")!
        .querySelector<HTMLInputElement>("input")!
        .click(),
    );
    await act(() => document.querySelector<HTMLButtonElement>("dialog button[type=submit]")!.click());
    await wait(ROUND_TRIP_MS * 2);
    expect(server.saves).toBe(0);
    expect(document.querySelector("dialog [role=alert]")?.textContent).toBe(
      "Not saved: this server does not run Sieve “imap4flags”, which the rule “Alpha” uses. Edit that rule or delete it.",
    );
  });

  it("does not offer out of office without vacation; one set up is shown, said so, and can be removed", async () => {
    const server = new RulesServer({ rules: [], vacation: defaultVacation });
    server.extensions = ["fileinto"];
    renderFilters(server);
    await wait(ROUND_TRIP_MS * 2);
    const away = () =>
      document.querySelector<HTMLButtonElement>('[role=switch][aria-label="Out of office"]')!;
    expect(away().matches(":disabled")).toBe(true);
    expect(document.body.textContent).toContain(
      "This server does not send out-of-office replies (Sieve “vacation”).",
    );
    act(() => root?.unmount());
    document.body.innerHTML = "";

    const set = new RulesServer({
      rules: [],
      vacation: { ...defaultVacation, enabled: true, message: "Back on Monday." },
    });
    set.extensions = ["fileinto"];
    renderFilters(set);
    await wait(ROUND_TRIP_MS * 2);
    expect(away().matches(":disabled")).toBe(false);
    expect(away().getAttribute("aria-checked")).toBe("true");
    expect(document.querySelector<HTMLTextAreaElement>("form textarea")?.value).toBe("Back on Monday.");
    await click("form button[type=submit]");
    await wait(ROUND_TRIP_MS * 2);
    expect(set.saves).toBe(0);
    expect(alert()).toBe(
      "Not saved: this server does not run Sieve “vacation”, which the out-of-office reply uses. Change the reply or remove it.",
    );
    await act(() =>
      [...document.querySelectorAll<HTMLButtonElement>("button")]
        .find((b) => b.textContent === "Remove out of office")!
        .click(),
    );
    await wait(ROUND_TRIP_MS * 3);
    expect(set.saves).toBe(1);
    expect(set.set.vacation).toEqual(defaultVacation);
    expect(away().matches(":disabled")).toBe(true);
  });
});
