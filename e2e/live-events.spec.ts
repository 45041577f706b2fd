import { expect, test, type Page } from "@playwright/test";
import { docker } from "./support/engine-cli";
import { screenshot, url } from "./support/pages";
import { setIncludeStopped, targetRow } from "./support/targets";

// Between polls the worker follows the Docker engine's events: a privileged container created on the followed
// host is judged and shown within seconds, and removing it brings the next poll forward, which marks it gone.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

const TARGET = "local-docker";
const CONTAINER = "e2e-live-privileged";

async function pollsOf(page: Page, href: string): Promise<number> {
  await page.goto(url(href));
  return page.getByRole("region", { name: "Run history" }).getByRole("row").filter({ hasText: "succeeded" }).count();
}

test("a privileged container created on a followed host shows on the violations page before the next poll", async ({
  page,
}) => {
  // The sandbox cannot start a privileged container: it is created, so stopped ones must be judged.
  const toggled = await setIncludeStopped(page, TARGET, true);
  const status = targetRow(page, TARGET).getByRole("status", { name: `${TARGET} events` });
  await expect(async () => {
    await page.reload();
    await expect(status).toContainText("live", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(status).toContainText("following events since");
  await screenshot(page, "targets-live");
  const href =
    (await targetRow(page, TARGET).getByRole("link", { name: TARGET, exact: true }).getAttribute("href")) ?? "";
  const polls = await pollsOf(page, href);

  const started = Date.now();
  await docker([
    "create",
    "--name",
    CONTAINER,
    "--network",
    "none",
    "--privileged",
    "rampart-test/base:1",
    "sleep",
    "1",
  ]);
  const finding = page.locator("tbody tr").filter({ hasText: "not-privileged" });
  await expect(async () => {
    await page.goto(url(`/violations?workload=${CONTAINER}&severity=critical`));
    await expect(finding).toHaveCount(1, { timeout: 200 });
  }).toPass({ timeout: 60_000, intervals: [100] });
  console.log(`docker create --privileged -> critical finding on the violations page: ${Date.now() - started} ms`);
  await screenshot(page, "violations-live");
  expect(await pollsOf(page, href)).toBe(polls);

  await docker(["rm", "-f", CONTAINER]);
  await expect(async () => {
    await page.goto(url(`/violations?workload=${CONTAINER}`));
    await expect(finding).toHaveCount(0, { timeout: 200 });
  }).toPass({ timeout: 60_000 });
  expect(await pollsOf(page, href)).toBeGreaterThan(polls);
  if (toggled) await setIncludeStopped(page, TARGET, false);
});
