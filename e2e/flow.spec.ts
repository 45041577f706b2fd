import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { HARDENED_CONTAINER, PRIVILEGED_CONTAINER } from "./global-setup";

// Everything shown here came from the collector polling the private dockerd of global-setup: nothing is
// inserted by hand.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");

function url(pathname: string): string {
  const base = process.env.RAMPART_E2E_BASE_URL;
  if (!base) throw new Error("RAMPART_E2E_BASE_URL is not set: global-setup did not start rampart serve");
  return new URL(pathname, base).toString();
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync("screenshots", { recursive: true });
  await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
}

test("the first start added the local engine as a target and polled it", async ({ page }) => {
  await page.goto(url("/targets"));
  await expect(page.getByRole("heading", { level: 1, name: "Targets" })).toBeVisible();
  const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: "local-docker", exact: true }) });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("cell", { name: "docker", exact: true })).toBeVisible();
  await expect(row).toContainText("succeeded");
  await expect(row.getByRole("cell", { name: "2", exact: true })).toBeVisible();
  await expect(row.getByRole("button", { name: "Poll local-docker now" })).toBeEnabled();
  await screenshot(page, "targets");
});

test("the privileged container has a not-privileged finding and the hardened one has not", async ({ page }) => {
  await page.goto(url("/violations"));
  await expect(page.getByRole("heading", { level: 1, name: "Violations" })).toBeVisible();
  const findings = page.getByRole("row").filter({ has: page.getByRole("cell", { name: "not-privileged", exact: true }) });
  await expect(findings).toHaveCount(1);
  await expect(findings).toContainText(PRIVILEGED_CONTAINER);
  await expect(findings).toContainText("critical");
  await expect(findings).toContainText("HostConfig.Privileged");
  await screenshot(page, "violations");

  await page.getByRole("link", { name: /^critical \(\d+\)$/ }).click();
  await expect(page).toHaveURL(/severity=critical/);
  await expect(findings).toHaveCount(1);
  await expect(page.getByRole("row").filter({ hasText: HARDENED_CONTAINER })).toHaveCount(0);
});

test("the overview counts the polled fleet", async ({ page }) => {
  await page.goto(url("/"));
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  const containers = page.getByRole("region", { name: "Containers" });
  await expect(containers).toContainText("2");
  await expect(page.getByRole("region", { name: "Fleet score" })).toContainText(/\d+\s*\/ 100/);
  await screenshot(page, "overview");
});

test("the add-target form rejects an address that is not unix:// or tcp://", async ({ page }) => {
  await page.goto(url("/targets"));
  const form = page.getByRole("form", { name: "Add a Docker target" });
  await form.getByRole("textbox", { name: "Name" }).fill("bad-address");
  await form.getByRole("textbox", { name: "Docker URL" }).fill("http://example.invalid");
  await form.getByRole("button", { name: "Add target" }).click();
  await expect(form.getByText(/unix:\/\/\/ or tcp:\/\//)).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "bad-address" })).toHaveCount(0);
});
