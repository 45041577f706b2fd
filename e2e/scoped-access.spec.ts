import { expect, test, type Browser, type Page } from "@playwright/test";
import { screenshot, url } from "./support/pages";

// A user limited to a scope sees only it: the admin sets the scope on the Users page, the user signs in.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

const SIGNED_OUT = { cookies: [], origins: [] };
const PASSWORD = "twelve+ characters pw";
const EMAIL = "scoped@rampart.test";

async function containers(page: Page): Promise<number> {
  return Number((await page.getByTestId("containers").first().innerText()).replace(/[^\d]/g, ""));
}

async function openFindings(page: Page): Promise<number> {
  const text = (await page.locator("main header").first().textContent()) ?? "";
  return Number(/(\d+) open finding/.exec(text)?.[1] ?? NaN);
}

async function setScope(page: Page, fields: { target?: string; namespaces?: string; teams?: string }): Promise<void> {
  await page.goto(url("/admin/users"));
  const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: EMAIL, exact: true }) });
  await row.locator("summary").click();
  const form = page.getByRole("form", { name: `Scope of ${EMAIL}` });
  for (const box of await form.getByRole("checkbox").all()) await box.uncheck();
  if (fields.target) await form.getByRole("checkbox", { name: fields.target, exact: true }).check();
  await form.getByLabel("Namespaces, one target/namespace a line").fill(fields.namespaces ?? "");
  await form.getByLabel("Teams, one a line").fill(fields.teams ?? "");
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === "POST"),
    form.getByRole("button", { name: "Save scope" }).click(),
  ]);
  await expect(form.getByRole("alert")).toHaveCount(0);
}

async function signedIn(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ storageState: SIGNED_OUT })).newPage();
  await page.goto(url("/sign-in"));
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((current) => !current.pathname.startsWith("/sign-in"));
  return page;
}

const context: { user?: Page } = {};

test.slow();

test("a user scoped to one target sees that target's numbers; a scope that matches nothing shows nothing", async ({
  page,
  browser,
}) => {
  await page.goto(url("/admin/users"));
  const add = page.getByRole("form", { name: "Add a user" });
  await add.getByLabel("Email").fill(EMAIL);
  // Security, so that it may accept risks (within its scope); its numbers are a viewer's.
  await add.getByLabel("Role").selectOption("security");
  await add.getByLabel("Initial password").fill(PASSWORD);
  await add.getByRole("button", { name: "Add user" }).click();
  await expect(add.getByRole("status")).toHaveText(`Added ${EMAIL}.`);

  await page.goto(url("/?target=local-docker"));
  const adminContainers = await containers(page);
  await page.goto(url("/violations?target=local-docker"));
  const adminFindings = await openFindings(page);
  expect(adminContainers).toBeGreaterThan(0);

  await setScope(page, { target: "local-docker" });
  const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: EMAIL, exact: true }) });
  await expect(row).toContainText("target local-docker");
  for (const [width, height] of [
    [1366, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.goto(url("/admin/users"));
    await screenshot(page, `scoped-users-${width}`);
    await page.goto(url("/admin/tokens"));
    await screenshot(page, `scoped-tokens-${width}`);
  }

  const user = await signedIn(browser);
  context.user = user;
  await user.goto(url("/"));
  expect(await containers(user)).toBe(adminContainers);
  await user.goto(url("/violations"));
  expect(await openFindings(user)).toBe(adminFindings);

  // A namespace that no target has: the user sees no container and no finding, even when the URL names the target.
  await setScope(page, { namespaces: "local-docker/no-such-namespace" });
  await user.goto(url("/?target=local-docker"));
  expect(await containers(user)).toBe(0);
  await user.goto(url("/violations?target=local-docker"));
  expect(await openFindings(user)).toBe(0);
  const api = await user.request.get(url("/api/v1/findings?target=local-docker"));
  expect((await api.json()).total).toBe(0);
});

async function acceptRisk(page: Page, fields: { target: string; namespace?: string; reason: string }) {
  await page.goto(url("/exceptions"));
  const form = page.getByRole("form", { name: "Accept a risk" });
  await form.getByLabel("Check", { exact: true }).selectOption("run-as-non-root");
  await form.getByLabel("Target", { exact: true }).selectOption({ label: fields.target });
  await form.getByLabel("Namespace", { exact: true }).fill(fields.namespace ?? "");
  await form.getByLabel("Reason", { exact: true }).fill(fields.reason);
  await form.getByLabel("Owner", { exact: true }).fill("e2e");
  await form.getByRole("button", { name: "Accept risk" }).click();
  return form.getByRole("status");
}

test("a scoped user sees and makes exceptions in its scope only; /metrics, reports held and old target links keep to it", async ({
  page,
}) => {
  const user = context.user;
  if (!user) throw new Error("the test before signs the scoped user in: it did not run or failed");
  await setScope(page, { target: "local-docker" });
  const stamp = Date.now();
  const inside = `e2e inside ${stamp}`;
  const outside = `e2e outside ${stamp}`;
  await expect(await acceptRisk(page, { target: "local-docker", reason: inside })).toHaveText("Exception created.");
  await expect(
    await acceptRisk(page, { target: "any target", namespace: `elsewhere-${stamp}`, reason: outside }),
  ).toHaveText("Exception created.");

  await user.goto(url("/exceptions"));
  const active = user.getByRole("table", { name: "Active exceptions" });
  await expect(active.getByRole("row").filter({ hasText: inside })).toHaveCount(1);
  await expect(
    active
      .getByRole("row")
      .filter({ hasText: inside })
      .getByRole("button", { name: /^Extend/ }),
  ).toHaveCount(1);
  await expect(user.getByText(outside)).toHaveCount(0);
  // Only the targets in scope are offered; an exception on every target is wider than the user's scope.
  const targets = await user
    .getByRole("form", { name: "Accept a risk" })
    .getByLabel("Target", { exact: true })
    .locator("option")
    .allTextContents();
  expect(targets).toEqual(["any target", "local-docker"]);
  await expect(await acceptRisk(user, { target: "any target", reason: `e2e wide ${stamp}` })).toHaveText(
    /reaches beyond what you may see \(target local-docker\)/,
  );
  await expect(await acceptRisk(user, { target: "local-docker", reason: `e2e mine ${stamp}` })).toHaveText(
    "Exception created.",
  );
  for (const [width, height] of [
    [1366, 900],
    [390, 844],
  ] as const) {
    await user.setViewportSize({ width, height });
    await user.goto(url("/exceptions"));
    await screenshot(user, `scoped-exceptions-${width}`);
  }

  // /metrics is the operator's whole-fleet view: a scoped caller is refused.
  const metrics = await user.request.get(url("/metrics"));
  expect(metrics.status()).toBe(403);
  expect(await metrics.text()).not.toContain("rampart_");

  await user.goto(url("/vulnerabilities"));
  await expect(user.getByText(/current reports? held for images running in this scope/)).toHaveCount(1);
  // Vulnerability exceptions name no target: a scoped security user may neither list, accept nor revoke them.
  await expect(user.getByText(/Vulnerability exceptions name no target and reach the whole fleet/)).toHaveCount(1);
  await expect(user.getByRole("button", { name: /^Accept/ })).toHaveCount(0);
  const listed = await user.request.get(url("/api/v1/vulnerability-exceptions"));
  expect(listed.status()).toBe(403);
  await user.goto(url("/checks/run-as-non-root"));
  // Pod Security controls by title, the upstream id beside.
  await expect(user.locator("dd").filter({ hasText: /^Running as Non-root\s+runAsNonRoot$/ })).toHaveCount(1);
  for (const [width, height] of [
    [1366, 900],
    [390, 844],
  ] as const) {
    await user.setViewportSize({ width, height });
    await user.goto(url("/vulnerabilities"));
    await screenshot(user, `scoped-vulnerabilities-${width}`);
    await user.goto(url("/checks/run-as-non-root"));
    await screenshot(user, `scoped-check-${width}`);
  }

  // An old /targets/<id> link: followed inside the scope, a 404 naming nothing outside it.
  await page.goto(url("/exceptions"));
  const targetId = await page
    .getByRole("form", { name: "Accept a risk" })
    .getByLabel("Target", { exact: true })
    .locator("option", { hasText: "local-docker" })
    .getAttribute("value");
  expect(targetId).toMatch(/^[0-9a-f-]{36}$/);
  await user.goto(url(`/targets/${targetId}`));
  expect(new URL(user.url()).pathname).toBe("/targets/local-docker");
  await setScope(page, { teams: `e2e-no-such-team-${stamp}` });
  const response = await user.goto(url(`/targets/${targetId}`));
  expect(response?.status()).toBe(404);
  expect(await user.locator("main").innerText()).not.toContain("local-docker");
});
