import type { ImapFlow } from "imapflow";
import type { IdentitiesPort, IdentityStorage } from "@pismo/protocol/router";
import {
  IDENTITIES_METADATA_ENTRY,
  SETTINGS_FOLDER,
  SETTINGS_SUBJECT,
  identitySettingsSchema,
  parseIdentitySettings,
  type IdentitySettings,
} from "@pismo/protocol/identities";
import type { ImapContext } from "./connection";
import { getServerMetadata, hasServerMetadata, setServerMetadata } from "./metadata";

/**
 * An IMAP account's identities, kept on its server so that every device sees the same: in a
 * private server annotation (METADATA, RFC 5464) where the server offers it, else as a
 * settings message in a folder of its own (created unsubscribed, so mail clients that list
 * subscribed folders do not show it). What is read back is validated: a broken or foreign
 * value reads as "none saved" rather than failing the account.
 */
export class ImapIdentityStore implements IdentitiesPort {
  constructor(
    private readonly ctx: () => Promise<ImapContext>,
    /** Tests force the settings-message store on a server that has METADATA. */
    private readonly forceStorage?: IdentityStorage,
  ) {}

  private async storageOf(ctx: ImapContext): Promise<IdentityStorage> {
    if (this.forceStorage) return this.forceStorage;
    return ctx.onClient((client) => Promise.resolve(hasServerMetadata(client) ? "metadata" : "folder"));
  }

  async read(): Promise<{ settings: IdentitySettings | null; storage: IdentityStorage }> {
    const ctx = await this.ctx();
    const storage = await this.storageOf(ctx);
    const raw =
      storage === "metadata"
        ? await ctx.onClient((client) => getServerMetadata(client, IDENTITIES_METADATA_ENTRY))
        : await readSettingsMessage(ctx);
    if (raw === null) return { settings: null, storage };
    const parsed = parseIdentitySettings(raw);
    if (!parsed.ok) ctx.log.warn("identities.unreadable", { storage, error: parsed.error });
    return { settings: parsed.ok ? parsed.settings : null, storage };
  }

  async save(settings: IdentitySettings): Promise<{ storage: IdentityStorage }> {
    const json = JSON.stringify(identitySettingsSchema.parse(settings));
    const ctx = await this.ctx();
    const storage = await this.storageOf(ctx);
    if (storage === "metadata")
      await ctx.onClient((client) => setServerMetadata(client, IDENTITIES_METADATA_ENTRY, json));
    else await writeSettingsMessage(ctx, json);
    return { storage };
  }
}

async function folderExists(client: ImapFlow): Promise<boolean> {
  const found = await client.list({ statusQuery: {} });
  return found.some((f) => f.path === SETTINGS_FOLDER);
}

/** The newest settings message's JSON, or null when there is none (or no folder yet). */
async function readSettingsMessage(ctx: ImapContext): Promise<string | null> {
  if (!(await ctx.onClient(folderExists))) return null;
  return ctx.inFolder(SETTINGS_FOLDER, async (client, mailbox) => {
    if (mailbox.exists === 0) return null;
    const uids = (await client.search({ header: { subject: SETTINGS_SUBJECT } }, { uid: true })) || [];
    const newest = uids.length > 0 ? Math.max(...uids) : null;
    if (newest === null) return null;
    const message = await client.fetchOne(String(newest), { source: true }, { uid: true });
    return message && message.source ? bodyOf(message.source) : null;
  });
}

/** APPENDs the new settings message, then removes the older ones: a failure in between
 * leaves two copies, and the newest (the highest UID) is the one read. */
async function writeSettingsMessage(ctx: ImapContext, json: string): Promise<void> {
  await ctx.onClient(async (client) => {
    if (!(await folderExists(client))) {
      await client.mailboxCreate(SETTINGS_FOLDER);
      await client.mailboxUnsubscribe(SETTINGS_FOLDER).catch(() => undefined);
    }
  });
  const appended = await ctx.onClient((client) =>
    ctx.must(
      "save the settings message",
      () => client.append(SETTINGS_FOLDER, settingsMessage(json), ["\\Seen"]),
      {
        folder: SETTINGS_FOLDER,
      },
    ),
  );
  await ctx.inFolder(SETTINGS_FOLDER, async (client) => {
    const uids = (await client.search({ header: { subject: SETTINGS_SUBJECT } }, { uid: true })) || [];
    const newest = typeof appended.uid === "number" ? appended.uid : Math.max(...uids);
    const older = uids.filter((u) => u < newest);
    if (older.length > 0) await client.messageDelete(older.join(","), { uid: true });
  });
}

/** A small RFC 5322 message holding the JSON (base64, so any UTF-8 survives any server). */
export function settingsMessage(json: string, date = new Date()): Buffer {
  const body = Buffer.from(json, "utf8").toString("base64").replace(/.{76}/g, "$&\r\n");
  return Buffer.from(
    [
      "From: Pismo <pismo@localhost>",
      `Date: ${date.toUTCString().replace("GMT", "+0000")}`,
      `Subject: ${SETTINGS_SUBJECT}`,
      "MIME-Version: 1.0",
      "Content-Type: application/json; charset=utf-8",
      "Content-Transfer-Encoding: base64",
      "",
      body,
      "",
    ].join("\r\n"),
    "latin1",
  );
}

/** The decoded body of a settings message (base64 as written, or plain for hand-made ones). */
export function bodyOf(source: Buffer): string {
  const raw = source.toString("latin1");
  const split = raw.search(/\r?\n\r?\n/);
  if (split < 0) return "";
  const headers = raw.slice(0, split);
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, "");
  if (/^content-transfer-encoding:\s*base64/im.test(headers))
    return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  return Buffer.from(body, "latin1").toString("utf8");
}
