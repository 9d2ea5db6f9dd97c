import { describe, expect, it } from "vitest";
import {
  arrivedAfterUid,
  arrivedSince,
  isWatchingInbox,
  newInInbox,
  notePlacedInInbox,
  notificationText,
  type NewMail,
} from "./new-mail";

const words = {
  several: (count: number) => `${count} new messages`,
  noSubject: "(no subject)",
  unknownSender: "New message",
};

describe("whether the user already sees new Inbox mail", () => {
  it("is watching only with the tab shown, the window focused and the Inbox on screen", () => {
    expect(isWatchingInbox({ visible: true, focused: true, viewingInbox: true })).toBe(true);
  });

  it("is not watching a hidden tab, a window behind another, or another folder", () => {
    expect(isWatchingInbox({ visible: false, focused: true, viewingInbox: true })).toBe(false);
    expect(isWatchingInbox({ visible: true, focused: false, viewingInbox: true })).toBe(false);
    expect(isWatchingInbox({ visible: true, focused: true, viewingInbox: false })).toBe(false);
  });
});

describe("which messages are new", () => {
  it("IMAP: the UIDs above the highest one seen before", () => {
    const rows = [{ uid: 12 }, { uid: 11 }, { uid: 10 }, { uid: 9 }];
    expect(arrivedAfterUid(10, rows)).toEqual([{ uid: 12 }, { uid: 11 }]);
    expect(arrivedAfterUid(12, rows)).toEqual([]);
  });

  it("IMAP: unread, and not moved into the Inbox by this page (Not spam, an Undo), which gives a new UID too", () => {
    const rows = [
      { uid: 14, seen: false },
      { uid: 13, seen: false },
      { uid: 12, seen: true },
      { uid: 11, seen: false },
      { uid: 10, seen: false },
    ];
    notePlacedInInbox([13]);
    expect(newInInbox(10, rows)).toEqual([
      { uid: 14, seen: false },
      { uid: 11, seen: false },
    ]);
  });

  it("POP3: the ones that were not in the Inbox before the pull, newest first", () => {
    const before = new Set(["a", "b"]);
    expect(arrivedSince(before, [{ id: "d" }, { id: "a" }, { id: "c" }, { id: "b" }])).toEqual([
      { id: "d" },
      { id: "c" },
    ]);
  });
});

describe("what the notification says", () => {
  const one: NewMail = { id: "7", from: "Ana Anić", subject: "Sastanak u petak" };

  it("one message: its sender and subject, and a click opens it", () => {
    expect(notificationText([one], words)).toEqual({
      title: "Ana Anić",
      body: "Sastanak u petak",
      open: one,
    });
  });

  it("several: one notification with the count and the newest message", () => {
    const older: NewMail = { id: "6", from: "Marko", subject: "Ponuda" };
    expect(notificationText([one, older], words)).toEqual({
      title: "2 new messages",
      body: "Ana Anić: Sastanak u petak",
      open: one,
    });
  });

  it("fills in a missing sender or subject, and says nothing for no mail", () => {
    expect(notificationText([{ id: "1", from: " ", subject: "" }], words)).toMatchObject({
      title: "New message",
      body: "(no subject)",
    });
    expect(notificationText([], words)).toBeNull();
  });
});
