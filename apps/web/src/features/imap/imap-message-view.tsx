"use client";

import { ArchiveSpamButtons } from "../actions/action-buttons";
import { ShortcutKeys } from "../shortcuts/shortcuts";
import { CreateRuleButton } from "../filters/filters-context";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "@/i18n/react";
import type { Folder } from "@pismo/protocol/schemas";
import { localeOf } from "@/i18n";
import { describeError } from "@/lib/errors";
import { blobToDataUrl, gatewayBytes, partUrl } from "@/lib/gateway-http";
import type { AttachedSource } from "../shared/attached-message";
import { useTRPC } from "@/trpc/client";
import { imapMoveTargets } from "./folder-label";
import { useImapActions } from "./use-imap-actions";
import { useCompose } from "../compose/compose-context";
import { MessageBody, type InlinePart } from "../shared/message-body";
import {
  AttachmentChips,
  MessageFrame,
  MessageHeader,
  MessageNotes,
  MessageToolbar,
} from "../shared/message-parts";
import { displayImapMessage } from "./imap-display";
import { checksSenderUnasked, isVerified, selfCheckPlan, senderWarningsOf } from "../shared/sender-trust";
import { unsubscribeShown } from "../shared/display-message";
import { ReadReceiptRequest, shownReceipt, useReceiptToSend } from "../shared/read-receipt";
import { MessageTools } from "../message-tools/message-tools";
import { PdfPreviewButton } from "../message-tools/pdf-preview";
import { imapMessageUrl, loadImapSource } from "../message-tools/imap-source";
import { emlFileName } from "../shared/mbox";
import { useNoteRead } from "../contacts/contacts-context";
import { useAfterShown } from "@/lib/after-shown";
// Parsing an attached message needs the MIME parser: loaded only when one is opened.
const AttachedMessage = lazy(() =>
  import("../shared/attached-message").then((m) => ({ default: m.AttachedMessage })),
);

export function ImapMessageView({
  folder,
  uid,
  neighbours,
  folders,
  onClose,
  onRemoved = onClose,
  standby = false,
}: {
  folder: string;
  uid: number;
  neighbours: { prev: number | null; next: number | null };
  folders: Folder[];
  onClose: () => void;
  /** It was deleted, archived, moved or reported as spam from its toolbar (else: onClose). */
  onRemoved?: () => void;
  /**
   * A neighbour kept rendered out of sight (its document built, its frame loaded), so moving
   * to it only shows it: it marks nothing read, answers no key and fetches nothing ahead.
   */
  standby?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const trpc = useTRPC();
  const qc = useQueryClient();
  const actions = useImapActions();
  const compose = useCompose();
  const [attached, setAttached] = useState<{ source: AttachedSource; name: string } | null>(null);
  const detail = useQuery({
    ...trpc.imap.open.queryOptions({ folder, uid, peek: true }),
    staleTime: 10 * 60_000,
  });
  const m = detail.data;
  useNoteRead(standby ? undefined : m?.from);

  // What opening sets off waits until the body is painted (an HTML body's frame loads in
  // tasks of its own after the commit), so none of it takes the main thread before then.
  const { shown: bodyShown, afterShown } = useAfterShown();

  // Opening marks it read on the server, so on every device. Once per opening:
  // if another device marks it unread while it is open here, that choice stands. After the
  // paint: the row's new look and the request wait until the message is on screen.
  // It counts as opened once the mark is sent (or it was read already): a message left with j
  // before its body was on screen (the mark cancelled) is marked when it is shown again.
  const markedRead = useRef(false);
  useEffect(() => {
    if (!m || standby || markedRead.current) return;
    if (m.seen) {
      markedRead.current = true;
      return;
    }
    return afterShown(() => {
      markedRead.current = true;
      actions.setSeen(folder, [uid], true, { undoable: false });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [m?.uid, m?.seen, folder, standby]);

  // The neighbours' text is fetched ahead (without marking them read) once this message is
  // painted, so moving through the list with the keyboard shows the next message at once.
  // Not before: their answers (and their views, rendered out of sight) would take the main
  // thread while this message's body is waiting to be shown.
  const shown = m !== undefined;
  useEffect(() => {
    if (standby || !shown) return;
    return afterShown(() => {
      for (const n of [neighbours.next, neighbours.prev]) {
        if (n !== null)
          void qc.prefetchQuery({
            ...trpc.imap.open.queryOptions({ folder, uid: n, peek: true }),
            staleTime: 10 * 60_000,
          });
      }
    });
  }, [neighbours.next, neighbours.prev, folder, qc, trpc, standby, shown, afterShown]);

  // Where the server wrote no verdict but the message is signed, Pismo checks the signature
  // itself: a query of its own, kept for the session. Its DNS lookups tell the sender's
  // domain when the message was opened, so it runs by itself only for a sender the user
  // trusts (checksSenderUnasked), once the message is shown; for anyone else, when asked.
  const selfCheck = m?.sender?.selfCheck === true;
  const fromAddress = m?.from?.address;
  const unasked = useMemo(() => checksSenderUnasked(fromAddress), [fromAddress]);
  const [askedFor, setAskedFor] = useState<string | null>(null);
  const messageKey = `${folder}\u0000${uid}`;
  const plan = selfCheckPlan({ selfCheck, unasked, asked: askedFor === messageKey, standby });
  const verify = useQuery({
    ...trpc.imap.verifySender.queryOptions({ folder, uid }),
    enabled: plan.run,
    staleTime: Infinity,
    gcTime: 60 * 60_000,
    retry: false,
  });
  const verdict = m?.sender?.verdict ?? (selfCheck ? (verify.data ?? null) : null);
  const unanswered = verify.data === undefined && !verify.error;
  const checkPending = plan.run && unanswered;
  // An answer asked for earlier is kept for the session: it shows again, with no button.
  const offerCheck = plan.offer && unanswered;
  const use = folders.find((f) => f.path === folder)?.specialUse;
  const inJunk = use === "junk";
  const asked = standby ? null : shownReceipt(m?.receipt, use);
  const receipt = useReceiptToSend(asked ? m : null);
  const answerReceipt = useMutation(trpc.compose.answerReceipt.mutationOptions());
  const display = useMemo(() => {
    if (!m) return null;
    const shown = { ...displayImapMessage(m), unsubscribe: unsubscribeShown(m.unsubscribe, inJunk) };
    if (!m.sender) return shown;
    return {
      ...shown,
      sender: {
        verdict,
        pending: checkPending,
        ...(offerCheck ? { check: () => setAskedFor(messageKey) } : {}),
        warnings: senderWarningsOf(
          // ENVELOPE repeats From as reply-to when the message has no Reply-To field.
          { ...m, replyTo: m.sender.hasReplyTo ? m.replyTo : [] },
          m.sender.list,
          verdict,
        ),
      },
    };
  }, [m, verdict, checkPending, offerCheck, messageKey, inJunk]);
  const inline: InlinePart[] = useMemo(
    () =>
      (display?.inlineImages ?? []).map((a) => ({
        contentId: a.contentId ?? "",
        load: async () => blobToDataUrl(await gatewayBytes(partUrl(folder, uid, a.id, true))),
      })),
    [display, folder, uid],
  );

  // A neighbour shows nothing of its own until it is the open message.
  if (standby && (detail.error || !m || !display)) return null;
  if (detail.error)
    return (
      <p role="alert" className="p-6 text-sm text-red-700 dark:text-red-300">
        {describeError(detail.error, t)}
      </p>
    );
  if (!m || !display) return <p className="p-6 text-sm text-slate-500">{t("mail.loading")}</p>;

  const here = folders.find((f) => f.path === folder);
  const targets = imapMoveTargets(folders, t, folder);

  return (
    <MessageFrame
      standby={standby}
      toolbar={
        <MessageToolbar
          m={display}
          onBack={onClose}
          answer={{
            open: (mode) => compose.open({ mode, source: m }),
            disabled: false,
            forwardDisabled: false,
          }}
          onSeen={(seen) => actions.setSeen(folder, [uid], seen)}
          onFlag={(flagged) => actions.setFlagged(folder, [uid], flagged)}
          onDelete={() => {
            actions.remove(folder, [uid]);
            onRemoved();
          }}
          moveTargets={targets}
          onMove={(to) => {
            actions.move(folder, [uid], to.id, to.name);
            onRemoved();
          }}
        >
          <ArchiveSpamButtons
            inArchive={here?.specialUse === "archive"}
            inJunk={here?.specialUse === "junk"}
            onArchive={() => {
              actions.archive(folder, [uid]);
              onRemoved();
            }}
            onSpam={(spam) => {
              actions.spam(folder, [uid], spam);
              onRemoved();
            }}
          />
          <CreateRuleButton from={display.from?.address ?? null} subject={display.subject || null} />
          <MessageTools
            m={display}
            inline={inline}
            loadSource={() => loadImapSource(folder, uid)}
            eml={{
              href: imapMessageUrl(folder, uid, { name: emlFileName(m.subject, String(uid)) }),
              fileName: emlFileName(m.subject, String(uid)),
            }}
          />
        </MessageToolbar>
      }
    >
      {!standby && (
        <ShortcutKeys
          reply={() => compose.open({ mode: "reply", source: m })}
          replyAll={() => compose.open({ mode: "replyAll", source: m })}
          forward={() => compose.open({ mode: "forward", source: m })}
          flag={() => actions.setFlagged(folder, [uid], !m.flagged)}
        />
      )}
      <MessageHeader m={display} locale={locale} />
      {asked && (
        <ReadReceiptRequest
          asked={asked}
          ready={receipt.ready}
          answer={async (send) => {
            await answerReceipt.mutateAsync({
              receipt: send ? receipt.receiptFor(asked) : null,
              original: { folder, uid },
            });
            // Answered: asked no more here, whether or not the folder keeps the keyword.
            qc.setQueryData(trpc.imap.open.queryKey({ folder, uid, peek: true }), (old) =>
              old?.receipt ? { ...old, receipt: { ...old.receipt, answered: true } } : old,
            );
          }}
        />
      )}
      <MessageNotes m={display} />
      <AttachmentChips
        attachments={display.attachments}
        locale={locale}
        actions={{
          save: (a) => ({ href: partUrl(folder, uid, a.id) }),
          openMessage: (a, name) => {
            const url = partUrl(folder, uid, a.id);
            setAttached({
              source: {
                key: url,
                load: async () => new Uint8Array(await (await gatewayBytes(url)).arrayBuffer()),
              },
              name,
            });
          },
          previewHref: (a) => partUrl(folder, uid, a.id, true),
          more: (a, name) => (
            <PdfPreviewButton
              attachment={a}
              name={name}
              load={async () =>
                new Uint8Array(await (await gatewayBytes(partUrl(folder, uid, a.id))).arrayBuffer())
              }
            />
          ),
        }}
      />
      {attached && (
        <Suspense fallback={null}>
          <AttachedMessage source={attached.source} title={attached.name} onClose={() => setAttached(null)} />
        </Suspense>
      )}
      <MessageBody
        kind={m.body.kind}
        content={m.body.content}
        sender={m.from?.address}
        senderVerified={isVerified(verdict)}
        inline={inline}
        standby={standby}
        onShown={bodyShown}
      />
    </MessageFrame>
  );
}
