import type { ImapFlow } from "imapflow";
import { execRaw } from "./raw-command";

/**
 * Server annotations (IMAP METADATA, RFC 5464): a value stored under an entry name, for the
 * whole server (mailbox "") or one mailbox. imapflow has no commands for it, so they go out
 * raw as SORT and THREAD do. Values are sent as literals: they are JSON of any length and
 * may hold UTF-8 and line breaks, which a quoted string cannot carry.
 */

/** Whether the server offers server annotations (RFC 5464 §1: METADATA, or METADATA-SERVER
 * for the server-wide ones only, which is all Pismo uses). */
export function hasServerMetadata(client: ImapFlow): boolean {
  return client.capabilities.has("METADATA") || client.capabilities.has("METADATA-SERVER");
}

interface Token {
  type?: string;
  value?: unknown;
}

function text(node: unknown): string | null {
  if (node === null || node === undefined) return null;
  const value = (node as Token).value;
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  if (typeof value === "string") return value;
  return null;
}

/**
 * `GETMETADATA "" (entry)`; the value, or null when the entry has none (NIL). The untagged
 * answer is `* METADATA "" (entry value)` (RFC 5464 §4.4.1).
 */
export async function getServerMetadata(client: ImapFlow, entry: string): Promise<string | null> {
  let found: string | null = null;
  await execRaw(client, "GETMETADATA", [{ type: "STRING", value: "" }, [{ type: "STRING", value: entry }]], {
    METADATA: (untagged: { attributes?: unknown[] }) => {
      const list = untagged.attributes?.[1];
      if (Array.isArray(list)) {
        for (let i = 0; i + 1 < list.length; i += 2) {
          if (text(list[i])?.toLowerCase() === entry.toLowerCase()) found = text(list[i + 1]);
        }
      }
      return Promise.resolve();
    },
  });
  return found;
}

/** `SETMETADATA "" (entry value)`; a null value removes the entry (RFC 5464 §4.3). */
export async function setServerMetadata(
  client: ImapFlow,
  entry: string,
  value: string | null,
): Promise<void> {
  await execRaw(
    client,
    "SETMETADATA",
    [
      { type: "STRING", value: "" },
      [
        { type: "STRING", value: entry },
        value === null ? null : { type: "LITERAL", value: Buffer.from(value, "utf8") },
      ],
    ],
    {},
  );
}
