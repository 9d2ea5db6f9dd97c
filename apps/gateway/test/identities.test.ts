import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { emptyDraft } from "@pismo/protocol/compose";
import {
  IDENTITIES_METADATA_ENTRY,
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
      expect(await one.client.identities.get.query()).toEqual({ settings: null, storage: "metadata" });
      const settings = settingsFor(user.email);
      expect(await one.client.identities.save.mutate({ settings })).toEqual({ storage: "metadata" });
      expect(await two.client.identities.get.query()).toEqual({ settings, storage: "metadata" });

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
      expect(await two.client.identities.get.query()).toEqual({ settings: null, storage: "metadata" });
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
      expect(await one.client.identities.get.query()).toEqual({ settings: null, storage: "folder" });

      const first = settingsFor(user.email);
      expect(await one.client.identities.save.mutate({ settings: first })).toEqual({ storage: "folder" });
      const second = { ...first, signaturePlacement: "below" as const };
      await one.client.identities.save.mutate({ settings: second });
      expect(await two.client.identities.get.query()).toEqual({ settings: second, storage: "folder" });

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
