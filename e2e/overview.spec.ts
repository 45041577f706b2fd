import { expect, test, type Page } from "@playwright/test";
import { screenshot, url } from "./support/pages";
import { CHECK_CATALOG } from "../lib/checks/catalog";

// The overview's numbers against the other pages that show the same read models, and its filters in the URL.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");

async function number(page: Page, testId: string): Promise<number> {
  return Number((await page.getByTestId(testId).first().innerText()).replace(/[^\d.-]/g, ""));
}

test("the overview shows the fleet, and each check's compliance equals the catalog's", async ({ page }) => {
  await page.goto(url("/"));
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Compliance per check (the checklist)" }).getByRole("row")).toHaveCount(
    CHECK_CATALOG.filter((check) => check.seed).length + 1,
  );
  const containers = await number(page, "containers");
  const targets = page.getByRole("region", { name: "Targets" }).getByRole("row");
  let sum = 0;
  for (const row of (await targets.all()).slice(1)) sum += Number(await row.getByRole("cell").nth(2).innerText());
  expect(sum).toBe(containers);
  const overviewCompliance = await page.getByTestId("compliance-not-privileged").innerText();
  await screenshot(page, "overview");
  await page.goto(url("/checks"));
  await expect(page.getByTestId("compliance-not-privileged")).toHaveText(overviewCompliance);
});

test("filters live in the URL and narrow every panel", async ({ page }) => {
  await page.goto(url("/"));
  const filters = page.getByRole("form", { name: "Filters" });
  // The page streams in behind its loading skeleton: wait for the option before reading the list.
  await expect(filters.getByLabel("Target").locator("option", { hasText: "local-docker" })).toHaveCount(1);
  const options = await filters.getByLabel("Target").locator("option").allTextContents();
  const target = options.find((name) => name.startsWith("local-docker"));
  expect(target).toBeDefined();
  await filters.getByLabel("Target").selectOption({ label: target as string });
  await filters.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]target=${encodeURIComponent(target as string)}(&|$)`));
  const rows = page.getByRole("region", { name: "Targets" }).getByRole("row");
  await expect(rows).toHaveCount(2);
  expect(Number(await rows.nth(1).getByRole("cell").nth(2).innerText())).toBe(await number(page, "containers"));
  await page.reload();
  await expect(page.getByRole("form", { name: "Filters" }).getByLabel("Target")).toHaveValue(target as string);
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(url("/"));
  await screenshot(page, "overview-filtered");
});
