import { expect, test } from "../fixtures/stack";
import { checkMail, messageRows, serverUids, signInPop3 } from "../fixtures/pop3";

// A pull brings the messages' bytes on a WebSocket of their own, in binary frames; the tRPC
// socket carries only the pull's small events (no base64 body in JSON). What arrives is the
// message as stored: 8-bit windows-1250 text reads as written.
test("a pull's bodies come in binary frames on their own socket, and 8-bit text arrives intact", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("bodies");
  const raw = Buffer.concat([
    Buffer.from("From: Posiljalac <p@primer.rs>\r\nTo: someone@pismo.test\r\nSubject: Osmobitna\r\n"),
    Buffer.from("Content-Type: text/plain; charset=windows-1250\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"),
    // "Šaša čćđž" in windows-1250
    Buffer.from([0x8a, 0x61, 0x9a, 0x61, 0x20, 0xe8, 0xe6, 0xf0, 0x9e, 0x0d, 0x0a]),
  ]);
  await stack.mail.deliver(user.email, raw);
  for (let i = 2; i <= 3; i += 1)
    await stack.mail.deliver(user.email, `Subject: Poruka ${i}\r\n\r\nTelo ${i}.\r\n`);

  let binaryFrames = 0;
  let textOnBodies = 0;
  let bodyInJson = false;
  page.on("websocket", (ws) => {
    const path = new URL(ws.url()).pathname;
    ws.on("framereceived", ({ payload }) => {
      if (path === "/pop3-bodies") {
        if (typeof payload === "string") textOnBodies += 1;
        else binaryFrames += 1;
      } else if (path === "/trpc" && typeof payload === "string" && payload.includes('"type":"message"')) {
        bodyInJson = true;
      }
    });
  });

  await signInPop3(page, user);
  await checkMail(page);
  await expect(page.getByText("New messages downloaded: 3.").first()).toBeVisible();
  await expect(messageRows(page)).toHaveCount(3);
  expect(binaryFrames).toBe(3);
  expect(textOnBodies).toBe(0);
  expect(bodyInJson).toBe(false);
  expect(await serverUids(stack, user)).toEqual([]);

  await page.getByRole("row", { name: /Osmobitna/ }).click();
  const message = page.getByRole("article", { name: "Message" });
  await expect(message).toContainText("Šaša čćđž");
});
