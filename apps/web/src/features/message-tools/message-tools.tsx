"use client";

import { useCallback, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";
import type { DisplayMessage } from "../shared/display-message";
import type { InlinePart } from "../shared/message-body";
import { PrintView } from "./print-view";
import { SourceDialog, type RawSource } from "./source-dialog";

/**
 * Print, Show original and (where the protocol's view has none) Download .eml, for the open
 * message of either protocol: each view says how to get the source and the .eml.
 */
export function MessageTools({
  m,
  inline,
  loadSource,
  eml,
}: {
  m: DisplayMessage;
  inline: readonly InlinePart[];
  /** The raw message (up to the cap of Show original) and its whole size; null while there is none. */
  loadSource: (() => Promise<RawSource>) | null;
  /** A link that saves the message as an .eml file; absent where the view offers its own. */
  eml?: { href: string; fileName: string };
}) {
  const { t } = useTranslation();
  const [printing, setPrinting] = useState(false);
  const [showing, setShowing] = useState(false);
  const closePrint = useCallback(() => setPrinting(false), []);
  return (
    <>
      <button
        type="button"
        className={buttonClass.ghost}
        disabled={!m.body}
        onClick={() => setPrinting(true)}
      >
        {t("messageTools.print")}
      </button>
      <button
        type="button"
        className={buttonClass.ghost}
        disabled={!loadSource}
        onClick={() => setShowing(true)}
      >
        {t("messageTools.showOriginal")}
      </button>
      {eml && (
        <a href={eml.href} download={eml.fileName} className={buttonClass.ghost}>
          {t("messageTools.downloadEml")}
        </a>
      )}
      {printing && <PrintView m={m} inline={inline} onClose={closePrint} />}
      {showing && loadSource && <SourceDialog load={loadSource} onClose={() => setShowing(false)} />}
    </>
  );
}
