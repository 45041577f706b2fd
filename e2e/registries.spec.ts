import { createServer } from "node:net";
import { expect, test } from "@playwright/test";
import { screenshot, url } from "./support/pages";

// The Registries admin page: a login saved and listed without its password anywhere in the HTML, a Test against a
// closed loopback port worded as a failure, a config.json with one login and one credential helper, a delete.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

const PASSWORD = "pw-never-shown-7f3a";
const IMPORTED_PASSWORD = "imported-secret-91c2";

/** A loopback port nobody listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test("add, list without the password, test, import a config.json, delete", async ({ page }) => {
  const host = `127.0.0.1:${await closedPort()}`;
  await page.goto(url("/admin/registries"));
  await expect(page.getByText("never reads cluster Secrets")).toBeVisible();

  const form = page.getByRole("form", { name: "Add or replace a registry" });
  await form.getByLabel("Host").fill(host);
  await form.getByLabel("Username", { exact: true }).fill("robot");
  await form.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await form.getByLabel("Plain HTTP (insecure)").check();
  await form.getByRole("button", { name: "Save registry" }).click();
  await expect(form.getByRole("status")).toHaveText(`Saved ${host}.`);

  await page.goto(url("/admin/registries"));
  const row = page.getByRole("row").filter({ hasText: host });
  await expect(row).toContainText("Username and password (robot)");
  await expect(row).toContainText("Plain HTTP (insecure)");
  expect(await page.content()).not.toContain(PASSWORD);

  await row.getByRole("button", { name: `Test ${host}` }).click();
  await expect(row.getByLabel(`Test result for ${host}`)).toContainText(
    `Failed: Registry ${host} could not be reached (ECONNREFUSED)`,
  );

  const bad = page.getByRole("form", { name: "Add or replace a registry" });
  await bad.getByLabel("Host").fill("not a host/");
  await bad.getByLabel("Login").selectOption("anonymous");
  await bad.getByRole("button", { name: "Save registry" }).click();
  await expect(bad.getByRole("alert")).toContainText("Give the registry's host name");

  const config = JSON.stringify({
    auths: {
      "registry.example.test": { auth: Buffer.from(`importer:${IMPORTED_PASSWORD}`).toString("base64") },
      "https://index.docker.io/v1/": {},
    },
    credsStore: "desktop",
  });
  const importForm = page.getByRole("form", { name: "Import a Docker config" });
  await importForm.getByLabel("File").setInputFiles({
    name: "config.json",
    mimeType: "application/json",
    buffer: Buffer.from(config),
  });
  await importForm.getByRole("button", { name: "Import" }).click();
  const result = importForm.getByRole("status", { name: "Import result" });
  await expect(result).toContainText("Imported registry.example.test.");
  await expect(result).toContainText("Skipped docker.io: it holds no username and password.");
  await expect(result).toContainText('Not run: credsStore "desktop".');

  await page.goto(url("/admin/registries"));
  await expect(page.getByRole("row").filter({ hasText: "registry.example.test" })).toContainText(
    "Username and password (importer)",
  );
  const html = await page.content();
  expect(html).not.toContain(IMPORTED_PASSWORD);
  expect(html).not.toContain(Buffer.from(`importer:${IMPORTED_PASSWORD}`).toString("base64"));

  await page.setViewportSize({ width: 1366, height: 900 });
  await screenshot(page, "registries-1366");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "registries-390");
  await page.setViewportSize({ width: 1366, height: 900 });

  const imported = page.getByRole("row").filter({ hasText: "registry.example.test" });
  await imported.getByText("Delete…").click();
  await imported.getByRole("button", { name: "Confirm deleting registry.example.test" }).click();
  await expect(page.getByRole("row").filter({ hasText: "registry.example.test" })).toHaveCount(0);
  await expect(page.getByRole("row").filter({ hasText: host })).toBeVisible();

  await page.goto(url("/admin/audit"));
  await expect(page.locator("body")).toContainText("registry.example.test");
});
