import { expect, test, type Locator } from "@playwright/test";
import { HARDENED_CONTAINER } from "./global-setup";
import { screenshot, url } from "./support/pages";

// Accepting a risk through the exceptions form, on the container global-setup runs on the private dockerd:
// the finding turns excepted and the container score leaves it out, as CHECKS.md "Scores" says.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

const WEIGHT: Record<string, number> = { critical: 10, high: 6, medium: 3, low: 1 };

/** The container score the checks shown on the workload page give, with the formula of CHECKS.md. */
async function scoreOfShownChecks(section: Locator): Promise<number | null> {
  const checks = await section.locator("li[id^='check-']").evaluateAll((items) =>
    items.map((item) => ({
      status: item.getAttribute("data-status"),
      severity: item.getAttribute("data-severity") ?? "",
      excepted: item.getAttribute("data-excepted") === "true",
    })),
  );
  let passed = 0;
  let judged = 0;
  for (const check of checks) {
    if (check.excepted || (check.status !== "pass" && check.status !== "fail")) continue;
    judged += WEIGHT[check.severity] ?? 0;
    if (check.status === "pass") passed += WEIGHT[check.severity] ?? 0;
  }
  return judged === 0 ? null : (100 * passed) / judged;
}

async function shownScore(section: Locator): Promise<number | null> {
  const value = await section.locator("[data-score]").getAttribute("data-score");
  return value ? Number(value) : null;
}

const state = { checkId: "", workloadPath: "" };

test("the hardened container has open findings, and its score follows the formula", async ({ page }) => {
  await page.goto(url(`/violations?workload=${HARDENED_CONTAINER}&sort=check`));
  const checkLinks = page.locator("tbody a[href^='/r/']");
  await expect(checkLinks.first()).toBeVisible();
  state.checkId = (await checkLinks.first().textContent()) ?? "";
  state.workloadPath =
    (await page.getByRole("link", { name: HARDENED_CONTAINER, exact: true }).first().getAttribute("href")) ?? "";
  expect(state.workloadPath).toMatch(/^\/workloads\/[0-9a-f-]{36}$/);

  await page.goto(url(state.workloadPath));
  const section = page.getByRole("region", { name: `Container ${HARDENED_CONTAINER}` });
  expect(await shownScore(section)).toBeCloseTo((await scoreOfShownChecks(section)) ?? NaN, 6);
});

test("accepting a risk through the form excepts the finding and leaves it out of the score", async ({ page }) => {
  await page.goto(url(state.workloadPath));
  const section = page.getByRole("region", { name: `Container ${HARDENED_CONTAINER}` });
  const before = await shownScore(section);

  await page.goto(url("/exceptions"));
  const form = page.getByRole("form", { name: "Accept a risk" });
  await form.getByLabel("Check", { exact: true }).selectOption(state.checkId);
  await form.getByLabel("Target", { exact: true }).selectOption({ label: "local-docker" });
  await form.getByLabel("Container", { exact: true }).fill(HARDENED_CONTAINER);
  await form.getByLabel("Reason", { exact: true }).fill("base image pinned by the registry mirror");
  await form.getByLabel("Owner", { exact: true }).fill("platform team");
  await form.getByRole("button", { name: "Accept risk" }).click();
  await expect(form.getByRole("status")).toHaveText("Exception created.");
  const active = page.getByRole("table", { name: "Active exceptions" });
  const row = active.getByRole("row").filter({ hasText: state.checkId });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("cell").nth(5)).toHaveText("1");
  await screenshot(page, "exceptions");

  await page.goto(url(state.workloadPath));
  const item = section.locator(`li[id='check-${HARDENED_CONTAINER}-${state.checkId}']`);
  await expect(item).toHaveAttribute("data-excepted", "true");
  const after = await shownScore(section);
  expect(after).toBeCloseTo((await scoreOfShownChecks(section)) ?? NaN, 6);
  expect(after).not.toBe(before);

  await page.goto(url(`/violations?status=excepted&workload=${HARDENED_CONTAINER}`));
  await expect(page.getByRole("row").filter({ hasText: state.checkId })).toContainText("excepted");
});

test("an exception can be extended, then revoked; the next poll opens the finding again", async ({ page }) => {
  await page.goto(url("/exceptions"));
  const row = page
    .getByRole("table", { name: "Active exceptions" })
    .getByRole("row")
    .filter({ hasText: state.checkId });
  const newExpiry = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);
  await row.getByLabel("New expiry", { exact: true }).fill(newExpiry);
  await row.getByRole("button", { name: /^Extend exception/ }).click();
  await expect(row.locator(`time[datetime^="${newExpiry}"]`)).toHaveCount(1);
  expect((await row.getByLabel("New expiry", { exact: true }).getAttribute("min")) ?? "").toBe(
    new Date(Date.parse(`${newExpiry}T23:59:59.999Z`) + 86_400_000).toISOString().slice(0, 10),
  );

  await row.getByText("Revoke…").click();
  await expect(row).toContainText("open again");
  await row.getByRole("button", { name: /^Confirm revoking exception/ }).click();
  await expect(page.getByRole("table", { name: "Active exceptions" })).toHaveCount(0);
  const ended = page
    .getByRole("table", { name: "Expired and revoked exceptions" })
    .getByRole("row")
    .filter({ hasText: state.checkId });
  await expect(ended).toContainText(/revoked .+ by /);
  await screenshot(page, "exceptions-revoked");

  await page.goto(url("/targets"));
  const target = page.getByRole("row").filter({ has: page.getByRole("cell", { name: "local-docker", exact: true }) });
  await target.getByRole("button", { name: "Poll local-docker now" }).click();
  await expect(async () => {
    await page.goto(url(`/violations?workload=${HARDENED_CONTAINER}`));
    await expect(page.locator("tbody tr").filter({ hasText: state.checkId })).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 90_000, intervals: [1_000] });
  await expect(page.locator("tbody tr").filter({ hasText: state.checkId })).not.toContainText("excepted");
});
