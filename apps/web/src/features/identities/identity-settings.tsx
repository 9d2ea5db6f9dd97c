"use client";

import type { TFunction } from "@/i18n/translate";
import { useEffect, useId, useState, type KeyboardEvent } from "react";
import { useTranslation } from "@/i18n/react";
import {
  identitySettingsSchema,
  type Identity,
  type IdentitySettings,
  type SignaturePlacement,
} from "@pismo/protocol/identities";
import { emailAddressPattern } from "@pismo/protocol/compose";
import type { Account } from "@pismo/protocol/schemas";
import { buttonClass } from "@/components/ui/dialog";
import { describeError } from "@/lib/errors";
import { focusOnMount } from "@/lib/focus-on-mount";
import { focusAfterRemoval } from "@/lib/focus-when-there";
import { intoViewOnMount } from "@/lib/into-view-on-mount";
import { sanitizeComposeHtml } from "../compose/compose-sanitizer";
import { RichEditor } from "../compose/rich-editor";
import { SettingsSection, useUnsavedInSettings } from "../filters/settings-dialog";
import { useNeededIdentities } from "./identities-context";
import { randomId } from "@pismo/protocol/ids";

const inputClass =
  "w-full min-w-0 rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm disabled:opacity-60 dark:border-slate-600 dark:bg-slate-800";

function newIdentity(): Identity {
  return {
    id: `id-${randomId().slice(0, 8)}`,
    name: "",
    address: "",
    replyTo: "",
    signature: { text: "", html: null },
  };
}

function textOf(html: string): string {
  const doc = new DOMParser().parseFromString(html, "text/html");
  // Block elements and <br> as line breaks, as the rich editor shows them.
  doc.querySelectorAll("br").forEach((br) => br.replaceWith("\n"));
  doc.querySelectorAll("p, div, li").forEach((el) => el.append("\n"));
  return (doc.body.textContent ?? "").replace(/\n{3,}/g, "\n\n").trim();
}

/** What is wrong with the settings, in the user's words; null when they can be saved. */
function problemOf(settings: IdentitySettings, t: TFunction): string | null {
  const seen = new Set<string>();
  for (const i of settings.identities) {
    const address = i.address.trim();
    if (!emailAddressPattern.test(address)) return t("identities.invalidAddress", { address });
    if (i.replyTo.trim() && !emailAddressPattern.test(i.replyTo.trim()))
      return t("identities.invalidAddress", { address: i.replyTo.trim() });
    if (seen.has(address.toLowerCase())) return t("identities.duplicate", { address });
    seen.add(address.toLowerCase());
  }
  return null;
}

/** What the identities schema refused, in the form's words (its own messages are for logs). */
function schemaProblem(path: readonly PropertyKey[], t: TFunction): string {
  if (path.includes("signature")) return t("identities.signatureTooLong");
  if (path.includes("name")) return t("identities.nameTooLong");
  if (path.length === 1 && path[0] === "identities") return t("identities.tooMany");
  return t("errors.BAD_INPUT");
}

/**
 * Settings' `Identities` and `Signature` sections, for both protocols: the names and
 * addresses the user sends as (the first is the account's own), and a signature for each,
 * plain and rich, with where it goes in replies and forwards. Saved together.
 */
export function IdentitySettingsSections({
  account,
  storedWhere,
}: {
  account: Account;
  storedWhere: "server" | "browser";
}) {
  const { t } = useTranslation();
  const api = useNeededIdentities(account);
  // Read again as the editor opens: what it starts from is then what is stored now, and a
  // save from it is not refused for a change another device made long before (see save).
  const { refresh } = api;
  useEffect(() => refresh(), [refresh]);
  const id = useId();
  // The form edits a copy. A newer stored version (another device, read again when the tab
  // comes back or when a save was refused) replaces a copy not edited; an edited one stays, with
  // a note that Save then puts it in place of theirs: what was typed is never dropped unasked.
  const [edit, setEdit] = useState<{ base: IdentitySettings; value: IdentitySettings } | null>(null);
  const value = edit ? edit.value : api.settings;
  const dirty = edit !== null;
  const changedMeanwhile = edit !== null && edit.base !== api.settings;
  useUnsavedInSettings(dirty);
  const [chosen, setChosen] = useState<string | null>(null);
  const [status, setStatus] = useState<{ kind: "saved" | "error"; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  // The identity Add identity made: its first field takes the focus.
  const [added, setAdded] = useState<string | null>(null);

  const change = (next: IdentitySettings) => {
    setStatus(null);
    // Based on what was shown when editing began: a later read does not make it theirs.
    setEdit((e) => ({ base: e?.base ?? api.settings, value: next }));
  };
  const patchIdentity = (identityId: string, patch: Partial<Identity>) =>
    change({
      ...value,
      identities: value.identities.map((i) => (i.id === identityId ? { ...i, ...patch } : i)),
    });
  const current = value.identities.find((i) => i.id === chosen) ?? value.identities[0]!;
  // Enter in a one-line field saves, as in a form; what is wrong is said at Save, in view.
  const enterSaves = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== "Enter" || e.nativeEvent.isComposing || e.shiftKey || e.ctrlKey || e.metaKey || e.altKey)
      return;
    e.preventDefault();
    if (dirty && !saving) void save();
  };

  async function save() {
    const trimmed: IdentitySettings = {
      ...value,
      identities: value.identities.map((i) => {
        const html = i.signature.html?.trim() ? sanitizeComposeHtml(i.signature.html) : null;
        // A plain signature left empty is the rich one's text, for plain-text mail.
        const text = i.signature.text.trim() || (html ? textOf(html) : "");
        return {
          ...i,
          name: i.name.trim(),
          address: i.address.trim(),
          replyTo: i.replyTo.trim(),
          signature: { text, html },
        };
      }),
    };
    const problem = problemOf(trimmed, t);
    const parsed = identitySettingsSchema.safeParse(trimmed);
    if (problem || !parsed.success) {
      setStatus({
        kind: "error",
        text: problem ?? schemaProblem(parsed.error?.issues[0]?.path ?? [], t),
      });
      return;
    }
    setSaving(true);
    try {
      await api.save(parsed.data);
      setEdit(null);
      setStatus({ kind: "saved", text: t("identities.saved") });
    } catch (e) {
      // The form keeps what was typed: nothing is lost by a failed save. Refused because another
      // device saved since (CHANGED), the identities stored now were read before the refusal
      // came, and the note says that a second Save puts this edit in place of them.
      setStatus({
        kind: "error",
        text: describeError(e, t, { CHANGED: t("identities.changedElsewhere") }),
      });
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <SettingsSection title={t("identities.title")}>
        <p className="text-xs text-slate-500">
          {t("identities.hint")}{" "}
          {t(storedWhere === "server" ? "identities.hintServer" : "identities.hintBrowser")}
        </p>
        {!api.loaded && <p className="text-xs text-slate-500">{t("identities.loading")}</p>}
        <ul className="space-y-3">
          {value.identities.map((identity, n) => (
            <li key={identity.id}>
              <fieldset className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-700">
                <legend className="px-1 text-xs font-medium text-slate-500">
                  {n === 0 ? t("identities.primary") : t("identities.identity", { n: n + 1 })}
                </legend>
                <div className="grid gap-2 sm:grid-cols-2">
                  <label className="space-y-1">
                    <span className="block text-xs">{t("identities.name")}</span>
                    <input
                      ref={identity.id === added ? focusOnMount : undefined}
                      className={inputClass}
                      value={identity.name}
                      maxLength={200}
                      onKeyDown={enterSaves}
                      onChange={(e) =>
                        patchIdentity(identity.id, { name: e.target.value.replace(/[\r\n]/g, "") })
                      }
                    />
                  </label>
                  <label className="space-y-1">
                    <span className="block text-xs">{t("identities.address")}</span>
                    <input
                      className={inputClass}
                      type="email"
                      value={identity.address}
                      // The account's own address is the one it signs in with.
                      disabled={n === 0}
                      onKeyDown={enterSaves}
                      onChange={(e) => patchIdentity(identity.id, { address: e.target.value })}
                    />
                  </label>
                  <label className="space-y-1 sm:col-span-2">
                    <span className="block text-xs">{t("identities.replyTo")}</span>
                    <input
                      className={inputClass}
                      type="email"
                      value={identity.replyTo}
                      onKeyDown={enterSaves}
                      onChange={(e) => patchIdentity(identity.id, { replyTo: e.target.value })}
                    />
                  </label>
                </div>
                {n > 0 && (
                  <button
                    type="button"
                    className={buttonClass.ghost}
                    aria-label={t("identities.removeNamed", {
                      address: identity.address || t("identities.identity", { n: n + 1 }),
                    })}
                    data-remove=""
                    onClick={(e) => {
                      const list = e.currentTarget.closest("ul");
                      change({ ...value, identities: value.identities.filter((i) => i.id !== identity.id) });
                      // With none left to remove, the focus goes to Add identity (after the list).
                      focusAfterRemoval(list, n - 1, () =>
                        list?.nextElementSibling instanceof HTMLElement ? list.nextElementSibling : null,
                      );
                    }}
                  >
                    {t("identities.remove")}
                  </button>
                )}
              </fieldset>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className={buttonClass.secondary}
          onClick={() => {
            const fresh = newIdentity();
            setAdded(fresh.id);
            change({ ...value, identities: [...value.identities, fresh] });
          }}
        >
          {t("identities.add")}
        </button>
      </SettingsSection>

      <SettingsSection title={t("identities.signature")}>
        {value.identities.length > 1 && (
          <label className="flex flex-wrap items-center gap-2">
            <span className="text-xs">{t("identities.signatureFor")}</span>
            <select
              className={`${inputClass} w-auto`}
              value={current.id}
              onChange={(e) => setChosen(e.target.value)}
            >
              {value.identities.map((i, n) => (
                <option key={i.id} value={i.id}>
                  {i.address || t("identities.identity", { n: n + 1 })}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="block space-y-1">
          <span className="block text-xs">{t("identities.plain")}</span>
          <textarea
            className={`${inputClass} min-h-20 font-mono`}
            value={current.signature.text}
            onChange={(e) =>
              patchIdentity(current.id, { signature: { ...current.signature, text: e.target.value } })
            }
          />
        </label>
        <div className="space-y-1">
          <span className="block text-xs" id={`${id}-rich`}>
            {t("identities.rich")}
          </span>
          <div className="flex h-40 flex-col overflow-hidden rounded-lg border border-slate-300 dark:border-slate-600">
            <RichEditor
              // A fresh editor per identity: it takes its HTML only when it starts.
              key={current.id}
              initialHtml={current.signature.html ?? ""}
              label={t("identities.richToolbar")}
              bodyLabel={t("identities.rich")}
              onChange={(html, text) =>
                patchIdentity(current.id, {
                  signature: { ...current.signature, html: text.trim() || /<img/i.test(html) ? html : null },
                })
              }
            />
          </div>
        </div>
        <p className="text-xs text-slate-500">{t("identities.separatorHint")}</p>
        <fieldset className="space-y-1">
          <legend className="text-xs font-medium">{t("identities.placement")}</legend>
          {(["above", "below"] as const satisfies readonly SignaturePlacement[]).map((p) => (
            <label key={p} className="flex items-center gap-2">
              <input
                type="radio"
                name={`${id}-placement`}
                checked={value.signaturePlacement === p}
                onChange={() => change({ ...value, signaturePlacement: p })}
              />
              {t(p === "above" ? "identities.above" : "identities.below")}
            </label>
          ))}
        </fieldset>
        <div className="flex flex-wrap items-center gap-2">
          <button
            type="button"
            className={buttonClass.primary}
            disabled={saving || !dirty}
            onClick={() => void save()}
          >
            {t("identities.save")}
          </button>
          {status?.kind === "saved" && (
            <span role="status" className="text-xs text-emerald-700 dark:text-emerald-400">
              {status.text}
            </span>
          )}
        </div>
        {changedMeanwhile && status?.kind !== "error" && (
          <p
            role="note"
            className="rounded-lg bg-amber-50 px-3 py-2 text-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
          >
            {t("identities.changedElsewhere")}
          </p>
        )}
        {status?.kind === "error" && (
          <p
            // In view when it comes: Enter in an identity's field (a section above) saves too.
            ref={intoViewOnMount}
            role="alert"
            className="rounded-lg bg-red-50 px-3 py-2 text-red-800 dark:bg-red-950/40 dark:text-red-200"
          >
            {status.text}
          </p>
        )}
      </SettingsSection>
    </>
  );
}
