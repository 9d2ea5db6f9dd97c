import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { emptyDraft } from "@pismo/protocol/compose";
import {
  IDENTITIES_METADATA_ENTRY,
  NO_IDENTITIES_VERSION,
  SETTINGS_FOLDER,
  defaultIdentitySettings,
  type IdentitySettings,
} from "@pismo/protocol/identities";
import {
  connectClient,
  newUser,
  rejectionCode,
  signIn,
  twoDevicesAndRaw,
  useStack,
  waitUntil,
} from "./helpers";

function settingsFor(email: string): IdentitySettings {
  const base = defaultIdentitySettings(email);
  return {
    ...base,
    signaturePlacement: "above",
    identities: [
      {
        ...base.identities[0]!,
        name: "Saša Đorđević",
        replyTo: "odgovori@pismo.test",
        signature: { text: "Saša\nPismo d.o.o.", html: "<p><b>Saša</b></p>" },
      },
      {
        id: "work",
        name: "Saša (posao)",
        address: "sasa@firma.test",
        replyTo: "",
        signature: { text: "Posao", html: null },
      },
    ],
  };
}

/** Identities on the IMAP server: a METADATA entry where Dovecot offers it, read back by another
 * session of the account; and sending as an identity through the private Postfix. */
describe("identities on a server with METADATA (RFC 5464)", () => {
  const stack = useStack({ mail: { smtp: true } });

  it("saves in a private server annotation that another device's session reads", async () => {
    const { user, one, two, raw, close } = await twoDevicesAndRaw(stack, "ids");
    try {
      expect(await one.client.identities.get.query()).toEqual({
        settings: null,
        storage: "metadata",
        version: NO_IDENTITIES_VERSION,
      });
      const settings = settingsFor(user.email);
      const saved = await one.client.identities.save.mutate({ settings, version: NO_IDENTITIES_VERSION });
      expect(saved).toEqual({ storage: "metadata", version: expect.any(String) as string });
      expect(await two.client.identities.get.query()).toEqual({
        settings,
        storage: "metadata",
        version: saved.version,
      });

      // It is the server's own annotation (any client can read it), and no folder was made for it.
      const got = await raw.command(`GETMETADATA "" (${IDENTITIES_METADATA_ENTRY})`);
      expect(got.status).toMatch(/ OK/);
      expect(JSON.parse(got.literals[0]?.toString("utf8") ?? "null")).toEqual(settings);
      const list = await raw.command('LIST "" "*"');
      expect(list.untagged.join("\n")).not.toContain(`"${SETTINGS_FOLDER}"`);

      // A value that does not validate (another program, a hand edit) reads as none saved.
      const bad = '{"version":1,"identities":[{"id":"x","address":"no"}]}';
      const set = await raw.command(
        `SETMETADATA "" (${IDENTITIES_METADATA_ENTRY} "${bad.replace(/"/g, '\\"')}")`,
      );
      expect(set.status).toMatch(/ OK/);
      expect(await two.client.identities.get.query()).toEqual({
        settings: null,
        storage: "metadata",
        version: NO_IDENTITIES_VERSION,
      });
    } finally {
      await close();
    }
  });

  it("refuses a device's save over identities another device saved since it read them", async () => {
    const { user, one, two, close } = await twoDevicesAndRaw(stack, "ids-changed");
    try {
      const settings = settingsFor(user.email);
      await one.client.identities.save.mutate({ settings, version: NO_IDENTITIES_VERSION });
      // The laptop (one) reads them; the phone (two) then removes the work identity.
      const laptop = await one.client.identities.get.query();
      const phone = await two.client.identities.get.query();
      const fewer = { ...settings, identities: settings.identities.slice(0, 1) };
      await two.client.identities.save.mutate({ settings: fewer, version: phone.version });

      // The laptop, still showing both, changes a signature: refused, and nothing is written.
      const stale = {
        ...settings,
        identities: settings.identities.map((i) => ({ ...i, signature: { text: "Nov", html: null } })),
      };
      const refused = await rejectionCode(() =>
        one.client.identities.save.mutate({ settings: stale, version: laptop.version }),
      );
      expect(refused.code).toBe("CHANGED");
      expect(refused.message).toMatch(/changed on another device/);
      const now = await one.client.identities.get.query();
      expect(now.settings).toEqual(fewer);
      // Made again over what is there now, it is saved.
      const again = { ...fewer, signaturePlacement: "below" as const };
      const saved = await one.client.identities.save.mutate({ settings: again, version: now.version });
      expect(await two.client.identities.get.query()).toEqual({
        settings: again,
        storage: "metadata",
        version: saved.version,
      });
    } finally {
      await close();
    }
  });

  it("sends From the identity's display name (RFC 2047) with its Reply-To", async () => {
    const alice = await newUser(stack, { prefix: "alice" });
    const bob = await newUser(stack, { prefix: "bob" });
    const a = connectClient(stack.gateway.url, await signIn(stack, alice.email, alice.password));
    try {
      await a.client.compose.send.mutate({
        draft: {
          ...emptyDraft(),
          from: { name: "Saša Đorđević", address: alice.email },
          replyTo: [{ name: "", address: "odgovori@pismo.test" }],
          to: [{ name: "", address: bob.email }],
          subject: "Identitet",
          text: "Zdravo\n\n-- \nSaša",
        },
        draftUid: null,
        answering: null,
      });
      let header = "";
      await waitUntil(
        async () =>
          (header = await stack.mail.doveadm(["fetch", "-u", bob.email, "hdr", "mailbox", "INBOX"])).includes(
            "Subject: Identitet",
          ),
        10_000,
        () => "bob got nothing",
      );
      // Non-ASCII display names go as encoded words (RFC 2047); a reader decodes them back.
      expect(header).toMatch(/^From: =\?UTF-8\?[BQ]\?/m);
      const raw = await stack.mail.doveadm(["fetch", "-u", bob.email, "text", "mailbox", "INBOX"]);
      const parsed = await PostalMime.parse(raw.replace(/^text:\n/, ""));
      expect(parsed.from).toEqual({ name: "Saša Đorđević", address: alice.email });
      expect(parsed.replyTo).toEqual([{ name: "", address: "odgovori@pismo.test" }]);
      expect(parsed.text).toContain("\n-- \nSaša");
    } finally {
      await a.close();
    }
  });

  it("says the SMTP server's own reason when it refuses the sender address", async () => {
    const alice = await newUser(stack, { prefix: "alice" });
    const bob = await newUser(stack, { prefix: "bob" });
    const a = connectClient(stack.gateway.url, await signIn(stack, alice.email, alice.password));
    try {
      const refused = await rejectionCode(() =>
        a.client.compose.send.mutate({
          draft: {
            ...emptyDraft(),
            from: { name: "Not me", address: bob.email },
            to: [{ name: "", address: bob.email }],
            subject: "As someone else",
            text: "x",
          },
          draftUid: null,
          answering: null,
        }),
      );
      expect(refused.code).toBe("SERVER_REFUSED");
      // Postfix's reject_sender_login_mismatch text, passed on as the server said it.
      expect(refused.message).toMatch(/refused the sender: .*Sender address rejected: not owned by user/i);
    } finally {
      await a.close();
    }
  });
});

describe("identities on a server without METADATA", () => {
  const stack = useStack({ mail: { metadata: false } });

  it("keeps them as one settings message in an unsubscribed folder of their own", async () => {
    const { user, one, two, raw, close } = await twoDevicesAndRaw(stack, "nometa");
    try {
      const caps = await raw.command("CAPABILITY");
      expect(caps.untagged.join(" ")).not.toMatch(/\bMETADATA\b/);
      expect(await one.client.identities.get.query()).toEqual({
        settings: null,
        storage: "folder",
        version: NO_IDENTITIES_VERSION,
      });

      const first = settingsFor(user.email);
      const saved = await one.client.identities.save.mutate({
        settings: first,
        version: NO_IDENTITIES_VERSION,
      });
      expect(saved).toEqual({ storage: "folder", version: expect.any(String) as string });
      const second = { ...first, signaturePlacement: "below" as const };
      const again = await one.client.identities.save.mutate({ settings: second, version: saved.version });
      expect(await two.client.identities.get.query()).toEqual({
        settings: second,
        storage: "folder",
        version: again.version,
      });
      // A save from what the first save left is of identities no longer there: refused.
      const refused = await rejectionCode(() =>
        two.client.identities.save.mutate({ settings: first, version: saved.version }),
      );
      expect(refused.code).toBe("CHANGED");
      expect((await one.client.identities.get.query()).settings).toEqual(second);

      // One message (the older one was removed), and the folder is not subscribed.
      const status = await raw.command(`STATUS "${SETTINGS_FOLDER}" (MESSAGES)`);
      expect(status.untagged.join("\n")).toMatch(/MESSAGES 1\)/);
      const lsub = await raw.command('LSUB "" "*"');
      expect(lsub.untagged.join("\n")).not.toContain(SETTINGS_FOLDER);
    } finally {
      await close();
    }
  });
});
