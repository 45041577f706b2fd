import { expect, test, type Browser, type Page } from "@playwright/test";
import { screenshot, url } from "./support/pages";

// Real HTTP statuses from the real `rampart serve`: 403 for a page or form post the role does not allow and for a
// cross-site post, 404 for unknown ids, 413 for bodies over 1 MB, 400 for NUL in filters. Each status line must
// be decided before the page streams (no route-level loading UI ahead of the role check).

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

const SIGNED_OUT = { cookies: [], origins: [] };
const VIEWER = { email: "status-viewer@rampart.test", password: "twelve+ characters pw" };
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const origin = () => new URL(url("/")).origin;

async function addViewer(page: Page): Promise<void> {
  await page.goto(url("/admin/users"));
  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email").fill(VIEWER.email);
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByLabel("Initial password").fill(VIEWER.password);
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByRole("status")).toHaveText(`Added ${VIEWER.email}.`);
}

async function signedInViewer(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ storageState: SIGNED_OUT })).newPage();
  await page.goto(url("/sign-in"));
  await page.getByLabel("Email").fill(VIEWER.email);
  await page.getByLabel("Password").fill(VIEWER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((current) => !current.pathname.startsWith("/sign-in"));
  return page;
}

/** A token and its revoke form's fields: a form post that only an admin may make. */
async function revokeTokenPost(page: Page, name: string): Promise<Record<string, string>> {
  await page.goto(url("/admin/tokens"));
  const create = page.getByRole("form", { name: "Create an API token" });
  await create.getByLabel("Name", { exact: true }).fill(name);
  await create.getByRole("button", { name: "Create token" }).click();
  await expect(create.getByLabel("New API token")).toHaveText(/^rpt_/);
  await page.goto(url("/admin/tokens"));
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: `Revoke ${name}` }) });
  const actionField = await form.locator('input[name^="$ACTION_ID_"]').getAttribute("name");
  const tokenId = await form.locator('input[name="tokenId"]').getAttribute("value");
  if (!actionField || !tokenId) throw new Error("the revoke form has no server action id");
  return { [actionField]: "", tokenId };
}

async function expectTokenActive(page: Page, name: string): Promise<void> {
  await page.goto(url("/admin/tokens"));
  const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name, exact: true }) });
  await expect(row).toContainText("active");
}

let viewer: Page;

test.beforeAll(async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  await addViewer(admin);
  await admin.context().close();
  viewer = await signedInViewer(browser);
});

test.afterAll(async () => {
  await viewer?.context().close();
});

test("a page the role does not allow answers 403 in the status line", async () => {
  for (const path of ["/admin/users", "/admin/tokens", "/admin/registries", "/admin/audit"]) {
    const response = await viewer.request.get(url(path), { maxRedirects: 0 });
    expect(response.status(), path).toBe(403);
    expect(await response.text(), path).toContain("This page could not be accessed.");
  }
  for (const path of ["/violations", "/exceptions", "/targets"]) {
    expect((await viewer.request.get(url(path), { maxRedirects: 0 })).status(), path).toBe(200);
  }
});

test("unknown ids and addresses answer 404 with the not-found page", async ({ page }) => {
  for (const path of [
    `/workloads/${UNKNOWN_ID}`,
    "/workloads/not-an-id",
    `/targets/${UNKNOWN_ID}`,
    `/r/${UNKNOWN_ID}`,
    "/checks/no-such-check",
    "/no-such-page",
  ]) {
    const response = await page.request.get(url(path), { maxRedirects: 0 });
    expect(response.status(), path).toBe(404);
    expect(await response.text(), path).toContain("Page not found");
  }
});

test("a form post below the action's role answers 403 and changes nothing", async ({ page }) => {
  const fields = await revokeTokenPost(page, "status-role");
  const response = await viewer.request.post(url("/admin/tokens"), {
    headers: { origin: origin() },
    multipart: fields,
    maxRedirects: 0,
  });
  expect(response.status()).toBe(403);
  await expectTokenActive(page, "status-role");
});

test("a cross-site form post answers 403 and changes nothing", async ({ page }) => {
  const fields = await revokeTokenPost(page, "status-cross-site");
  for (const foreign of ["http://evil.example", "null"]) {
    const response = await page.request.post(url("/admin/tokens"), {
      headers: { origin: foreign },
      multipart: fields,
      maxRedirects: 0,
    });
    expect(response.status(), foreign).toBe(403);
  }
  await expectTokenActive(page, "status-cross-site");
});

test("a post over 1 MB answers 413", async ({ page }) => {
  await page.goto(url("/admin/users"));
  const actionField = await page.locator('input[name^="$ACTION_ID_"]').first().getAttribute("name");
  if (!actionField) throw new Error("the users page has no server action form");
  const response = await page.request.post(url("/admin/users"), {
    headers: { origin: origin() },
    multipart: { [actionField]: "", userId: UNKNOWN_ID, role: "x".repeat(3 * 1024 * 1024) },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(413);
  expect(await response.text()).toMatch(/limited to 1 MB/);
});

test("NUL in a filter answers 400 from the CSV export and a message on the violations page", async ({ page }) => {
  const csv = await page.request.get(url("/api/export/violations?workload=a%00b&severity=high"));
  expect(csv.status()).toBe(400);
  expect(await csv.text()).toMatch(/^The filter "workload" holds control characters/);
  for (const query of ["check=%00", "page=1%00"]) {
    expect((await page.request.get(url(`/api/v1/findings?${query}`))).status(), query).toBe(400);
  }
  const response = await page.goto(url("/violations?workload=a%00b&image=x%1B"));
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("main").getByRole("alert")).toContainText(
    'The filters "workload", "image" hold control characters',
  );
  await screenshot(page, "violations-nul-filter");
  await page.getByRole("link", { name: "Show all open findings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Violations" })).toBeVisible();
});

test("NUL in an exception reason is refused with a message", async ({ page }) => {
  await page.goto(url("/exceptions"));
  const form = page.getByRole("form", { name: "Accept a risk" });
  await form.getByLabel("Check").selectOption({ index: 1 });
  await form.getByLabel("Workload").fill("Deployment/status-nul");
  await form.getByLabel("Reason").fill("legacy\u0000image");
  await form.getByLabel("Owner").fill("team-status");
  await form.getByRole("button", { name: "Accept risk" }).click();
  await expect(form.getByRole("status")).toHaveText("reason: must not contain control characters such as NUL");
  await expect(page.getByRole("cell", { name: /Deployment\/status-nul/ })).toHaveCount(0);
});
