import { expect, test } from "@playwright/test";
import { CHECK_CATALOG } from "../lib/checks/catalog";
import { screenshot, url } from "./support/pages";

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");

test("the catalog lists every check; a check page explains it and agrees on its compliance", async ({ page }) => {
  await page.goto(url("/checks"));
  await expect(page.getByRole("heading", { level: 1, name: "Checks" })).toBeVisible();
  await expect(
    page.getByRole("table", { name: "Every check with its current compliance" }).getByRole("row"),
  ).toHaveCount(CHECK_CATALOG.length + 1);
  const listed = await page.getByTestId("compliance-run-as-non-root").innerText();
  await screenshot(page, "checks");
  const meta = CHECK_CATALOG.find((check) => check.id === "run-as-non-root");
  await page
    .getByRole("link", { name: meta?.title ?? "" })
    .first()
    .click();
  await expect(page).toHaveURL(/\/checks\/run-as-non-root$/);
  await expect(page.getByRole("heading", { level: 1, name: meta?.title ?? "" })).toBeVisible();
  await expect(page.getByTestId("check-compliance")).toHaveText(listed);
  await expect(page.getByText(meta?.rationale ?? "")).toBeVisible();
  await expect(page.getByRole("region", { name: "Scores" })).toContainText("Container score");
  await expect(page.getByRole("region", { name: "Remediation example" })).toContainText("kubectl");
  await screenshot(page, "check-detail");
});

test("an unknown check id shows the not-found page", async ({ page }) => {
  await page.goto(url("/checks/no-such-check"));
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
});
