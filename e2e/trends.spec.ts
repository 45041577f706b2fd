import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";

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

test("trends switch between 7, 30 and 90 days in the URL and show the score formula", async ({ page }) => {
  await page.goto(url("/trends"));
  await expect(page.getByRole("heading", { level: 1, name: "Trends" })).toBeVisible();
  await expect(page.getByRole("link", { name: "30 days" })).toHaveAttribute("aria-current", "page");
  await page.getByRole("link", { name: "90 days" }).click();
  await expect(page).toHaveURL(/days=90/);
  await expect(page.getByRole("link", { name: "90 days" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("img", { name: "Fleet score per day, last 90 days" })).toBeVisible();
  const score = Number(await page.getByTestId("trend-score").innerText());
  expect(score).toBeGreaterThanOrEqual(0);
  expect(score).toBeLessThanOrEqual(100);
  await expect(page.getByRole("region", { name: "How these numbers are computed" })).toContainText("Score per day");
  await screenshot(page, "trends");
});
