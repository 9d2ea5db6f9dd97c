import type { ImapFlow } from "imapflow";
import type { z } from "zod";
import { MailError } from "@pismo/protocol/errors";
import { SETTINGS_FOLDER } from "@pismo/protocol/identities";
import type { IdentityStorage } from "@pismo/protocol/router";
import type { ImapContext } from "./context";
import { getServerMetadata, hasServerMetadata, setServerMetadata } from "./metadata";

export interface SettingsEntryOptions<T> {
  /** What it holds, in logs and errors ("identities", "contacts"). */
  label: string;
  /** The private server annotation it is kept in (RFC 5464 §3.2: /private/vendor/...). */
  entry: string;
  /** Its settings message's Subject in the settings folder (servers without METADATA). */
  subject: string;
  /** What is read back must validate; what is saved is checked by it too. */
  schema: z.ZodType<T>;
  /** Refuses to save more JSON than this (UTF-8 bytes). */
  maxBytes?: number;
  /** Tests force the settings-message store on a server that has METADATA. */
  forceStorage?: IdentityStorage;
}

/**
 * One JSON settings document of an IMAP account, kept on its server so that every device sees
 * the same: in a private server annotation (METADATA, RFC 5464) where the server offers it,
 * else as a settings message with a Subject of its own in a folder of its own (created
 * unsubscribed, so mail clients that list subscribed folders do not show it). What is read
 * back is validated: a broken or foreign value reads as "none saved" rather than failing the
 * account.
 */
export class ImapSettingsEntry<T> {
  constructor(
    private readonly ctx: () => Promise<ImapContext>,
    private readonly opts: SettingsEntryOptions<T>,
  ) {}

  private async storageOf(ctx: ImapContext): Promise<IdentityStorage> {
    if (this.opts.forceStorage) return this.opts.forceStorage;
    return ctx.onClient((client) => Promise.resolve(hasServerMetadata(client) ? "metadata" : "folder"));
  }

  async read(): Promise<{ value: T | null; storage: IdentityStorage }> {
    const ctx = await this.ctx();
    const storage = await this.storageOf(ctx);
    const raw =
      storage === "metadata"
        ? await ctx.onClient((client) => getServerMetadata(client, this.opts.entry))
        : await readSettingsMessage(ctx, this.opts.subject);
    if (raw === null) return { value: null, storage };
    const parsed = this.parse(raw);
    if (!parsed.ok) ctx.log.warn(`${this.opts.label}.unreadable`, { storage, error: parsed.error });
    return { value: parsed.ok ? parsed.value : null, storage };
  }

  async save(value: T): Promise<{ storage: IdentityStorage }> {
    const json = JSON.stringify(this.opts.schema.parse(value));
    const bytes = Buffer.byteLength(json, "utf8");
    if (this.opts.maxBytes !== undefined && bytes > this.opts.maxBytes)
      throw new MailError(
        "BAD_INPUT",
        `The ${this.opts.label} are too large to keep on the server (${Math.ceil(bytes / 1024)} KB; at most ${Math.floor(this.opts.maxBytes / 1024)} KB).`,
      );
    const ctx = await this.ctx();
    const storage = await this.storageOf(ctx);
    if (storage === "metadata")
      await ctx.onClient((client) => setServerMetadata(client, this.opts.entry, json));
    else await writeSettingsMessage(ctx, this.opts.subject, json);
    return { storage };
  }

  private parse(raw: string): { ok: true; value: T } | { ok: false; error: string } {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return { ok: false, error: `The ${this.opts.label} are not valid JSON.` };
    }
    const parsed = this.opts.schema.safeParse(value);
    if (parsed.success) return { ok: true, value: parsed.data };
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    return {
      ok: false,
      error: `The ${this.opts.label} are not valid (${where}${issue?.message ?? "unknown"}).`,
    };
  }
}

async function folderExists(client: ImapFlow): Promise<boolean> {
  const found = await client.list({ statusQuery: {} });
  return found.some((f) => f.path === SETTINGS_FOLDER);
}

/** The UIDs of the messages with exactly this Subject (SEARCH SUBJECT matches a substring). */
async function settingsUids(client: ImapFlow, subject: string): Promise<number[]> {
  const found = (await client.search({ header: { subject } }, { uid: true })) || [];
  if (found.length === 0) return [];
  const exact: number[] = [];
  for await (const m of client.fetch(found.join(","), { envelope: true }, { uid: true }))
    if (m.envelope?.subject === subject) exact.push(m.uid);
  return exact;
}

/** The newest settings message's JSON, or null when there is none (or no folder yet). */
async function readSettingsMessage(ctx: ImapContext, subject: string): Promise<string | null> {
  if (!(await ctx.onClient(folderExists))) return null;
  return ctx.inFolder(SETTINGS_FOLDER, async (client, mailbox) => {
    if (mailbox.exists === 0) return null;
    const uids = await settingsUids(client, subject);
    const newest = uids.length > 0 ? Math.max(...uids) : null;
    if (newest === null) return null;
    const message = await client.fetchOne(String(newest), { source: true }, { uid: true });
    return message && message.source ? bodyOf(message.source) : null;
  });
}

/** APPENDs the new settings message, then removes the older ones with its Subject: a failure
 * in between leaves two copies, and the newest (the highest UID) is the one read. */
async function writeSettingsMessage(ctx: ImapContext, subject: string, json: string): Promise<void> {
  await ctx.onClient(async (client) => {
    if (!(await folderExists(client))) {
      await client.mailboxCreate(SETTINGS_FOLDER);
      await client.mailboxUnsubscribe(SETTINGS_FOLDER).catch(() => undefined);
    }
  });
  const appended = await ctx.onClient((client) =>
    ctx.must(
      "save the settings message",
      () => client.append(SETTINGS_FOLDER, settingsMessage(json, subject), ["\\Seen"]),
      { folder: SETTINGS_FOLDER },
    ),
  );
  await ctx.inFolder(SETTINGS_FOLDER, async (client) => {
    const uids = await settingsUids(client, subject);
    const newest = typeof appended.uid === "number" ? appended.uid : Math.max(...uids);
    const older = uids.filter((u) => u < newest);
    if (older.length > 0) await client.messageDelete(older.join(","), { uid: true });
  });
}

/** A small RFC 5322 message holding the JSON (base64, so any UTF-8 survives any server). */
export function settingsMessage(json: string, subject: string, date = new Date()): Buffer {
  const body = Buffer.from(json, "utf8").toString("base64").replace(/.{76}/g, "$&\r\n");
  return Buffer.from(
    [
      "From: Pismo <pismo@localhost>",
      `Date: ${date.toUTCString().replace("GMT", "+0000")}`,
      `Subject: ${subject}`,
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
