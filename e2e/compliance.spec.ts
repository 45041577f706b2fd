import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { AUTH_STATE } from "./auth-setup";
import { url } from "./support/pages";

// The compliance matrix: a cell's link opens the violations behind it, as many rows as the failures the cell
// counts. A simulated cluster of its own is added (so the spec does not depend on earlier specs' fleet) and removed.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

const CLUSTER = "matrix-cluster";
const SHOTS = "/work/notes/screenshots";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set by global-setup`);
  return value;
}

function targetRow(page: Page, name: string) {
  return page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
}

test("a simulated cluster is added and polled", async ({ page }) => {
  await page.goto(url("/targets"));
  const form = page.getByRole("form", { name: "Add a Kubernetes cluster" });
  await form.getByRole("textbox", { name: "Name", exact: true }).fill(CLUSTER);
  await form.getByRole("radio", { name: "URL + token + CA" }).check();
  await form.getByRole("textbox", { name: "API server URL" }).fill(env("RAMPART_E2E_CLUSTER_URL"));
  await form.getByLabel("Bearer token").fill(env("RAMPART_E2E_CLUSTER_TOKEN"));
  await form
    .getByRole("textbox", { name: "CA certificate (PEM)" })
    .fill(readFileSync(env("RAMPART_E2E_CLUSTER_CA_FILE"), "utf8"));
  await form.getByRole("button", { name: "Add cluster" }).click();
  await expect(form.getByRole("status")).toContainText(`Added ${CLUSTER}`);
  await targetRow(page, CLUSTER)
    .getByRole("button", { name: `Poll ${CLUSTER} now` })
    .click();
  await expect(async () => {
    await page.reload();
    await expect(targetRow(page, CLUSTER)).toContainText("succeeded", { timeout: 1_000 });
  }).toPass({ timeout: 90_000 });
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
  await page.screenshot({ path: `${SHOTS}/compliance-1366.png`, fullPage: true });
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
  await page.screenshot({ path: `${SHOTS}/compliance-390.png`, fullPage: true });
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
  const context = await browser.newContext({ storageState: AUTH_STATE });
  const page = await context.newPage();
  await page.goto(url("/targets"));
  const row = targetRow(page, CLUSTER);
  if ((await row.count()) === 0) return;
  await row.getByText("Delete…").click();
  await row.getByRole("button", { name: `Confirm deleting ${CLUSTER}` }).click();
  await expect(targetRow(page, CLUSTER)).toHaveCount(0);
  await context.close();
});
