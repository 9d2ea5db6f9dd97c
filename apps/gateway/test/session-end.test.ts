import type { Pop3PullEvent } from "@pismo/protocol/pop3";
import { describe, expect, it } from "vitest";
import {
  collectEvents,
  connectClient,
  connectUntilClosed,
  imapConnections,
  makeUsers,
  pop3Uids,
  rejectionCode,
  removeAfterPullPolicy,
  signIn,
  signInRaw,
  signOut,
  useStack,
  waitUntil,
  type TestStack,
} from "./helpers";

// A session ends everywhere at once: every WebSocket opened with its cookie (another tab, a
// stolen cookie) is closed by the gateway, calls on it fail NOT_SIGNED_IN, and a POP3 pull in
// flight stops without deleting anything.

async function pop3Connections(stack: TestStack, user: string): Promise<number> {
  const out = await stack.mail.doveadm(["who", "-1", user]).catch(() => "");
  return out.split("\n").filter((line) => line.includes(user) && /\bpop3\b/.test(line)).length;
}

describe("sign-out ends the session on every socket", () => {
  const [imapUser, pop3User, pullUser] = makeUsers(3);
  const stack = useStack({ mail: { users: [imapUser!, pop3User!, pullUser!] } });

  it("closes the other socket of a signed-out session, whose calls then fail NOT_SIGNED_IN", async () => {
    const signedIn = await signInRaw(stack, {
      protocol: "pop3",
      email: pop3User!.email,
      password: pop3User!.password,
    });
    const cookie = signedIn.cookie ?? "";
    const a = connectClient(stack.gateway.url, cookie);
    const b = connectUntilClosed(stack.gateway.url, cookie);
    try {
      expect(await a.client.session.current.query()).toMatchObject({ email: pop3User!.email });
      expect(await b.client.pop3.ack.mutate({ pullId: "none", uid: "none" })).toBe(false);
      // Sign out from the first tab.
      expect((await signOut(stack, cookie)).status).toBe(200);
      expect(await b.untilClosed(5_000, () => "the gateway did not close the other socket")).toBe(4401);
      const refused = await rejectionCode(() => b.client.pop3.ack.mutate({ pullId: "none", uid: "none" }));
      expect(refused.code).toBe("NOT_SIGNED_IN");
      expect(await b.client.session.current.query()).toBeNull();
    } finally {
      void a.close();
      void b.close();
    }
  });

  it("closes the IMAP sockets of a session signed out elsewhere", async () => {
    const cookie = await signIn(stack, imapUser!.email, imapUser!.password);
    const other = connectUntilClosed(stack.gateway.url, cookie);
    const events = collectEvents(other.client);
    try {
      await waitUntil(() => events.started);
      expect((await other.client.imap.folders.query()).length).toBeGreaterThan(0);
      await signOut(stack, cookie);
      expect(await other.untilClosed(5_000, () => "socket still open")).toBe(4401);
      expect((await rejectionCode(() => other.client.imap.folders.query())).code).toBe("NOT_SIGNED_IN");
      expect(await imapConnections(stack.mail, imapUser!.email)).toBe(0);
    } finally {
      events.unsubscribe();
      void other.close();
    }
  });

  it("aborts a POP3 pull in flight at sign-out; the server keeps every message", async () => {
    const { email, password } = pullUser!;
    for (let i = 1; i <= 5; i += 1)
      await stack.mail.deliver(
        email,
        `Subject: m${i}\r\nMessage-ID: <se${i}@x>\r\n\r\n${"line\r\n".repeat(200)}`,
      );
    const before = await pop3Uids(stack.mail, email, password);
    expect(before).toHaveLength(5);
    const signedIn = await signInRaw(stack, { protocol: "pop3", email, password });
    const cookie = signedIn.cookie ?? "";
    const tab = connectClient(stack.gateway.url, cookie);
    const events: Pop3PullEvent[] = [];
    let pullId = "";
    let ended = false;
    try {
      tab.client.pop3.pull.subscribe(
        { known: [], policy: removeAfterPullPolicy },
        {
          onData(event) {
            events.push(event);
            if (event.type === "started") pullId = event.pullId;
            // The browser stores and acknowledges the first message only.
            if (event.type === "message" && events.filter((e) => e.type === "message").length === 1)
              void tab.client.pop3.ack.mutate({ pullId, uid: event.uid }).catch(() => undefined);
          },
          onError: () => (ended = true),
          onComplete: () => (ended = true),
        },
      );
      await waitUntil(() => events.filter((e) => e.type === "message").length >= 2, 10_000);
      expect(await pop3Connections(stack, email)).toBe(1);

      await signOut(stack, cookie);
      // The pull's POP3 connection is dropped at once, not when the acknowledgement times out.
      await waitUntil(
        async () => (await pop3Connections(stack, email)) === 0,
        5_000,
        () => "the pull still holds its POP3 connection",
      );
      await waitUntil(() => ended || events.some((e) => e.type === "error"), 5_000);
      expect(events.some((e) => e.type === "done")).toBe(false);
      expect(await pop3Uids(stack.mail, email, password)).toEqual(before);
    } finally {
      void tab.close();
    }
  });
});

describe("a session ends after PISMO_SESSION_MAX_HOURS even with a browser attached", () => {
  const [user] = makeUsers(1);
  // 0.0005 h = 1.8 s.
  const stack = useStack({ env: { PISMO_SESSION_MAX_HOURS: "0.0005" }, mail: { users: [user!] } });

  it("closes the open socket and the IMAP connection at the absolute lifetime", async () => {
    const cookie = await signIn(stack, user!.email, user!.password);
    const tab = connectUntilClosed(stack.gateway.url, cookie);
    const events = collectEvents(tab.client);
    try {
      await waitUntil(() => events.started);
      expect(await imapConnections(stack.mail, user!.email)).toBe(1);
      expect(await tab.untilClosed(10_000, () => "the socket of an expired session is still open")).toBe(
        4401,
      );
      await waitUntil(async () => (await imapConnections(stack.mail, user!.email)) === 0, 5_000);
      expect(stack.gateway.sessions.size).toBe(0);
      expect(await tab.client.session.current.query()).toBeNull();
    } finally {
      events.unsubscribe();
      void tab.close();
    }
  });
});

describe("a session whose password the server no longer takes", () => {
  const [user] = makeUsers(1);
  const stack = useStack({ mail: { users: [user!] } });

  it("ends when a reconnect is refused (the password changed on another device), instead of retrying for ever", async () => {
    const cookie = await signIn(stack, user!.email, user!.password);
    const tab = connectUntilClosed(stack.gateway.url, cookie);
    const events = collectEvents(tab.client);
    try {
      await waitUntil(() => events.started);
      await waitUntil(async () => (await imapConnections(stack.mail, user!.email)) === 1, 5_000);
      // The password changes on the server, and the server drops the connection.
      await stack.mail.addUser({ ...user!, password: "nova-lozinka-2026" });
      await stack.mail.doveadm(["kick", user!.email]);
      // The session ends like one that expired: its sockets close, and it is gone.
      expect(
        await tab.untilClosed(
          15_000,
          () => `the session is still open; events: ${JSON.stringify(events.events)}`,
        ),
      ).toBe(4401);
      expect(stack.gateway.sessions.size).toBe(0);
      expect(await tab.client.session.current.query()).toBeNull();
      expect(await imapConnections(stack.mail, user!.email)).toBe(0);
    } finally {
      events.unsubscribe();
      void tab.close();
    }
  });
});
