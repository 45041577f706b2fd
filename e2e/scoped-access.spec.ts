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

async function setScope(page: Page, fields: { target?: string; namespaces?: string }): Promise<void> {
  await page.goto(url("/admin/users"));
  const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: EMAIL, exact: true }) });
  await row.locator("summary").click();
  const form = page.getByRole("form", { name: `Scope of ${EMAIL}` });
  for (const box of await form.getByRole("checkbox").all()) await box.uncheck();
  if (fields.target) await form.getByRole("checkbox", { name: fields.target, exact: true }).check();
  await form.getByLabel("Namespaces, one target/namespace a line").fill(fields.namespaces ?? "");
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

test("a user scoped to one target sees that target's numbers; a scope that matches nothing shows nothing", async ({
  page,
  browser,
}) => {
  await page.goto(url("/admin/users"));
  const add = page.getByRole("form", { name: "Add a user" });
  await add.getByLabel("Email").fill(EMAIL);
  await add.getByLabel("Role").selectOption("viewer");
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
