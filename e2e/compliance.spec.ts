import { expect, test } from "@playwright/test";
import { screenshot, url } from "./support/pages";
import { addSimulatedCluster, removeTargetIfPresent } from "./support/targets";

// The compliance matrix: a cell's link opens the violations behind it, as many rows as the failures the cell
// counts. A simulated cluster of its own is added (so the spec does not depend on earlier specs' fleet) and removed.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

const CLUSTER = "matrix-cluster";
test("a simulated cluster is added and polled", async ({ page }) => {
  await addSimulatedCluster(page, CLUSTER);
});

test("every failing cell of the cluster links to exactly its failing findings", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(url("/compliance?by=target"));
  await expect(page.getByRole("heading", { name: "Compliance", level: 1 })).toBeVisible();
  const header = page.getByRole("columnheader", { name: CLUSTER });
  await expect(header).toBeVisible();
  const cells = page.locator(`a[href*="target=${CLUSTER}"][data-failed]`);
  const hrefs: { href: string; failed: number }[] = [];
  for (const cell of await cells.all())
    hrefs.push({
      href: (await cell.getAttribute("href")) ?? "",
      failed: Number(await cell.getAttribute("data-failed")),
    });
  const failing = hrefs.filter((cell) => cell.failed > 0);
  expect(failing.length, "the simulated cluster fails some checks").toBeGreaterThan(0);
  await screenshot(page, "compliance-1366");
  // The first failing cell through a click, the others by address.
  const first = failing[0]!;
  await page.locator(`a[href="${first.href}"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`/violations\\?.*target=${CLUSTER}`));
  for (const [index, cell] of failing.entries()) {
    if (index > 0) await page.goto(url(cell.href));
    const params = new URL(page.url()).searchParams;
    expect(params.get("target")).toBe(CLUSTER);
    expect(params.get("check")).toMatch(/^[a-z0-9-]+$/);
    const title = page.locator("main header").first();
    await expect(title).toContainText(/\d+ open finding/);
    const total = Number(/(\d+) open finding/.exec((await title.textContent()) ?? "")?.[1] ?? NaN);
    expect(total, cell.href).toBe(cell.failed);
  }
});

test("sorting by a column orders the checks by that column's compliance", async ({ page }) => {
  await page.goto(url("/compliance?by=target"));
  await page.getByRole("columnheader", { name: CLUSTER }).getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`sort=${CLUSTER}`));
  const values = await page
    .locator(`tbody a[href*="target=${CLUSTER}"][data-failed]`)
    .evaluateAll((links) => links.map((link) => Number(/(\d+)%/.exec(link.textContent ?? "")?.[1])));
  expect(values.length).toBeGreaterThan(1);
  expect(values).toEqual([...values].sort((a, b) => a - b));
});

test("at 390 px the matrix scrolls in its own box, the page does not", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url("/compliance?by=target"));
  await expect(page.getByTestId("matrix-scroll")).toBeVisible();
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    box: (document.querySelector("[data-testid=matrix-scroll]") as HTMLElement).clientWidth,
  }));
  expect(widths.page).toBeLessThanOrEqual(390);
  expect(widths.box).toBeLessThanOrEqual(390);
  await screenshot(page, "compliance-390");
});

test("the CSV export holds the same cells", async ({ page }) => {
  const response = await page.request.get(url("/api/export/compliance?by=target"));
  expect(response.status()).toBe(200);
  const lines = (await response.text()).trim().split("\r\n");
  expect(lines[0]).toBe("check,target,passed,failed,compliance_percent,change_30d_points");
  expect(lines.some((line) => line.split(",")[1] === CLUSTER)).toBe(true);
  expect((await page.request.get(url("/api/export/compliance?by=nope"))).status()).toBe(400);
});

test.afterAll(async ({ browser }) => {
  await removeTargetIfPresent(browser, CLUSTER);
});
