import { expect, test } from "@playwright/test";
import { screenshot, url } from "./support/pages";

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");

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
