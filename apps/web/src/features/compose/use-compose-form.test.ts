// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, createElement, useLayoutEffect, useState } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { emptyDraft, type Draft } from "@pismo/protocol/compose";
import type { Account } from "@pismo/protocol/schemas";
import { i18n } from "@/i18n";
import { reactInDom } from "@/test-support/react-dom";
import type { ComposeRequest } from "./compose-context";
import { fieldsFromDraft } from "./initial-draft";

// The compose window's form as the page runs it, in a DOM, with the gateway's answers made up
// here: what reaches Drafts when the window closes with a file still uploading, and what Discard
// asks the gateway to remove after an autosave whose answer was lost.

/** An upload that finishes (or fails) when the test says, and whether it was stopped. */
interface PendingUpload {
  name: string;
  finish(id: string): void;
  fail(): void;
  aborted: () => boolean;
}

const gateway = vi.hoisted(() => ({
  saves: [] as { draft: Draft; replaceUid: number | null }[],
  /** The next saves' answers, in turn; each a uid, an Error (the answer lost), or a uid that
   * comes when the test says (a save on its way). */
  answers: [] as (number | Error | Promise<number>)[],
  discards: [] as { uid: number | null; composeId?: string }[],
  uploads: [] as PendingUpload[],
  /** The uploads each saved draft was built from, and those the gateway let go. */
  builtFrom: new Map<number, string[]>(),
  released: new Set<string>(),
}));

const toasts = vi.hoisted(() => [] as { text: string; tone: string | undefined }[]);
vi.mock("@/components/ui/toast", () => ({
  useToast: () => (text: string, tone?: string) => void toasts.push({ text, tone }),
}));

const filter = { pathFilter: () => ({ queryKey: ["none"] }), queryFilter: () => ({ queryKey: ["none"] }) };
const never = () => new Promise<never>(() => undefined);
vi.mock("@/trpc/client", () => ({
  useTRPC: () => ({
    compose: {
      limits: { queryOptions: () => ({ queryKey: ["limits"], queryFn: never }) },
      sendLater: { mutationOptions: () => ({ mutationFn: never }) },
    },
    imap: {
      open: { queryOptions: () => ({ queryKey: ["open"], queryFn: never }) },
      list: filter,
      folders: { ...filter, queryOptions: () => ({ queryKey: ["folders"], queryFn: never }) },
    },
  }),
  useTRPCClient: () => ({
    compose: {
      saveDraft: {
        mutate: (input: { draft: Draft; replaceUid: number | null }) => {
          gateway.saves.push(input);
          const answer = gateway.answers.shift() ?? 100 + gateway.saves.length;
          if (answer instanceof Error) return Promise.reject(answer);
          // As the gateway: a draft names its files as its own parts, and the uploads the draft
          // it replaces was built from go (but those the new one names); a save naming one
          // gone is refused.
          const uploads = input.draft.attachments.flatMap((a) => (a.kind === "upload" ? [a.id] : []));
          if (uploads.some((id) => gateway.released.has(id)))
            return Promise.reject(new Error("The upload is gone"));
          return Promise.resolve(answer).then((uid) => {
            const before = input.replaceUid === null ? [] : (gateway.builtFrom.get(input.replaceUid) ?? []);
            for (const id of before) if (!uploads.includes(id)) gateway.released.add(id);
            gateway.builtFrom.set(uid, uploads);
            const attachments = input.draft.attachments.map((a, i) => ({
              kind: "forward" as const,
              folder: "Drafts",
              uid,
              part: String(i + 2),
              filename: a.filename,
              contentType: a.contentType,
              size: a.size,
              ...(a.contentId !== undefined ? { contentId: a.contentId } : {}),
            }));
            return { folder: "Drafts", uid, attachments };
          });
        },
      },
      discardDraft: {
        mutate: (input: { uid: number | null; composeId?: string }) => {
          gateway.discards.push(input);
          return Promise.resolve();
        },
      },
    },
  }),
}));

vi.mock("./upload", () => ({
  uploadFile: (file: File, _progress: unknown, signal: AbortSignal) =>
    new Promise((resolve, reject) => {
      gateway.uploads.push({
        name: file.name,
        finish: (id) => resolve({ id, size: file.size }),
        fail: () => reject(new Error("network")),
        aborted: () => signal.aborted,
      });
    }),
}));

// The window's place on the page: closing it unmounts the form, as ComposePanel does.
const windowState = vi.hoisted(() => ({ close: () => undefined as void }));
vi.mock("./compose-context", () => ({
  useCompose: () => ({
    closeWindow: () => windowState.close(),
    replaced: { current: null },
    open: () => undefined,
  }),
}));

const { useComposeForm } = await import("./use-compose-form");

const dom = reactInDom();

const account: Account = {
  protocol: "imap",
  email: "ana@primer.rs",
  server: { host: "mail.primer.rs", port: 993, security: "tls" },
};

type Form = ReturnType<typeof useComposeForm>;
let form: Form | null = null;

function Compose({ request }: { request: ComposeRequest }) {
  const shownNow = useComposeForm(account, request, undefined, 1);
  useLayoutEffect(() => {
    form = shownNow;
  });
  return null;
}

function Page({ request = { mode: "new" } }: { request?: ComposeRequest }) {
  const [open, setOpen] = useState(true);
  useLayoutEffect(() => {
    windowState.close = () => setOpen(false);
  }, []);
  return open ? createElement(Compose, { request }) : null;
}

/** The window opened again as `request` asks (the new one beforeEach opened closed first). */
function openAs(request: ComposeRequest) {
  act(() => shown().close());
  form = null;
  dom.mount(
    createElement(QueryClientProvider, { client: new QueryClient() }, createElement(Page, { request })),
  );
}

/** The form as last rendered (it is there while the window is open). */
const shown = (): Form => {
  if (!form) throw new Error("the compose window is not open");
  return form;
};

/** Lets the promises settle (the saves, each after the one before). */
const settle = () =>
  act(async () => {
    for (let i = 0; i < 20; i++) await vi.advanceTimersByTimeAsync(0);
  });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  localStorage.clear();
  toasts.length = 0;
  gateway.saves.length = 0;
  gateway.answers.length = 0;
  gateway.discards.length = 0;
  gateway.uploads.length = 0;
  gateway.builtFrom.clear();
  gateway.released.clear();
  form = null;
  dom.mount(createElement(QueryClientProvider, { client: new QueryClient() }, createElement(Page)));
});
afterEach(() => {
  vi.useRealTimers();
});

const file = (name: string) => new File(["%PDF"], name, { type: "application/pdf" });

describe("closing the window while a file is still uploading", () => {
  it("keeps what was written in Drafts at once, and the file with it once it is up", async () => {
    act(() => shown().update({ to: "bob@primer.rs", text: "Evo ugovora." }));
    act(() => void shown().addFiles([file("ugovor.pdf")]));
    expect(gateway.uploads).toHaveLength(1);
    act(() => shown().close());
    await settle();
    // The text is in Drafts without waiting for the file; the upload goes on.
    expect(gateway.saves).toHaveLength(1);
    expect(gateway.saves[0]?.draft.text).toBe("Evo ugovora.");
    expect(gateway.saves[0]?.draft.attachments).toEqual([]);
    expect(gateway.uploads[0]?.aborted()).toBe(false);

    gateway.uploads[0]?.finish("upload-0000000000000001");
    await settle();
    expect(gateway.saves).toHaveLength(2);
    const again = gateway.saves[1]!;
    expect(again.replaceUid).toBe(101);
    expect(again.draft.text).toBe("Evo ugovora.");
    expect(again.draft.attachments).toMatchObject([
      { kind: "upload", id: "upload-0000000000000001", filename: "ugovor.pdf" },
    ]);
    expect(again.draft.composeId).toBe(gateway.saves[0]?.draft.composeId);
    expect(toasts).toEqual([{ text: i18n.t("compose.keptInDrafts"), tone: "info" }]);
  });

  it("a file that fails is named, and the draft stays in Drafts without it", async () => {
    act(() => shown().update({ text: "Dva priloga." }));
    act(() => void shown().addFiles([file("prvi.pdf"), file("drugi.pdf")]));
    act(() => shown().close());
    await settle();
    expect(gateway.saves).toHaveLength(1);
    gateway.uploads[0]?.fail();
    await settle();
    // The batch goes on with the next file after the window is gone.
    gateway.uploads[1]?.finish("upload-0000000000000002");
    await settle();
    expect(gateway.saves).toHaveLength(2);
    expect(gateway.saves[1]?.draft.attachments).toMatchObject([{ id: "upload-0000000000000002" }]);
    expect(toasts).toEqual([
      { text: i18n.t("compose.keptWithoutFiles", { names: "prvi.pdf" }), tone: "error" },
    ]);
  });

  it("a file attached before an autosave still on its way stays, as that save left it", async () => {
    act(() => shown().update({ text: "Dva priloga." }));
    act(() => void shown().addFiles([file("prvi.pdf")]));
    gateway.uploads[0]?.finish("upload-0000000000000004");
    await settle();
    // The autosave carries the first file; its answer is on its way when the window closes.
    let answer = (_uid: number) => undefined as void;
    gateway.answers.push(new Promise<number>((resolve) => (answer = resolve)));
    await act(() => vi.advanceTimersByTimeAsync(3000));
    expect(gateway.saves).toHaveLength(1);
    act(() => shown().update({ text: "Dva priloga, evo i drugog." }));
    act(() => void shown().addFiles([file("drugi.pdf")]));
    act(() => shown().close());
    await settle();
    answer(101);
    await settle();
    // The close's save names the first file as the autosave left it: a part of draft 101.
    expect(gateway.saves).toHaveLength(2);
    expect(gateway.saves[1]?.draft.attachments).toMatchObject([{ kind: "forward", uid: 101 }]);

    // With the second file: the first as the close's save left it (its upload is gone since).
    gateway.uploads[1]?.finish("upload-0000000000000005");
    await settle();
    expect(gateway.saves).toHaveLength(3);
    expect(gateway.saves[2]?.replaceUid).toBe(102);
    expect(gateway.saves[2]?.draft.attachments).toMatchObject([
      { kind: "forward", uid: 102, filename: "prvi.pdf" },
      { kind: "upload", id: "upload-0000000000000005" },
    ]);
    expect(toasts).toEqual([{ text: i18n.t("compose.keptInDrafts"), tone: "info" }]);
  });

  it("Discard stops the upload, and nothing is saved after it", async () => {
    act(() => shown().update({ text: "Ipak ne." }));
    act(() => void shown().addFiles([file("prilog.pdf")]));
    act(() => shown().onDiscard());
    await settle();
    expect(gateway.uploads[0]?.aborted()).toBe(true);
    gateway.uploads[0]?.finish("upload-0000000000000003");
    await settle();
    expect(gateway.saves).toEqual([]);
  });
});

describe("Discard after an autosave whose answer was lost", () => {
  const autosave = () => act(() => vi.advanceTimersByTimeAsync(3000));

  it("names the window, so that the gateway removes the copy the page never heard of", async () => {
    act(() => shown().update({ text: "v1" }));
    await autosave();
    expect(gateway.saves).toHaveLength(1);
    gateway.answers.push(new Error("connection lost"));
    act(() => shown().update({ text: "v2" }));
    await autosave();
    expect(gateway.saves).toHaveLength(2);
    act(() => shown().onDiscard());
    await settle();
    expect(gateway.discards).toEqual([{ uid: 101, composeId: gateway.saves[0]?.draft.composeId }]);
  });

  it("also when the lost answer was the window's first save (the page names no draft)", async () => {
    gateway.answers.push(new Error("connection lost"));
    act(() => shown().update({ text: "v1" }));
    await autosave();
    expect(gateway.saves).toHaveLength(1);
    act(() => shown().onDiscard());
    await settle();
    expect(gateway.discards).toEqual([{ uid: null, composeId: gateway.saves[0]?.draft.composeId }]);
  });

  it("a form brought back by Undo send as its window removes that window's last copy", async () => {
    const fields = { ...fieldsFromDraft(emptyDraft(), false), text: "Ipak ne." };
    openAs({ mode: "saved", ref: null, fields, composeId: "window-1" });
    act(() => shown().onDiscard());
    await settle();
    expect(gateway.discards).toEqual([{ uid: null, composeId: "window-1" }]);
  });

  it("a window that never saved asks the gateway nothing", async () => {
    act(() => shown().update({ text: "v1" }));
    act(() => shown().onDiscard());
    await settle();
    expect(gateway.discards).toEqual([]);
  });
});

describe("a reply's pictures, uploaded from this browser when it opens (POP3)", () => {
  const picture = new File(["PNG"], "image-2.png", { type: "image/png" });
  const reply: ComposeRequest = {
    mode: "reply",
    source: {
      origin: "local",
      messageId: "<m@primer.rs>",
      references: [],
      subject: "Grafikon",
      from: { name: "Ana", address: "ana@primer.rs" },
      replyTo: [],
      to: [{ name: "", address: "ana@primer.rs" }],
      cc: [],
      date: null,
      body: { kind: "html", content: '<p>Vidi <img src="cid:logo@x" alt="grafikon"></p>' },
      attachments: [],
      files: [picture],
      pictureIds: new Map([[picture, "logo@x"]]),
      answering: null,
    },
  };

  it("do not make the window changed: closed untouched, during or after the upload, it keeps nothing", async () => {
    openAs(reply);
    await settle();
    expect(gateway.uploads.map((u) => u.name)).toEqual(["image-2.png"]);
    act(() => shown().close());
    await settle();
    gateway.uploads[0]?.finish("upload-0000000000000009");
    await settle();
    expect(gateway.saves).toEqual([]);
    expect(toasts).toEqual([]);

    openAs(reply);
    await settle();
    gateway.uploads[1]?.finish("upload-0000000000000010");
    await settle();
    act(() => shown().close());
    await settle();
    expect(gateway.saves).toEqual([]);
  });

  it("go while the text shows them, and not once the quote is deleted", async () => {
    openAs(reply);
    await settle();
    gateway.uploads[0]?.finish("upload-0000000000000011");
    await settle();
    act(() => shown().update({ text: "Vidim." }));
    await act(() => vi.advanceTimersByTimeAsync(3000));
    await settle();
    expect(gateway.saves.at(-1)?.draft.attachments).toMatchObject([{ contentId: "logo@x" }]);
    act(() => shown().update({ html: "<p>Vidim.</p>", text: "Vidim." }));
    await act(() => vi.advanceTimersByTimeAsync(3000));
    await settle();
    expect(gateway.saves.at(-1)?.draft.attachments).toEqual([]);
  });
});
