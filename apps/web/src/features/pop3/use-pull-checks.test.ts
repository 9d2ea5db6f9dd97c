// @vitest-environment jsdom
import { act, createElement } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { reactInDom } from "@/test-support/react-dom";
import { i18n } from "@/i18n";
import { ToastRoot } from "@/components/ui/toast";
import { usePullChecks } from "./use-pull-checks";
import type { usePop3Pull } from "./use-pop3-pull";

// A pull's outcome is told once: a change of language is no new mail.

const dom = reactInDom();
afterEach(async () => {
  await i18n.changeLanguage("en");
});

type Pull = ReturnType<typeof usePop3Pull>;

describe("usePullChecks", () => {
  it("tells of new mail once, not again when the language changes", async () => {
    const pull = {
      start: () => Promise.resolve(),
      running: false,
      outcome: { kind: "done", stored: 2, at: 1 },
    } as unknown as Pull;
    function Checks() {
      usePullChecks(pull, 0);
      return null;
    }
    const { root } = dom.place();
    await act(async () => root.render(createElement(ToastRoot, null, createElement(Checks))));
    const told = () => [...document.querySelectorAll('[role="status"]')].map((n) => n.textContent);
    expect(told()).toEqual(["New messages downloaded: 2."]);
    await act(async () => {
      await i18n.changeLanguage("sr");
    });
    expect(told()).toEqual(["New messages downloaded: 2."]);
  });
});
