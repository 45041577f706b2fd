import { expect, test, type Browser, type Page } from "@playwright/test";
import { screenshot, url } from "./support/pages";
import { addSimulatedCluster, removeTargetIfPresent } from "./support/targets";

// Framework views and the auditor report on a simulated cluster of their own: a control's check links open exactly
// the failures it counts, the report's counts equal the violations they link to, and the report prints without the
// navigation. A viewer reads both.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

const CLUSTER = "frameworks-cluster";
const VIEWER = "frameworks-viewer@rampart.test";
const PASSWORD = "twelve+ characters pw";

async function openFindings(page: Page, href: string): Promise<number> {
  await page.goto(url(href));
  const title = page.locator("main header").first();
  await expect(title).toContainText(/\d+ open finding/);
  return Number(/(\d+) open finding/.exec((await title.textContent()) ?? "")?.[1] ?? NaN);
}

/** The page's width, and the element reaching furthest right (named, so a failure says what to fix). */
async function pageWidth(page: Page): Promise<{ width: number; widest: string }> {
  return page.evaluate(() => {
    let widest = "";
    let right = 0;
    for (const element of document.querySelectorAll("main *")) {
      const box = element.getBoundingClientRect();
      if (box.right >= right) {
        right = box.right;
        widest = `${element.tagName.toLowerCase()}.${element.className} "${(element.textContent ?? "").slice(0, 60)}"`;
      }
    }
    return { width: document.documentElement.scrollWidth, widest };
  });
}

async function signedInViewer(browser: Browser, admin: Page): Promise<Page> {
  await admin.goto(url("/admin/users"));
  const form = admin.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email").fill(VIEWER);
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByLabel("Initial password").fill(PASSWORD);
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByRole("status")).toHaveText(`Added ${VIEWER}.`);
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(url("/sign-in"));
  await page.getByLabel("Email").fill(VIEWER);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((current) => !current.pathname.startsWith("/sign-in"));
  return page;
}

test("a simulated cluster is added and polled", async ({ page }) => {
  await addSimulatedCluster(page, CLUSTER);
});

test("CIS Kubernetes: each check under a control links to exactly the failures it counts, in scope", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(url(`/compliance/frameworks/cis-kubernetes?target=${CLUSTER}`));
  await expect(page.getByRole("heading", { name: "CIS Kubernetes Benchmark v1.12.0", level: 1 })).toBeVisible();
  await expect(page.getByTestId("framework-summary")).toContainText(/Rampart judges \d+ of 131 controls/);
  // Not judged controls are listed with their reason, never counted.
  await expect(page.locator('[data-control="1.2.1"]')).toContainText("--anonymous-auth");
  await expect(page.locator('[data-control="5.1.1"]')).toContainText("Not judged by Rampart");
  await expect(page.locator('[data-control="5.1.1"] [data-testid=control-compliance]')).toHaveCount(0);
  await expect(page.locator('[data-control="5.2.7"] [data-testid=control-compliance]')).toHaveText(/^\d+%$/);
  await screenshot(page, "frameworks-cis-kubernetes-1366");
  const links = page.locator(`[data-testid=framework-control] a[href*="target=${CLUSTER}"][data-failed]`);
  const cells: { href: string; failed: number }[] = [];
  for (const link of await links.all())
    cells.push({
      href: (await link.getAttribute("href")) ?? "",
      failed: Number(await link.getAttribute("data-failed")),
    });
  const failing = cells.filter((cell) => cell.failed > 0);
  expect(failing.length, "the simulated cluster fails some mapped checks").toBeGreaterThan(0);
  for (const cell of failing.slice(0, 4)) {
    expect(new URL(cell.href, "http://x").searchParams.get("platform")).toBe("kubernetes");
    expect(await openFindings(page, cell.href), cell.href).toBe(cell.failed);
  }
});

test("every framework view renders at 390 px without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const id of ["cis-docker", "pod-security", "nsa-cisa", "cis-kubernetes"]) {
    await page.goto(url(`/compliance/frameworks/${id}?target=${CLUSTER}`));
    await expect(page.getByTestId("framework-summary")).toBeVisible();
    const { width, widest } = await pageWidth(page);
    expect(width, `${id}: ${widest}`).toBeLessThanOrEqual(390);
  }
  await page.goto(url(`/compliance/frameworks/pod-security?target=${CLUSTER}`));
  await expect(page.getByTestId("level-baseline")).toHaveText(/^\d+%$/);
  await screenshot(page, "frameworks-pod-security-390");
  await page.setViewportSize({ width: 1366, height: 900 });
  await screenshot(page, "frameworks-pod-security-1366");
  await page.goto(url("/compliance/frameworks/nope"));
  await expect(page.getByRole("heading", { name: "Page not found", level: 1 })).toBeVisible();
});

test("the report's open critical and high counts equal the violations they link to", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(url(`/reports/audit?target=${CLUSTER}`));
  await expect(page.getByTestId("report-title")).toContainText(`target ${CLUSTER} on `);
  const counts = page.getByTestId("report-open-counts");
  await expect(counts).toContainText(/\d+ critical and \d+ high open/);
  const [, critical, high] = /(\d+) critical and (\d+) high/.exec((await counts.textContent()) ?? "") ?? [];
  await expect(page.getByRole("heading", { name: /Changes since the previous report/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "How every number is computed" })).toBeVisible();
  await screenshot(page, "frameworks-report-1366");
  const criticalHref = (await counts.getByRole("link", { name: "critical" }).getAttribute("href")) ?? "";
  const highHref = (await counts.getByRole("link", { name: "high" }).getAttribute("href")) ?? "";
  expect(await openFindings(page, criticalHref)).toBe(Number(critical));
  expect(await openFindings(page, highHref)).toBe(Number(high));
  expect(new URL(criticalHref, "http://x").searchParams.get("target")).toBe(CLUSTER);
});

test("the report prints without navigation, black on white, and saves as a PDF titled with its scope", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(url(`/reports/audit?target=${CLUSTER}`));
  await expect(page.getByTestId("report-title")).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav).toBeVisible();
  await page.emulateMedia({ media: "print", colorScheme: "dark" });
  await expect(nav).toBeHidden();
  await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeHidden();
  const colours = await page.evaluate(() => {
    const title = document.querySelector("[data-testid=report-title]") as HTMLElement;
    return { text: getComputedStyle(title).color, body: getComputedStyle(document.body).backgroundColor };
  });
  expect(colours.text).toMatch(/^(rgb\(0, 0, 0\)|oklch\(0 0 0\)|#000)/);
  expect(colours.body).toBe("rgb(255, 255, 255)");
  await screenshot(page, "frameworks-report-print");
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(pdf.length).toBeGreaterThan(20_000);
  const title = `Auditor report: target ${CLUSTER}`;
  const utf16 = Buffer.from(`\ufeff${title}`, "utf16le").swap16().toString("hex").toUpperCase();
  const text = pdf.toString("latin1");
  expect(text.includes(title) || text.toUpperCase().includes(utf16), "the PDF's title names the scope").toBe(true);
});

test("the report reflows at 390 px without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url(`/reports/audit?target=${CLUSTER}`));
  await expect(page.getByTestId("report-title")).toBeVisible();
  const { width, widest } = await pageWidth(page);
  expect(width, widest).toBeLessThanOrEqual(390);
  await screenshot(page, "frameworks-report-390");
});

test("a past day's report reads history and says what it cannot know; a bad date is refused by name", async ({
  page,
}) => {
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await page.goto(url(`/reports/audit?target=${CLUSTER}&date=${yesterday}`));
  await expect(page.getByTestId("report-title")).toContainText(`on ${yesterday}`);
  await expect(
    page.getByText("Not available for a past day: Pod Security verdicts are kept for the current state only."),
  ).toBeVisible();
  await page.goto(url("/reports/audit?date=2026-02-31"));
  await expect(page.locator("main").getByRole("alert")).toContainText('"date" must be a day written YYYY-MM-DD');
  await page.goto(url(`/reports/audit?date=${yesterday}&since=${yesterday}`));
  await expect(page.locator("main").getByRole("alert")).toContainText('"since"');
  await page.goto(url("/reports/audit?team=%00x"));
  await expect(page.locator("main").getByRole("alert")).toContainText('"team" must not contain control characters');
});

test("a viewer reads the framework views and the report", async ({ browser, page }) => {
  const viewer = await signedInViewer(browser, page);
  await viewer.goto(url(`/compliance/frameworks/cis-docker`));
  await expect(viewer.getByRole("heading", { name: "CIS Docker Benchmark v1.6.0", level: 1 })).toBeVisible();
  await expect(viewer.locator('[data-control="5.5"]')).toBeVisible();
  await viewer.goto(url(`/reports/audit?target=${CLUSTER}`));
  await expect(viewer.getByTestId("report-open-counts")).toBeVisible();
  await viewer.context().close();
});

test.afterAll(async ({ browser }) => {
  await removeTargetIfPresent(browser, CLUSTER);
});
