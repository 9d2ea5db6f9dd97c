/** A red 8 × 8 PNG. */
export const RED_PIXELS_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEklEQVR4nGP4z8CAFWEXHbQSACj/P8Fu7N9hAAAAAElFTkSuQmCC",
  "base64",
);

/**
 * An HTML message whose text shows a picture by cid: (multipart/related), as Outlook sends a
 * pasted screenshot: `<img alt="grafikon">`, 8 × 8, Content-ID `image001.png@01DA`.
 */
export function messageWithPicture(to: string, subject: string): string {
  return [
    "From: Ana <ana@primer.rs>",
    `To: ${to}`,
    `Subject: ${subject}`,
    "MIME-Version: 1.0",
    'Content-Type: multipart/related; boundary="rel"',
    "",
    "--rel",
    "Content-Type: text/html; charset=utf-8",
    "",
    '<p>Pogledaj grafikon: <img src="cid:image001.png@01DA" alt="grafikon" width="8" height="8"></p>',
    "--rel",
    "Content-Type: image/png",
    "Content-Transfer-Encoding: base64",
    "Content-ID: <image001.png@01DA>",
    "",
    RED_PIXELS_PNG.toString("base64"),
    "--rel--",
    "",
  ].join("\r\n");
}
