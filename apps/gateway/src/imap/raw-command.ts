import type { ImapFlow } from "imapflow";

/** The parts of ImapFlow's internals that a command it has no method for (UID SORT) needs. */
interface ImapFlowInternals {
  preCheck?: (() => Promise<void>) | false;
  idleStartTimer?: NodeJS.Timeout;
  exec(
    command: string,
    attributes: unknown[],
    options: { untagged?: Record<string, (untagged: never) => Promise<void>> },
  ): Promise<{ next: () => void }>;
  autoidle(): void;
}

/**
 * Runs a raw command the way ImapFlow's own methods do: first break IDLE (a command queued
 * behind a running IDLE would wait until the IDLE times out, minutes later), then re-arm IDLE
 * afterwards so that pushes keep coming.
 */
export async function execRaw(
  client: ImapFlow,
  command: string,
  attributes: unknown[],
  untagged: Record<string, (untagged: never) => Promise<void>>,
): Promise<void> {
  const c = client as unknown as ImapFlowInternals;
  if (c.idleStartTimer) clearTimeout(c.idleStartTimer);
  try {
    if (typeof c.preCheck === "function") await c.preCheck();
    const response = await c.exec(command, attributes, { untagged });
    response.next();
  } finally {
    c.autoidle();
  }
}
