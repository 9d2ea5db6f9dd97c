// @vitest-environment jsdom
import { act, createElement } from "react";
import { describe, expect, it } from "vitest";
import { reactInDom } from "@/test-support/react-dom";
import { i18n } from "@/i18n";
import { MessageBody } from "./message-body";

// The body frame keeps its first document until that has loaded: Chromium left a sandboxed
// frame blank when its srcdoc changed before the first load (an inline picture's data: URL
// arriving quickly). After that, documents go straight in: a load waits for every remote
// picture, and a slow server must not hold them back.

const dom = reactInDom();

const PIXEL =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

describe("MessageBody's frame", () => {
  it("keeps its first document until it has loaded, then takes the one with the picture", async () => {
    const { host, root } = dom.place();
    // What happens to the frame, in order: each document it is given, each load.
    const seen: string[] = [];
    const note = (frame: Element) =>
      seen.push((frame.getAttribute("srcdoc") ?? "").includes("data:image/png") ? "picture" : "first");
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === "attributes" && r.target instanceof HTMLIFrameElement) note(r.target);
        for (const n of r.addedNodes)
          if (n instanceof HTMLElement) n.querySelectorAll("iframe").forEach(note);
      }
    }).observe(host, { subtree: true, childList: true, attributes: true, attributeFilter: ["srcdoc"] });
    // The frame loads when the test says, as a slow one in a busy browser would (jsdom's own
    // load of the frame is held back here).
    let loads = false;
    host.addEventListener(
      "load",
      (e) => {
        if (!loads) e.stopPropagation();
        else seen.push("load");
      },
      true,
    );
    // The picture's bytes come at once (a fast gateway, a cached part).
    const inline = [{ contentId: "graf@x", load: () => Promise.resolve(PIXEL) }];
    await act(async () => {
      root.render(
        createElement(MessageBody, {
          kind: "html",
          content: '<p>Grafikon</p><img src="cid:graf@x" alt="graf">',
          sender: "ana@firma.example",
          inline,
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    const frame = document.querySelector("iframe")!;
    loads = true;
    await act(async () => {
      frame.dispatchEvent(new Event("load"));
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(seen.slice(0, 3)).toEqual(["first", "load", "picture"]);
    expect(frame.getAttribute("srcdoc")).toContain("Grafikon");
  });

  it("takes every document after its first load at once, without waiting for another", async () => {
    const { host, root } = dom.place();
    // No load but the one the test sends: the remote server never answers.
    let loads = false;
    host.addEventListener("load", (e) => loads || e.stopPropagation(), true);
    let picture: (url: string) => void = () => undefined;
    const inline = [
      { contentId: "graf@x", load: () => new Promise<string>((resolve) => (picture = resolve)) },
    ];
    await act(async () => {
      root.render(
        createElement(MessageBody, {
          kind: "html",
          content: '<p>Grafikon</p><img src="cid:graf@x" alt="graf"><img src="https://slow.example/a.png">',
          sender: "ana@firma.example",
          inline,
        }),
      );
    });
    const frame = document.querySelector("iframe")!;
    loads = true;
    await act(async () => {
      frame.dispatchEvent(new Event("load"));
    });
    loads = false;
    // The picture arrives: its document goes in, and no load of it comes.
    await act(async () => picture(PIXEL));
    expect(frame.getAttribute("srcdoc")).toContain("data:image/png");
    // Remote content allowed: its document goes in too.
    const show = [...document.querySelectorAll("button")].find(
      (b) => b.textContent === i18n.t("mail.showRemote"),
    )!;
    await act(async () => show.click());
    expect(frame.getAttribute("srcdoc")).toContain(' src="https://slow.example/a.png"');
    expect(frame.getAttribute("srcdoc")).toContain("data:image/png");
  });
});
