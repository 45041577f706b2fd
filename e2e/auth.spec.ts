import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { listGuardedFunctions } from "../lib/auth/route-guard";
import { urlOfRouteFile } from "../lib/auth/route-roles";
import { E2E_ADMIN, E2E_SSO_ACCOUNT } from "./auth-setup";
import { screenshot, url } from "./support/pages";
import { startTrustedProxy } from "./support/trusted-proxy";

// Sign-in, roles on every route, API tokens and the audit log against the real `rampart serve` of global-setup.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

const ROOT = path.resolve(import.meta.dirname, "..");
const SIGNED_OUT = { cookies: [], origins: [] };
const PASSWORD = "twelve+ characters pw";

/** Clicks and waits for the server action's answer (React resets the form's fields after it). */
async function submitSignIn(page: Page): Promise<void> {
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === "POST"),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(url("/sign-in"));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await submitSignIn(page);
}

async function signedInPage(browser: Browser, email: string, password = PASSWORD): Promise<Page> {
  const context = await browser.newContext({ storageState: SIGNED_OUT });
  const page = await context.newPage();
  await signIn(page, email, password);
  await page.waitForURL((current) => !current.pathname.startsWith("/sign-in"));
  return page;
}

async function addUser(page: Page, email: string, role: string): Promise<void> {
  await page.goto(url("/admin/users"));
  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption(role);
  await form.getByLabel("Initial password").fill(PASSWORD);
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByRole("status")).toHaveText(`Added ${email}.`);
}

function userRow(page: Page, email: string) {
  return page.getByRole("row").filter({ has: page.getByRole("cell", { name: email, exact: true }) });
}

/** Every page and route handler in app/, with a URL (dynamic segments filled with an unknown id). */
const ROUTES = listGuardedFunctions(ROOT, "app")
  .filter((entry) => entry.kind !== "action" && entry.required !== "public")
  .map((entry) => ({ ...entry, url: urlOfRouteFile(entry.file, () => "00000000-0000-4000-8000-000000000000") }));

test("every page redirects to sign-in and every API route answers 401 without a session", async ({ browser, page }) => {
  expect(ROUTES.length).toBeGreaterThan(8);
  const context = await browser.newContext({ storageState: SIGNED_OUT });
  for (const route of ROUTES) {
    // A route handler is asked with its own method (a POST-only route answers GET with 405 before any check).
    const method = route.kind === "route" ? route.name : "GET";
    const response = await context.request.fetch(url(route.url), { method, maxRedirects: 0 });
    if (route.kind === "page") {
      expect(response.status(), route.url).toBe(307);
      expect(response.headers().location, route.url).toMatch(/^\/sign-in(\?next=|$)/);
    } else {
      expect(response.status(), route.url).toBe(401);
    }
  }
  expect((await page.request.get(url("/api/v1/targets"))).status()).toBe(200);
  await context.close();
});

/** Pages stream behind app/loading.tsx: forbidden() arrives as Next's 403 view after a 200 status line. */
async function isForbidden(response: { status(): number; text(): Promise<string> }): Promise<boolean> {
  if (response.status() === 403) return true;
  const body = await response.text();
  return (
    response.status() === 200 &&
    body.includes("This page could not be accessed.") &&
    body.includes('name="robots" content="noindex"')
  );
}

test("a signed-in viewer is refused every page and route that needs more", async ({ browser, page }) => {
  await addUser(page, "viewer@rampart.test", "viewer");
  const viewer = await signedInPage(browser, "viewer@rampart.test");
  const higher = ROUTES.filter((route) => route.required !== "viewer");
  expect(higher.length).toBeGreaterThan(2);
  for (const route of higher) {
    const method = route.kind === "route" ? route.name : "GET";
    const response = await viewer.request.fetch(url(route.url), { method, maxRedirects: 0 });
    expect(await isForbidden(response), route.url).toBe(true);
  }
  for (const route of ROUTES.filter((r) => r.required === "viewer" && !r.url.includes("0000"))) {
    const response = await viewer.request.get(url(route.url), { maxRedirects: 0 });
    // A page may send the viewer on to another (/workloads shows the violations grouped by workload).
    if (response.status() === 307) expect(response.headers().location ?? "", route.url).not.toMatch(/sign-in/);
    else expect(response.status(), route.url).toBe(200);
    expect(await isForbidden(response), route.url).toBe(false);
  }
  await viewer.goto(url("/admin/users"));
  await expect(viewer.getByText("This page could not be accessed.")).toBeVisible();
  await expect(viewer.getByRole("heading", { name: "Users" })).toHaveCount(0);
  await viewer.context().close();
});

test("sign-in says the same thing for an unknown email and a wrong password, and returns to the page asked for", async ({
  browser,
}) => {
  const context = await browser.newContext({ storageState: SIGNED_OUT });
  const page = await context.newPage();
  await page.goto(url("/violations?severity=high"));
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fviolations%3Fseverity%3Dhigh$/);
  await page.getByLabel("Email").fill("nobody@rampart.test");
  await page.getByLabel("Password").fill(PASSWORD);
  await submitSignIn(page);
  const alert = page.getByRole("main").getByRole("alert");
  await expect(page.getByLabel("Password")).toHaveValue("");
  const unknown = await alert.textContent();
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill("not the password!");
  await submitSignIn(page);
  await expect(alert).toHaveText(unknown ?? "missing");
  // React resets the form once the failed action's transition ends; typing before that would be wiped.
  await expect(page.getByLabel("Password")).toHaveValue("");
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/violations\?severity=high$/);
  const cookie = (await context.cookies()).find((c) => c.name === "rampart_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });
  await context.close();
});

test("five wrong passwords refuse that source, even with the right one, while the user signs in from elsewhere; a forged X-Forwarded-For changes nothing", async ({
  browser,
  page,
}) => {
  await addUser(page, "locked@rampart.test", "viewer");
  // The attacker connects directly and names another address in X-Forwarded-For on every try.
  const attacker = await browser.newContext({ storageState: SIGNED_OUT });
  const other = await attacker.newPage();
  for (let i = 0; i < 5; i++) {
    await other.setExtraHTTPHeaders({ "x-forwarded-for": `6.6.6.${i}` });
    await signIn(other, "locked@rampart.test", `wrong password ${i}`);
  }
  await signIn(other, "locked@rampart.test", PASSWORD);
  await expect(other.getByRole("main").getByRole("alert")).toContainText("incorrect");
  await screenshot(other, "sign-in-refused");
  await attacker.close();
  await page.goto(url("/admin/users"));
  await expect(userRow(page, "locked@rampart.test")).toContainText("active");
  await screenshot(page, "admin-users");
  // The user comes through the company's reverse proxy, which global-setup trusts, from another address.
  const proxy = await startTrustedProxy(url("/"), "198.51.100.23");
  try {
    const context = await browser.newContext({ storageState: SIGNED_OUT });
    const user = await context.newPage();
    await user.goto(`${proxy.origin}/sign-in`);
    await user.getByLabel("Email").fill("locked@rampart.test");
    await user.getByLabel("Password").fill(PASSWORD);
    await submitSignIn(user);
    await user.waitForURL((current) => !current.pathname.startsWith("/sign-in"));
    await context.close();
  } finally {
    await proxy.close();
  }
  await page.goto(url("/admin/audit?actor=locked%40rampart.test"));
  const rows = page.getByRole("row");
  await expect(rows.filter({ hasText: "sign-in.succeeded" })).toContainText("198.51.100.23");
  await expect(rows.filter({ hasText: "sign-in.failed" })).toHaveCount(6);
  for (const row of await rows.filter({ hasText: "sign-in.failed" }).all())
    await expect(row).toContainText("127.0.0.1");
  await expect(page.getByRole("main")).not.toContainText("6.6.6.");
  await screenshot(page, "audit-throttled-sign-in");
});

test("a role downgrade applies to a session that is already open, and sign-out everywhere ends it", async ({
  browser,
  page,
}) => {
  await addUser(page, "second-admin@rampart.test", "admin");
  const second = await signedInPage(browser, "second-admin@rampart.test");
  await second.goto(url("/admin/users"));
  await expect(second.getByRole("heading", { name: "Users" })).toBeVisible();
  await page.goto(url("/admin/users"));
  const row = userRow(page, "second-admin@rampart.test");
  await row.getByLabel("Role of second-admin@rampart.test").selectOption("viewer");
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === "POST"),
    row.getByRole("button", { name: "Save" }).click(),
  ]);
  await expect(row.getByLabel("Role of second-admin@rampart.test")).toHaveValue("viewer");
  await second.goto(url("/admin/users"));
  await expect(second.getByText("This page could not be accessed.")).toBeVisible();
  await second.goto(url("/violations"));
  await expect(second.getByRole("heading", { name: "Violations" })).toBeVisible();
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === "POST"),
    row.getByRole("button", { name: "Sign out everywhere" }).click(),
  ]);
  await second.goto(url("/violations"));
  await expect(second).toHaveURL(/\/sign-in/);
  await second.context().close();
});

test("an API token is shown once, capped by its owner's role, revocable, and dies with a deleted owner", async ({
  browser,
  page,
  playwright,
}) => {
  await addUser(page, "ci-owner@rampart.test", "admin");
  const owner = await signedInPage(browser, "ci-owner@rampart.test");
  await owner.goto(url("/admin/tokens"));
  const form = owner.getByRole("form", { name: "Create an API token" });
  await form.getByLabel("Name", { exact: true }).fill("ci-e2e");
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByRole("button", { name: "Create token" }).click();
  const token = (await form.getByLabel("New API token").textContent()) ?? "";
  expect(token).toMatch(/^rpt_/);
  await owner.reload();
  await expect(owner.getByText(token)).toHaveCount(0);

  const api = await playwright.request.newContext({
    storageState: SIGNED_OUT,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  const findings = await api.get(url("/api/v1/findings?severity=high"));
  expect(findings.status()).toBe(200);
  expect(await findings.json()).toHaveProperty("bySeverity");
  expect((await api.get(url("/api/v1/findings?check=' OR 1=1 --"))).status()).toBe(400);
  expect((await api.get(url("/admin/users"), { maxRedirects: 0 })).status()).toBe(307);
  await owner.goto(url("/admin/tokens"));
  await expect(owner.getByRole("row").filter({ hasText: "ci-e2e" })).not.toContainText("never");

  await page.goto(url("/admin/users"));
  await userRow(page, "ci-owner@rampart.test").getByRole("button", { name: "Delete ci-owner@rampart.test" }).click();
  await expect(userRow(page, "ci-owner@rampart.test")).toHaveCount(0);
  expect((await api.get(url("/api/v1/targets"))).status()).toBe(401);
  await api.dispose();
  await owner.context().close();
});

test("the audit log lists sign-ins, failures and user changes with their source, and filters them", async ({
  page,
}) => {
  await page.goto(url("/admin/audit?action=sign-in.failed"));
  const rows = page.getByRole("row").filter({ hasText: "sign-in.failed" });
  await expect(rows.first()).toBeVisible();
  await expect(rows.first().getByRole("cell").last()).toHaveText(/127\.0\.0\.1/);
  await expect(page.getByRole("row").filter({ hasText: "user.created" })).toHaveCount(0);
  // Each action through the page's own filter: the unfiltered page shows the newest rows only, and setup's row is
  // the oldest of all.
  for (const action of [
    "setup.admin-created",
    "user.created",
    "user.role-changed",
    "user.deleted",
    "token.created",
    "sign-in.succeeded",
  ]) {
    await page.goto(url(`/admin/audit?action=${action}`));
    await expect(page.getByRole("row").filter({ hasText: action }).first()).toBeVisible();
  }
  await page.goto(url("/admin/audit"));
  await page.getByLabel("Actor").fill("locked@");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/actor=locked%40/);
  await expect(page.getByRole("row").filter({ hasText: "sign-in.locked" })).toHaveCount(1);
});

test("single sign-on through a real OpenID provider signs in with the role of the user's groups", async ({
  browser,
  page,
}) => {
  const context = await browser.newContext({ storageState: SIGNED_OUT });
  const sso = await context.newPage();
  await sso.goto(url("/violations"));
  await sso.getByRole("link", { name: "Sign in with single sign-on" }).click();
  await expect(sso).toHaveURL(url("/violations"));
  await expect(sso.getByRole("heading", { name: "Violations" })).toBeVisible();
  await sso.goto(url("/sign-in"));
  await expect(sso.getByRole("main")).toContainText(`Signed in as ${E2E_SSO_ACCOUNT.email} (security)`);
  await page.goto(url("/admin/users"));
  const row = userRow(page, E2E_SSO_ACCOUNT.email);
  await expect(row).toContainText("SSO");
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === "POST"),
    row.getByRole("button", { name: "Disable" }).click(),
  ]);
  await expect(row).toContainText("disabled");
  await sso.goto(url("/violations"));
  await expect(sso).toHaveURL(/\/sign-in/);
  await sso.getByRole("link", { name: "Sign in with single sign-on" }).click();
  await expect(sso).toHaveURL(/\/sign-in\?error=sso$/);
  await expect(sso.getByRole("main").getByRole("alert")).toContainText("Single sign-on failed");
  await context.close();
});
