import { expect, test, type Page } from "@playwright/test";
import { screenshot, url } from "./support/pages";

// The shell around every page: navigation with an Admin section and the user's menu, a layout that fits 390 and
// 1366 px wide without sideways scrolling, dark mode from the system setting, Poll now saying what happens, and a
// banner while a target fails.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");

const PAGES = [
  ["overview", "/"],
  ["violations", "/violations"],
  ["trends", "/trends"],
  ["checks", "/checks"],
  ["check", "/checks/run-as-non-root"],
  ["exceptions", "/exceptions"],
  ["targets", "/targets"],
  ["workloads", "/workloads"],
  ["admin", "/admin"],
  ["admin-users", "/admin/users"],
  ["admin-tokens", "/admin/tokens"],
  ["admin-audit", "/admin/audit"],
] as const;

async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** A CSS colour as 0..1 lightness, read back through a canvas (computed styles may be oklch). */
async function lightness(page: Page, selector: string, property: "color" | "backgroundColor"): Promise<number> {
  return page.evaluate(
    ({ selector, property }) => {
      const element = document.querySelector(selector);
      if (!element) throw new Error(`no ${selector}`);
      const canvas = document.createElement("canvas");
      canvas.width = 1;
      canvas.height = 1;
      const context = canvas.getContext("2d") as CanvasRenderingContext2D;
      context.fillStyle = getComputedStyle(element)[property];
      context.fillRect(0, 0, 1, 1);
      const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
      return (0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0)) / 255;
    },
    { selector, property },
  );
}

test("at 1366 × 768 the navigation, Admin section and user menu show, and the violations table fits", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(url("/violations"));
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Violations" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("group", { name: "Admin" }).getByRole("link", { name: "Audit log" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
  const account = page.getByText("admin@rampart.test", { exact: false }).first();
  await expect(account).toBeAttached();
  await page.locator("summary", { hasText: "admin" }).click();
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out everywhere" })).toBeVisible();
  const header = page.getByRole("columnheader", { name: "First seen" });
  await expect(header).toBeVisible();
  const box = await header.boundingBox();
  expect((box?.x ?? Infinity) + (box?.width ?? 0)).toBeLessThanOrEqual(1366);
  const scroll = await page
    .locator(".reflow")
    .first()
    .evaluate((element) => element.scrollWidth - element.clientWidth);
  expect(scroll, "the table scrolls sideways inside its box").toBeLessThanOrEqual(0);
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
});

for (const [width, height] of [
  [390, 844],
  [1366, 768],
] as const) {
  test(`every page fits ${width} px wide without scrolling sideways`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    for (const [name, path] of PAGES) {
      await page.goto(url(path));
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.locator("[aria-busy=true]")).toHaveCount(0, { timeout: 20_000 });
      expect(await sidewaysOverflow(page), `${path} at ${width} px`).toBeLessThanOrEqual(0);
      await screenshot(page, `shell-${name}-${width}`);
    }
  });
}

test("under 640 px the navigation folds behind a Menu button", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url("/"));
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav).toBeHidden();
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  await expect(nav).toBeVisible();
  await screenshot(page, "shell-menu-open-390");
  await nav.getByRole("link", { name: "Trends" }).click();
  await expect(page).toHaveURL(/\/trends$/);
  await expect(nav).toBeHidden();
});

test("dark mode follows the system setting", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(url("/"));
  expect(await lightness(page, "body", "backgroundColor")).toBeGreaterThan(0.9);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto(url("/"));
  await expect(page.locator("[aria-busy=true]")).toHaveCount(0, { timeout: 20_000 });
  const background = await lightness(page, "body", "backgroundColor");
  const text = await lightness(page, "h1", "color");
  expect(background).toBeLessThan(0.15);
  expect(text).toBeGreaterThan(0.75);
  const card = await lightness(page, "main section", "backgroundColor");
  expect(card).toBeLessThan(0.25);
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(url("/"));
    await expect(page.locator("[aria-busy=true]")).toHaveCount(0, { timeout: 20_000 });
    await screenshot(page, `shell-dark-overview-${width}`);
    await page.goto(url("/violations"));
    await expect(page.locator("[aria-busy=true]")).toHaveCount(0, { timeout: 20_000 });
    await screenshot(page, `shell-dark-violations-${width}`);
  }
});

test("Poll now says queued, then polling, then done with the run's status, without a reload", async ({ page }) => {
  await page.goto(url("/targets"));
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: "local-docker", exact: true }) });
  await row.getByRole("button", { name: "Poll local-docker now" }).click();
  const status = row.getByRole("status", { name: "Poll of local-docker" });
  await expect(status).toHaveText(/Queued…|Polling…/);
  await expect(row.getByRole("button", { name: "Poll local-docker now" })).toBeDisabled();
  await expect(status).toHaveText(/^Done: (succeeded|partial)$/, { timeout: 90_000 });
  await expect(row.getByRole("button", { name: "Poll local-docker now" })).toBeEnabled();
});

test("a failing target gets a failed badge and a banner on every page, until it is deleted", async ({ page }) => {
  const name = "shell-unreachable";
  await page.goto(url("/targets"));
  const form = page.getByRole("form", { name: "Add a Docker target" });
  await form.getByRole("textbox", { name: "Name" }).fill(name);
  await form.getByRole("textbox", { name: "Docker URL" }).fill("unix:///nonexistent/docker.sock");
  await form.getByRole("button", { name: "Add target" }).click();
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  await expect(row).toHaveCount(1);
  await row.getByRole("button", { name: `Poll ${name} now` }).click();
  await expect(row.getByRole("status", { name: `Poll of ${name}` })).toHaveText("Done: failed", { timeout: 90_000 });
  for (const path of ["/", "/violations", "/checks"]) {
    await page.goto(url(path));
    await expect(page.getByRole("region", { name: "Failing targets" })).toContainText(name);
  }
  await page.goto(url("/"));
  await expect(page.getByRole("region", { name: "Targets" }).getByRole("row").filter({ hasText: name })).toContainText(
    "failed",
  );
  await screenshot(page, "shell-failing-banner-1366");
  await page.goto(url("/targets"));
  await row.getByText("Delete…").click();
  await row.getByRole("button", { name: `Confirm deleting ${name}` }).click();
  await expect(row).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Failing targets" }).filter({ hasText: name })).toHaveCount(0);
});
