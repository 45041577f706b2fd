import { expect, test, type Page } from "@playwright/test";
import { SEVERITIES } from "../lib/domain/severity";
import { screenshot, url } from "./support/pages";
import { addSimulatedCluster, removeTargetIfPresent } from "./support/targets";

// Every count on the overview links to the findings that make it, keeping the scope: the number shown equals the
// rows the violations page lists behind the link, for a target, a team and a namespace. A simulated cluster
// (namespaces shop, payments and ops, each labelled with its team) is added for this and removed afterwards.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

const CLUSTER = "scope-cluster";

async function rowsOnViolationsPage(page: Page): Promise<{ total: number; rows: number }> {
  const header = page.locator("main header").first();
  await expect(header).toContainText(/\d+ open finding/);
  const total = Number(/(\d+) open finding/.exec((await header.textContent()) ?? "")?.[1] ?? NaN);
  const rows = await page.locator("tbody tr:has(a[href^='/r/'])").count();
  return { total, rows };
}

test("a cluster with team-labelled namespaces is added and polled", async ({ page }) => {
  await addSimulatedCluster(page, CLUSTER);
});

for (const [label, scope] of [
  ["a target", { target: CLUSTER }],
  ["a team", { team: "storefront" }],
  ["a namespace", { namespace: "payments" }],
] as const) {
  test(`for ${label}, each open-findings count equals the rows behind its link, which keeps the scope`, async ({
    page,
  }) => {
    const search = new URLSearchParams(scope).toString();
    await page.goto(url(`/?${search}`));
    let checked = 0;
    for (const severity of SEVERITIES) {
      const link = page.getByTestId(`open-${severity}`);
      const shown = Number(await link.innerText());
      if (shown === 0) continue;
      const href = (await link.getAttribute("href")) ?? "";
      const params = new URL(href, "http://x").searchParams;
      for (const [key, value] of Object.entries(scope)) expect(params.get(key), href).toBe(value);
      expect(params.get("severity")).toBe(severity);
      await link.click();
      await expect(page).toHaveURL(new RegExp(`severity=${severity}`));
      const { total, rows } = await rowsOnViolationsPage(page);
      expect(total, `${severity} in ${search}`).toBe(shown);
      expect(rows).toBe(Math.min(shown, 50));
      for (const [key, value] of Object.entries(scope)) {
        await expect(
          page
            .getByRole("form", { name: "Violation filters" })
            .getByLabel(key === "target" ? "Target" : key === "team" ? "Team" : "Namespace", { exact: true }),
        ).toHaveValue(value);
      }
      if (checked === 0) await screenshot(page, `drill-down-${Object.keys(scope)[0]}`);
      checked += 1;
      await page.goto(url(`/?${search}`));
    }
    expect(checked, "at least one severity has open findings in this scope").toBeGreaterThan(0);
  });
}

test("the target table's critical and high counts and the week's opened count link to their findings", async ({
  page,
}) => {
  await page.goto(url(`/?team=storefront`));
  const row = page.getByRole("region", { name: "Targets" }).getByRole("row").filter({ hasText: CLUSTER });
  const high = row.getByRole("link", { name: new RegExp(`open high findings on ${CLUSTER}`) });
  const shown = Number(await high.innerText());
  await high.click();
  await expect(page).toHaveURL(/team=storefront/);
  expect((await rowsOnViolationsPage(page)).total).toBe(shown);
  await page.goto(url("/"));
  await page.getByTestId("opened-week").click();
  await expect(page).toHaveURL(/since=/);
  await expect(page.getByRole("form", { name: "Violation filters" }).getByLabel("First seen since")).toHaveValue(
    /^\d{4}-\d{2}-\d{2}$/,
  );
});

test.afterAll(async ({ browser }) => {
  await removeTargetIfPresent(browser, CLUSTER);
});
