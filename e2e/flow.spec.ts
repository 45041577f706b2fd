import { expect, test, type Page } from "@playwright/test";
import { HARDENED_CONTAINER, PRIVILEGED_CONTAINER } from "./global-setup";
import { screenshot, url } from "./support/pages";

// Everything shown here came from the collector polling the private dockerd of global-setup: nothing is
// inserted by hand. The tests build on each other (poll, then include stopped containers, then poll again).

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

function targetRow(page: Page, name: string) {
  return page.getByRole("row").filter({ has: page.getByRole("cell", { name, exact: true }) });
}

function findingRows(page: Page, checkId: string) {
  return page.getByRole("row").filter({ has: page.getByRole("cell", { name: checkId, exact: true }) });
}

test("the first start added the local engine as a target and polled its running containers", async ({ page }) => {
  await page.goto(url("/targets"));
  await expect(page.getByRole("heading", { level: 1, name: "Targets" })).toBeVisible();
  const row = targetRow(page, "local-docker");
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("cell", { name: "docker", exact: true })).toBeVisible();
  await expect(row).toContainText("succeeded");
  await expect(row).toContainText("1running only");
  await screenshot(page, "targets");

  await page.getByRole("link", { name: "Violations" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Violations" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: HARDENED_CONTAINER }).first()).toBeVisible();
  await expect(findingRows(page, "not-privileged")).toHaveCount(0);
});

test("including stopped containers and polling now finds the privileged container", async ({ page }) => {
  await page.goto(url("/targets"));
  const row = targetRow(page, "local-docker");
  await row.getByRole("button", { name: "Also judge stopped containers of local-docker" }).click();
  await expect(row).toContainText("running and stopped");
  await row.getByRole("button", { name: "Poll local-docker now" }).click();

  await expect(async () => {
    await page.goto(url("/violations"));
    await expect(findingRows(page, "not-privileged")).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 90_000, intervals: [1_000] });
  const finding = findingRows(page, "not-privileged");
  await expect(finding).toContainText(PRIVILEGED_CONTAINER);
  await expect(finding).toContainText("critical");
  await expect(finding).toContainText("HostConfig.Privileged");
  await screenshot(page, "violations");

  await page.getByRole("link", { name: /^critical \(\d+\)$/ }).click();
  await expect(page).toHaveURL(/severity=critical/);
  await expect(findingRows(page, "not-privileged")).toHaveCount(1);
  await expect(page.getByRole("row").filter({ hasText: HARDENED_CONTAINER })).toHaveCount(0);
  await screenshot(page, "violations-critical");
});

test("the overview counts the polled fleet", async ({ page }) => {
  await page.goto(url("/"));
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Targets" })).toContainText("1");
  await expect(page.getByRole("region", { name: "Containers" })).toContainText("2");
  await expect(page.getByRole("region", { name: "Fleet score" })).toContainText(/\d+\s*\/ 100/);
  await screenshot(page, "overview");
});

test("the add-target form rejects an address that is not unix:// or tcp://", async ({ page }) => {
  await page.goto(url("/targets"));
  const form = page.getByRole("form", { name: "Add a Docker target" });
  await form.getByRole("textbox", { name: "Name" }).fill("bad-address");
  await form.getByRole("textbox", { name: "Docker URL" }).fill("http://example.invalid");
  await form.getByRole("button", { name: "Add target" }).click();
  await expect(form.getByText("must start with unix:/// or tcp://", { exact: false })).toBeVisible();
  await expect(form.getByRole("textbox", { name: "Name" })).toHaveValue("bad-address");
  await expect(targetRow(page, "bad-address")).toHaveCount(0);
  await screenshot(page, "targets-form-error");
});
