import { expect, test } from "@playwright/test";
import { PRIVILEGED_CONTAINER } from "./global-setup";
import { AUTH_STATE } from "./auth-setup";
import { screenshot, url } from "./support/pages";
import { setIncludeStopped, targetRow } from "./support/targets";

// The engineer's page of one workload, reached the way a ticket does: /r/<findingId>.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

// The privileged container is only created (global-setup): judge stopped containers, as flow.spec.ts does, when no
// spec before this one has, and wait for its finding; set the target back after.
const TARGET = "local-docker";
let toggled = false;

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ storageState: AUTH_STATE });
  const page = await context.newPage();
  toggled = await setIncludeStopped(page, TARGET, true);
  if (toggled)
    await targetRow(page, TARGET)
      .getByRole("button", { name: `Poll ${TARGET} now` })
      .click();
  const finding = page.locator("tbody tr").filter({ hasText: "not-privileged" });
  await expect(async () => {
    await page.goto(url(`/violations?workload=${PRIVILEGED_CONTAINER}&severity=critical`));
    await expect(finding).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 90_000, intervals: [1_000] });
  await context.close();
});

test.afterAll(async ({ browser }) => {
  if (!toggled) return;
  const context = await browser.newContext({ storageState: AUTH_STATE });
  await setIncludeStopped(await context.newPage(), TARGET, false);
  await context.close();
});

test("a finding's link opens its workload page scrolled to that check", async ({ page }) => {
  await page.goto(url(`/violations?workload=${PRIVILEGED_CONTAINER}&severity=critical`));
  const link = page.locator("tbody tr").filter({ hasText: "not-privileged" }).locator("a[href^='/r/']");
  const href = (await link.getAttribute("href")) ?? "";
  expect(href).toMatch(/^\/r\/[0-9a-f-]{36}$/);
  await page.goto(url(href));
  await expect(page).toHaveURL(new RegExp(`/workloads/[0-9a-f-]{36}#check-${PRIVILEGED_CONTAINER}-not-privileged$`));
  const item = page.locator(`#check-${PRIVILEGED_CONTAINER}-not-privileged`);
  await expect(item).toBeInViewport();
  await expect(item).toHaveAttribute("data-status", "fail");
  await expect(item).toContainText("HostConfig.Privileged");
  await expect(page.getByRole("heading", { level: 1, name: `Container ${PRIVILEGED_CONTAINER}` })).toBeVisible();
  await expect(page.getByRole("region", { name: "Pod Security" })).toContainText("Not applicable");
  await expect(page.getByRole("region", { name: "Replicas and digests" })).toContainText(PRIVILEGED_CONTAINER);
  await expect(page.getByRole("img", { name: /^Score from \d+ on \d{4}-\d{2}-\d{2} to \d+ on/ })).toBeVisible();
  await screenshot(page, "workload");
});

test("the remediation tabs follow the keyboard and the copy button copies the shown snippet", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto(url(`/violations?workload=${PRIVILEGED_CONTAINER}&severity=critical`));
  await page
    .locator("tbody tr")
    .filter({ hasText: "not-privileged" })
    .getByRole("link", { name: PRIVILEGED_CONTAINER })
    .click();
  const item = page.locator(`#check-${PRIVILEGED_CONTAINER}-not-privileged`);
  const tabs = item.getByRole("tab");
  await expect(tabs.nth(1)).toBeVisible();
  await expect(tabs.first()).toHaveAttribute("aria-selected", "true");
  await tabs.first().focus();
  await page.keyboard.press("ArrowRight");
  await expect(tabs.nth(1)).toHaveAttribute("aria-selected", "true");
  await expect(tabs.nth(1)).toBeFocused();
  await page.keyboard.press("Home");
  await expect(tabs.first()).toHaveAttribute("aria-selected", "true");

  const panel = item.getByRole("tabpanel").first();
  const snippet = panel.locator("pre").first();
  const shown = (await snippet.textContent()) ?? "";
  expect(shown).toContain("--privileged");
  await panel
    .getByRole("button", { name: /^Copy / })
    .first()
    .click();
  await expect(panel.getByRole("button", { name: /^Copy / }).first()).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shown);
  await screenshot(page, "workload-remediation");
});
