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
  await expect(page.getByRole("region", { name: "Where the evidence comes from" })).toHaveCount(0);
  await screenshot(page, "check-detail");
});

test("the pages of the checks fed by scanner reports say how to feed them, with the CI commands", async ({ page }) => {
  const fed = CHECK_CATALOG.filter((check) => check.evidence === "scanner-reports").map((check) => check.id);
  expect(fed.sort()).toEqual(["dependencies-scanned", "image-vulnerability-scanned", "no-secrets-in-image"]);
  for (const id of fed) {
    await page.goto(url(`/checks/${id}`));
    const sources = page.getByRole("region", { name: "Where the evidence comes from" });
    await expect(sources).toContainText("npx rampart ingest trivy.json --url");
    await expect(sources).toContainText("trivy-operator");
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "check-report-sources-390");
});

test("an unknown check id shows the not-found page", async ({ page }) => {
  await page.goto(url("/checks/no-such-check"));
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
});
