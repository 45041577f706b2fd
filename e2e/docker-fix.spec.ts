import { expect, test } from "@playwright/test";
import { docker } from "./support/engine-cli";
import { screenshot, url } from "./support/pages";

// A Docker workload's page offers the whole hardened `docker run` command and Compose service, rebuilt from
// what the collector kept of the container, beside the fixes per check.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");

const CONTAINER = "e2e-fixable";

test.afterAll(async () => {
  await docker(["rm", "-f", CONTAINER]).catch(() => undefined);
});

test("a Docker workload's page shows the whole hardened docker run command and Compose service", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await docker([
    "run",
    "-d",
    "--name",
    CONTAINER,
    "--network",
    "none",
    "--cap-add=NET_ADMIN",
    "--label",
    "team=storefront",
    "--env",
    "DB_PASSWORD=e2e-planted-secret-4410",
    "rampart-test/base:1",
    "sleep",
    "3600",
  ]);
  const link = page
    .locator("tbody tr")
    .filter({ hasText: "drop-all-capabilities" })
    .getByRole("link", { name: CONTAINER });
  await expect(async () => {
    await page.goto(url(`/violations?workload=${CONTAINER}`));
    await expect(link).toHaveCount(1, { timeout: 500 });
  }).toPass({ timeout: 120_000, intervals: [1_000] });
  await link.click();
  const fix = page.getByRole("region", { name: "Fix everything at once" });
  await expect(fix).toContainText(/Recreate 1 container with this command to close \d+ failing checks/);
  const command = fix.getByLabel(`Hardened docker run command for Container ${CONTAINER}`, { exact: true });
  await expect(command).toContainText(`docker run -d \\\n  --name=${CONTAINER}`);
  for (const flag of ["--cap-drop=ALL", "--read-only", "--label=team=storefront", "--env=DB_PASSWORD_FILE="])
    await expect(command).toContainText(flag);
  await expect(command).not.toContainText("--cap-add=NET_ADMIN");
  const compose = fix.getByLabel(`Hardened Compose service for Container ${CONTAINER}`, { exact: true });
  await expect(compose).toContainText(`services:\n  ${CONTAINER}:\n    image: `);
  await expect(compose).toContainText("read_only: true");
  await expect(page.locator("main")).not.toContainText("e2e-planted-secret-4410");
  await fix.scrollIntoViewIfNeeded();
  await screenshot(page, "workload-docker-fix");
  await page.setViewportSize({ width: 390, height: 844 });
  await fix.scrollIntoViewIfNeeded();
  await screenshot(page, "workload-docker-fix-narrow");
});
