import { readFile } from "node:fs/promises";
import { expect, test } from "../fixtures/stack";
import { checkMail, mail, messageRows, signInPop3 } from "../fixtures/pop3";

// POP3 has only local folders and filters, so every computer needs them set up
// again; Export settings / Import settings carry them over.
test("a local folder and a filter sort incoming mail, and exported settings recreate them in B", async ({
  page,
  browser,
  stack,
}, testInfo) => {
  const user = await stack.newUser("pop4");
  await signInPop3(page, user);
  const folders = page.getByRole("navigation", { name: "Folders" });

  await folders.getByRole("button", { name: "New folder" }).click();
  await page.getByRole("dialog", { name: "New folder" }).getByLabel("Folder name").fill("Računi");
  await page.getByRole("dialog", { name: "New folder" }).getByRole("button", { name: "Create" }).click();
  await expect(folders.getByRole("button", { name: /^Računi/ })).toBeVisible();

  await page.getByRole("button", { name: "Settings" }).click();
  const form = page.getByRole("region", { name: "Filters" });
  await form.getByRole("button", { name: "New rule" }).click();
  const rule = page.getByRole("dialog", { name: "Rule" });
  await rule.getByLabel("Field").selectOption({ label: "Subject" });
  await rule.getByLabel("Value").fill("račun");
  await rule.getByRole("checkbox", { name: "Move to folder" }).check();
  await rule.getByLabel("Move to folder: Folder").selectOption({ label: "Računi" });
  await rule.getByRole("checkbox", { name: "Mark as read" }).check();
  await rule.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("list", { name: "Rules" })).toContainText(
    "If Subject contains “račun” → Mark as read, Move to folder: Računi",
  );

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export settings" }).click(),
  ]);
  const file = testInfo.outputPath("settings.json");
  await download.saveAs(file);
  const exported = JSON.parse(await readFile(file, "utf8")) as {
    version: number;
    folders: Array<{ name: string }>;
    filters: unknown[];
    rules: unknown[];
  };
  expect(exported.version).toBe(1);
  expect(exported.folders.map((f) => f.name)).toEqual(["Računi"]);
  expect(exported.filters).toHaveLength(1);
  expect(exported.rules).toHaveLength(1);

  await stack.mail.deliver(user.email, mail(1, { subject: "Vaš RAČUN za jun" }));
  await stack.mail.deliver(user.email, mail(2, { subject: "Ručak u petak" }));
  await stack.mail.deliver(user.email, mail(3, { subject: "Racun za struju" }));
  await folders.getByRole("button", { name: /^Inbox/ }).click();
  await checkMail(page);
  await expect(messageRows(page)).toHaveCount(1);
  await expect(messageRows(page).first()).toHaveAccessibleName(/Ručak u petak/);
  await folders.getByRole("button", { name: /^Računi/ }).click();
  await expect(messageRows(page)).toHaveCount(2);
  for (const seen of await messageRows(page).evaluateAll((rows) =>
    rows.map((r) => r.getAttribute("data-seen")),
  ))
    expect(seen).toBe("true");

  // Browser B: nothing set up yet; a bad file is refused and changes nothing, the export works.
  const other = await browser.newContext({ baseURL: stack.gateway.url });
  try {
    const b = await other.newPage();
    await signInPop3(b, user);
    // B has a folder of its own: the import adds to it, it does not replace it.
    const bFolders = b.getByRole("navigation", { name: "Folders" });
    await bFolders.getByRole("button", { name: "New folder" }).click();
    await b.getByRole("dialog", { name: "New folder" }).getByLabel("Folder name").fill("Lično");
    await b.getByRole("dialog", { name: "New folder" }).getByRole("button", { name: "Create" }).click();
    await expect(bFolders.getByRole("button", { name: /^Lično/ })).toBeVisible();
    await b.getByRole("button", { name: "Settings" }).click();
    const bad = testInfo.outputPath("bad.json");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(
      bad,
      JSON.stringify({
        version: 1,
        policy: {},
        folders: [],
        filters: [{ id: "x", field: "from", contains: "a", action: { moveTo: "nowhere" } }],
      }),
    );
    const [badChooser] = await Promise.all([
      b.waitForEvent("filechooser"),
      b.getByRole("button", { name: "Import settings" }).click(),
    ]);
    await badChooser.setFiles(bad);
    const refusal = b.getByRole("alert").filter({ hasText: "nothing was changed" });
    await expect(refusal).toContainText('no folder with id "nowhere"');
    await expect(
      b.getByRole("navigation", { name: "Folders" }).getByRole("button", { name: /^Računi/ }),
    ).toHaveCount(0);

    const [chooser] = await Promise.all([
      b.waitForEvent("filechooser"),
      b.getByRole("button", { name: "Import settings" }).click(),
    ]);
    await chooser.setFiles(file);
    await expect(
      b.getByText(/Settings imported\. Folders: 1, filters: 1\..*already in this browser were kept/),
    ).toBeVisible();
    await expect(bFolders.getByRole("button", { name: /^Računi/ })).toBeVisible();
    await expect(bFolders.getByRole("button", { name: /^Lično/ })).toBeVisible();
    await expect(
      b.getByRole("region", { name: "Filters" }).getByRole("list", { name: "Rules" }),
    ).toContainText("račun");

    await stack.mail.deliver(user.email, mail(4, { subject: "Novi račun" }));
    await stack.mail.deliver(user.email, mail(5, { subject: "Pozdrav" }));
    await checkMail(b);
    await bFolders.getByRole("button", { name: /^Inbox/ }).click();
    await expect(messageRows(b)).toHaveCount(1);
    await bFolders.getByRole("button", { name: /^Računi/ }).click();
    await expect(messageRows(b)).toHaveCount(1);
    await expect(messageRows(b).first()).toHaveAccessibleName(/Novi račun/);
  } finally {
    await other.close();
  }
});

test("POP3: a local folder's name already taken, or left blank, keeps the dialog open and says so", async ({
  page,
  stack,
}) => {
  const user = await stack.newUser("popfoldername");
  await signInPop3(page, user);
  const folders = page.getByRole("navigation", { name: "Folders" });
  await folders.getByRole("button", { name: "New folder" }).click();
  const dialog = page.getByRole("dialog", { name: "New folder" });
  await dialog.getByLabel("Folder name").fill("   ");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Write the folder's name.");
  await dialog.getByLabel("Folder name").fill("inbox");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(dialog.getByRole("alert")).toHaveText("There is already a folder named “Inbox”.");
  await dialog.getByLabel("Folder name").fill("Računi");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(folders.getByRole("button", { name: /^Računi/ })).toBeVisible();
});
