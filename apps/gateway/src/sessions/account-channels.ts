import { createHash } from "node:crypto";
import type { Account, MailEvent } from "@pismo/protocol/schemas";
import type { Logger } from "../log";
import { accountKey, type DurableSessions, type Session, type SessionEndReason } from "./session";

/** What one gateway tells the others about a session, on its account's channel. */
type ClusterMessage =
  | { t: "ended"; ref: string; reason: SessionEndReason }
  | { t: "let-go"; ref: string; holder: string }
  | { t: "event"; ref: string; gw: string; event: MailEvent }
  /** What the session's IMAP connection said, on the gateway `gw` that holds it. */
  | { t: "imap"; ref: string; gw: string; event: MailEvent }
  /** The gateway `gw` let go of the session and its lease (no page attached there any more). */
  | { t: "released"; ref: string; gw: string };

/** The sessions this gateway holds, as the channels need to see them. */
export interface HeldSessions {
  all(): Iterable<Session>;
  byRef(ref: string): Session | undefined;
  /** Another gateway ended the session: it leaves this one too (pages closed). */
  end(session: Session, reason: SessionEndReason): void;
}

/** The pub/sub channel of an account: every gateway holding one of its sessions listens. */
function accountChannel(account: Account): string {
  return `acct:${createHash("sha256").update(accountKey(account)).digest("base64url")}`;
}

/**
 * Messaging between gateways over the store's pub/sub, one channel per account: a session
 * ended on one gateway closes its pages on all, a gateway that takes a lease tells the old
 * holder to let go, a folder change reaches the account's pages on every gateway, and what a
 * session's IMAP connection hears (IDLE) reaches the session's pages on the gateways that do
 * not hold that connection. A gateway listens to an account's channel while it holds at least
 * one of its sessions. Without a store there is only this gateway, and events go straight to
 * its sessions.
 */
export class AccountChannels {
  /** How many sessions held here listen on each channel; subscribed while above zero. */
  private readonly listeners = new Map<string, number>();
  /** Each listened channel's subscription, settled once it is heard. */
  private readonly subscribed = new Map<string, Promise<void>>();

  constructor(
    private readonly durable: DurableSessions | undefined,
    private readonly held: HeldSessions,
    private readonly log: Logger,
  ) {}

  /** Tells the account's other sessions, here and on every other gateway, and `from`'s pages on
   * the other gateways, of a change made through `from` here (its mail told its pages here). */
  announce(from: Session, event: MailEvent): void {
    const durable = this.durable;
    if (!durable) {
      this.deliver(from.account, event, (s) => s !== from);
      return;
    }
    void this.send(from.account, { t: "event", ref: from.ref, gw: durable.gatewayId, event });
  }

  /** Tells the session's pages on the other gateways what its IMAP connection, held here, said. */
  relay(from: Session, event: MailEvent): void {
    const durable = this.durable;
    if (durable) void this.send(from.account, { t: "imap", ref: from.ref, gw: durable.gatewayId, event });
  }

  /** This gateway let go of the session's lease: a gateway whose pages listen opens it. */
  released(session: Session): Promise<void> {
    const durable = this.durable;
    if (!durable) return Promise.resolve();
    return this.send(session.account, { t: "released", ref: session.ref, gw: durable.gatewayId });
  }

  /** Every gateway that holds the session closes its pages. */
  ended(session: Session, reason: SessionEndReason): Promise<void> {
    return this.send(session.account, { t: "ended", ref: session.ref, reason });
  }

  /** The gateway named `holder` lets go of the session's IMAP connection (its lease was taken). */
  letGo(session: Session, holder: string): Promise<void> {
    return this.send(session.account, { t: "let-go", ref: session.ref, holder });
  }

  /** A session of the account is held here: hear what other gateways say about it. Resolves
   * once the channel is heard (what was said before then is not: Redis keeps no messages). */
  listen(account: Account): Promise<void> {
    const durable = this.durable;
    if (!durable) return Promise.resolve();
    const channel = accountChannel(account);
    const count = this.listeners.get(channel) ?? 0;
    this.listeners.set(channel, count + 1);
    let subscribed = this.subscribed.get(channel);
    if (count > 0 && subscribed) return subscribed;
    subscribed = durable.records
      .subscribe(channel, (text) => this.onMessage(channel, text))
      .catch((error: unknown) => this.log.warn("session.subscribe_failed", { error }));
    this.subscribed.set(channel, subscribed);
    return subscribed;
  }

  /** A session of the account left this gateway; the last one to go unsubscribes. */
  unlisten(account: Account): void {
    const durable = this.durable;
    if (!durable) return;
    const channel = accountChannel(account);
    const count = (this.listeners.get(channel) ?? 1) - 1;
    if (count > 0) {
      this.listeners.set(channel, count);
      return;
    }
    this.listeners.delete(channel);
    this.subscribed.delete(channel);
    durable.records.unsubscribe(channel).catch(() => undefined);
  }

  /** Lets go unless the lease is this gateway's again: two gateways that took it at once each
   * tell the other to let go, and only the one that took it last must. */
  private async letGoUnlessRetaken(session: Session): Promise<void> {
    const durable = this.durable;
    const holder = await durable?.records.leaseHolder(session.ref).catch(() => null);
    if (durable && holder === durable.gatewayId) return;
    this.log.info("session.let_go", { user: session.account.email });
    await session.mail?.letGo({ handedOver: true });
  }

  private deliver(account: Account, event: MailEvent, accept: (s: Session) => boolean): void {
    const key = accountKey(account);
    for (const s of this.held.all()) if (accountKey(s.account) === key && accept(s)) s.mail?.notify(event);
  }

  /** A failed publish is logged, not thrown: the caller's own work (sign-out, lease) stands. */
  private async send(account: Account, message: ClusterMessage): Promise<void> {
    try {
      await this.durable?.records.publish(accountChannel(account), JSON.stringify(message));
    } catch (error) {
      this.log.warn("session.publish_failed", { error });
    }
  }

  private onMessage(channel: string, text: string): void {
    let message: ClusterMessage;
    try {
      message = JSON.parse(text) as ClusterMessage;
    } catch {
      return;
    }
    const gatewayId = this.durable?.gatewayId;
    const session = this.held.byRef(message.ref);
    switch (message.t) {
      case "ended":
        if (session) this.held.end(session, message.reason);
        break;
      case "let-go":
        if (session && message.holder === gatewayId) void this.letGoUnlessRetaken(session);
        break;
      case "imap":
        if (session && message.gw !== gatewayId) session.mail?.relayed(message.event);
        break;
      case "released":
        if (session && message.gw !== gatewayId) void session.mail?.keepListened();
        break;
      case "event": {
        // Not to the session that made the change through this gateway: its mail told its pages
        // here, all but the one that made it (LeasedMail.tell).
        const from = message;
        for (const s of this.held.all())
          if (accountChannel(s.account) === channel && !(s.ref === from.ref && from.gw === gatewayId))
            s.mail?.notify(from.event);
        break;
      }
    }
  }
}
