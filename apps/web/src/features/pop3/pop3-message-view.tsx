"use client";

import { ArchiveSpamButtons } from "../actions/action-buttons";
import { ARCHIVE, JUNK } from "../actions/pop3-actions";
import { usePop3Actions } from "../actions/use-pop3-actions";
import { ShortcutKeys } from "../shortcuts/shortcuts";
import { CreateRuleButton } from "../filters/filters-context";
import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { useTranslation } from "@/i18n/react";
import type { LocalFolder } from "@pismo/protocol/filters";
import { formatBytes } from "@pismo/protocol/format";
import { extractPart, type MessageView } from "@pismo/protocol/mime";
import { listInfoOf, readHeaderFields, unsubscribeOf } from "@pismo/protocol/trust";
import { buttonClass } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { localeOf } from "@/i18n";
import { base64ToBytes } from "@/lib/base64";
import { downloadBlob } from "@/lib/download";
import { describeError } from "@/lib/errors";
import { blobToDataUrl } from "@/lib/gateway-http";
import { useTRPCClient } from "@/trpc/client";
import { useCompose, type FromMessageMode } from "../compose/compose-context";
import { MessageBody, type InlinePart } from "../shared/message-body";
import {
  AttachmentChips,
  MessageFrame,
  MessageHeader,
  MessageNotes,
  MessageToolbar,
} from "../shared/message-parts";
import { emlFile, emlFileName } from "../shared/mbox";
import { displayPop3Message } from "./pop3-display";
import { isVerified, senderWarningsOf } from "../shared/sender-trust";
import { isPictureType, pictureFileName, unsubscribeShown } from "../shared/display-message";
import { isContentId } from "@pismo/protocol/schemas";
import { ReadReceiptRequest, shownReceipt, useReceiptToSend } from "../shared/read-receipt";
import { receiptRequestOf } from "@pismo/protocol/receipts";
import { MessageTools } from "../message-tools/message-tools";
import { PdfPreviewButton } from "../message-tools/pdf-preview";
import { moveTargets } from "./pop3-folders";
import { DRAFTS, SENT, TRASH, serverUidOf, type Pop3Store } from "./pop3-store";
import { keepReady, readyMessage, sameBytes, viewOf } from "./read-ahead";
import type { AttachedSource } from "../shared/attached-message";

// Parsing an attached message is the reading view's own parser; its dialog loads when one opens.
const AttachedMessage = lazy(() =>
  import("../shared/attached-message").then((m) => ({ default: m.AttachedMessage })),
);
import { useLive } from "./use-live";
import { useNoteRead } from "../contacts/contacts-context";

/** One stored message, read from IndexedDB and parsed in the browser: no server needed to read it. */
export function Pop3MessageView({
  store,
  uid,
  folders,
  onClose,
  onRemoved,
}: {
  store: Pop3Store;
  uid: string;
  folders: readonly LocalFolder[];
  onClose: () => void;
  /** It was deleted, archived, moved or reported as spam from its toolbar. */
  onRemoved: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const toast = useToast();
  const client = useTRPCClient();
  // A neighbour read ahead (read-ahead.ts) shows at once; the store's own answers follow.
  const [ahead] = useState(() => readyMessage(store, uid));
  const liveMeta = useLive(async () => (await store.get(uid)) ?? null, [store, uid]);
  const liveRaw = useLive(() => store.raw(uid), [store, uid]);
  const meta = liveMeta === undefined ? ahead?.meta : liveMeta;
  const raw = liveRaw === undefined ? ahead?.raw : liveRaw;
  const [parsed, setParsed] = useState<{ raw: Uint8Array; view: MessageView } | null>(() =>
    ahead ? { raw: ahead.raw, view: ahead.view } : null,
  );
  const [fetching, setFetching] = useState(false);
  const [preparing, setPreparing] = useState(false);
  const [attached, setAttached] = useState<{ source: AttachedSource; name: string } | null>(null);
  const compose = useCompose();
  const actions = usePop3Actions(store, folders);

  useEffect(() => {
    if (!raw || (parsed && sameBytes(parsed.raw, raw))) return;
    let cancelled = false;
    void viewOf(store, uid, raw).then((v) => {
      if (cancelled) return;
      setParsed({ raw, view: v });
      if (liveMeta) keepReady(store, { meta: liveMeta, raw, view: v });
    });
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [raw]);

  // Opening marks it read, here only: POP3 keeps no read state on the server. From the store's
  // own answer, not from what was read ahead (it may have changed since).
  useEffect(() => {
    if (liveMeta && !liveMeta.seen) void store.setSeen([uid], true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [liveMeta?.uid]);

  const m = parsed && raw && sameBytes(parsed.raw, raw) ? parsed.view : undefined;
  useNoteRead(m?.from);
  // The verdict came with the message from the gateway and is stored with it; the warnings
  // are worked out here from the stored headers (they depend on whom this reader knows).
  const verdict = meta?.senderVerdict ?? null;
  const display = useMemo(() => {
    if (!meta) return null;
    const shown = displayPop3Message(meta, m ?? null);
    if (!m || !raw || meta.folderId === DRAFTS) return { ...shown, receipt: null };
    const headers = readHeaderFields(raw);
    const request = receiptRequestOf(headers);
    return {
      ...shown,
      sender: { verdict, pending: false, warnings: senderWarningsOf(m, listInfoOf(headers), verdict) },
      unsubscribe: unsubscribeShown(unsubscribeOf(headers), meta.folderId === JUNK),
      // Answered here: the $MDNSent of RFC 3503, kept with the stored message.
      receipt: request && { ...request, answered: meta.receiptAnswered === true },
    };
  }, [meta, m, raw, verdict]);
  const asked = shownReceipt(display?.receipt, meta?.folderId);
  const receipt = useReceiptToSend(asked ? m : null);
  const inline: InlinePart[] = useMemo(() => {
    if (!display || !raw) return [];
    return display.inlineImages.map((a) => ({
      contentId: a.contentId ?? "",
      load: async () => {
        const part = await extractPart(raw, a.id);
        if (!part) throw new Error("missing part");
        return blobToDataUrl(new Blob([part.bytes as BlobPart], { type: part.mimeType }));
      },
    }));
  }, [display, raw]);

  if (meta === undefined) return <p className="p-6 text-sm text-slate-500">{t("mail.loading")}</p>;
  if (meta === null || meta.deletedLocally || !display)
    return <p className="p-6 text-sm text-slate-500">{t("mail.noSelection")}</p>;

  const fetchFull = async () => {
    setFetching(true);
    try {
      // The server knows it by its unique-id, which is not its key here when the server reused it.
      const full = await client.pop3.fetchFull.mutate({ uid: serverUidOf(meta) });
      await store.completeMessage(uid, base64ToBytes(full.raw), full.verdict);
    } catch (error) {
      toast(describeError(error, t, { NOT_FOUND: t("pop3.fullGone") }), "error");
    } finally {
      setFetching(false);
    }
  };

  /**
   * Reply, reply all, forward, edit as new: the source is this browser's copy. A forward's
   * (and a message edited as new's) attachments, or for a forward as attachment the message,
   * are read out of the stored bytes here and uploaded when the compose panel opens (the
   * gateway has no copy of a POP3 message to stream them from).
   */
  const answer = async (mode: FromMessageMode) => {
    if (!m || !raw || !display.body) return;
    setPreparing(true);
    try {
      const files: File[] = [];
      const pictureIds = new Map<File, string>();
      // Forwarded as an attachment: the message's own bytes, as they came from the server.
      if (mode === "forwardAttached") files.push(emlFile(raw, meta.subject, uid));
      if (mode === "forward" || mode === "editAsNew") {
        for (const a of display.attachments) {
          const part = await extractPart(raw, a.id);
          if (part)
            files.push(
              new File([part.bytes as BlobPart], part.filename || a.filename || `attachment-${a.id}`, {
                type: part.mimeType,
              }),
            );
        }
      }
      // The pictures its HTML shows (cid:) go too, as pictures of the text: a forward's, one that
      // cannot be one (an SVG, a Content-ID that cannot go out again) as a plain file; a
      // reply's, for its quote, only those that can.
      const replying = mode === "reply" || mode === "replyAll";
      if (mode === "forward" || mode === "editAsNew" || (replying && display.body.kind === "html")) {
        for (const a of display.inlineImages) {
          const part = await extractPart(raw, a.id);
          if (!part) continue;
          const contentId = isPictureType(part.mimeType) && isContentId(a.contentId) ? a.contentId : null;
          if (replying && contentId === null) continue;
          const name = part.filename || pictureFileName(a.id, part.mimeType);
          const file = new File([part.bytes as BlobPart], name, { type: part.mimeType });
          files.push(file);
          if (contentId !== null) pictureIds.set(file, contentId);
        }
      }
      compose.open({
        mode,
        source: {
          origin: "local",
          messageId: m.messageId,
          // RFC 5322 §3.6.4: without References, the parent's In-Reply-To starts the thread.
          references: m.references.length > 0 ? m.references : m.inReplyTo ? [m.inReplyTo] : [],
          subject: m.subject ?? "",
          from: m.from,
          replyTo: m.replyTo,
          to: m.to,
          cc: m.cc,
          date: m.date,
          body: display.body,
          attachments: [],
          files,
          pictureIds,
          answering: null,
        },
      });
    } finally {
      setPreparing(false);
    }
  };

  const saveAttachment = async (id: string, fallbackName: string) => {
    if (!raw) return;
    const part = await extractPart(raw, id);
    if (part) downloadBlob([part.bytes as BlobPart], part.mimeType, part.filename ?? fallbackName);
  };

  return (
    <MessageFrame
      toolbar={
        <MessageToolbar
          m={display}
          onBack={onClose}
          answer={
            meta.folderId === DRAFTS
              ? null
              : {
                  open: (mode) => void answer(mode),
                  disabled: !m || preparing,
                  forwardDisabled: meta.headersOnly,
                }
          }
          onSeen={(seen) => void actions.setSeen([uid], seen)}
          onFlag={(flagged) => void store.setFlagged([uid], flagged)}
          deleteLabel={meta.folderId === TRASH ? t("mail.deleteForever") : t("mail.delete")}
          onDelete={() => {
            void actions.remove([uid]);
            onRemoved();
          }}
          moveTargets={moveTargets(meta.folderId, folders, t)}
          onMove={(to) => {
            void actions.move([uid], to.id);
            onRemoved();
          }}
        >
          <ShortcutKeys
            {...(meta.folderId !== DRAFTS
              ? {
                  reply: () => void answer("reply"),
                  replyAll: () => void answer("replyAll"),
                  forward: () => void answer("forward"),
                }
              : {})}
            flag={() => void store.setFlagged([uid], !meta.flagged)}
          />
          {meta.folderId !== DRAFTS && meta.folderId !== SENT && (
            <ArchiveSpamButtons
              inArchive={meta.folderId === ARCHIVE}
              inJunk={meta.folderId === JUNK}
              onArchive={() => {
                void actions.archive([uid]);
                onRemoved();
              }}
              onSpam={(spam) => {
                void actions.spam([uid], spam);
                onRemoved();
              }}
            />
          )}
          <button
            type="button"
            className={buttonClass.ghost}
            disabled={!raw}
            onClick={() => {
              if (raw) downloadBlob([raw as BlobPart], "message/rfc822", emlFileName(meta.subject, uid));
            }}
          >
            {t("pop3.exportEml")}
          </button>
          <CreateRuleButton from={display.from?.address ?? null} subject={display.subject || null} />
          <MessageTools
            m={display}
            inline={inline}
            loadSource={raw ? () => Promise.resolve({ bytes: raw, total: raw.length }) : null}
          />
        </MessageToolbar>
      }
    >
      <MessageHeader m={display} locale={locale} />
      {asked && m && (
        <ReadReceiptRequest
          asked={asked}
          ready={receipt.ready}
          answer={async (send) => {
            if (send)
              await client.compose.answerReceipt.mutate({
                receipt: receipt.receiptFor(asked),
                original: null,
              });
            // Kept with the message in this browser: POP3 has no flags on the server.
            await store.noteReceiptAnswered(uid);
          }}
        />
      )}
      {meta.headersOnly && (
        <div
          role="note"
          className="flex flex-wrap items-center gap-2 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
        >
          <span className="flex-1">
            {t("pop3.headersOnlyNote", { size: formatBytes(meta.size, locale) })}
          </span>
          <button
            type="button"
            className={buttonClass.secondary}
            disabled={fetching}
            onClick={() => void fetchFull()}
          >
            {fetching ? t("pop3.fetchingFull") : t("pop3.fetchFull")}
          </button>
        </div>
      )}
      <MessageNotes m={display} />
      <AttachmentChips
        attachments={display.attachments}
        locale={locale}
        actions={{
          save: (a) => ({ onClick: () => void saveAttachment(a.id, a.filename ?? `part-${a.id}`) }),
          // An attached message opens from this browser's copy of the one it is in.
          ...(raw
            ? {
                openMessage: (a: { id: string }, name: string) =>
                  setAttached({
                    source: {
                      key: `pop3:${uid}:${a.id}`,
                      load: async () => {
                        const part = await extractPart(raw, a.id);
                        if (!part) throw new Error("missing part");
                        return part.bytes;
                      },
                    },
                    name,
                  }),
              }
            : {}),
          more: (a, name) =>
            raw && (
              <PdfPreviewButton
                attachment={a}
                name={name}
                load={async () => {
                  const part = await extractPart(raw, a.id);
                  if (!part) throw new Error("missing part");
                  return part.bytes;
                }}
              />
            ),
        }}
      />
      {attached && (
        <Suspense fallback={null}>
          <AttachedMessage source={attached.source} title={attached.name} onClose={() => setAttached(null)} />
        </Suspense>
      )}
      {raw === null && !meta.headersOnly && (
        <p className="p-4 text-sm text-slate-500">{t("pop3.noBodyHere")}</p>
      )}
      {display.body && !meta.headersOnly && (
        <MessageBody
          key={uid}
          kind={display.body.kind}
          content={display.body.content}
          sender={m?.from?.address}
          senderVerified={isVerified(verdict)}
          inline={inline}
        />
      )}
      {!m && raw && <p className="p-4 text-sm text-slate-500">{t("mail.loading")}</p>}
    </MessageFrame>
  );
}
