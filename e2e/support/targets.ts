import { readFileSync } from "node:fs";
import { expect, type Browser, type Page } from "@playwright/test";
import { AUTH_STATE } from "../auth-setup";
import { url } from "./pages";

/** A value global-setup exported for the specs (the simulated cluster's address and login). */
export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set by global-setup`);
  return value;
}

/** The Targets table row of the target named `name`. */
export function targetRow(page: Page, name: string) {
  return page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
}

/**
 * Sets whether the target also judges stopped containers, with its button on the Targets page; resolves to whether
 * that changed the setting (a spec changing it sets it back after).
 */
export async function setIncludeStopped(page: Page, name: string, include: boolean): Promise<boolean> {
  await page.goto(url("/targets"));
  const row = targetRow(page, name);
  const button = row.getByRole("button", {
    name: include ? `Also judge stopped containers of ${name}` : `Judge only running containers of ${name}`,
  });
  if (!(await button.isVisible())) return false;
  await button.click();
  await expect(row).toContainText(include ? "running and stopped" : "running only");
  return true;
}

/** Fills the "Add a Kubernetes cluster" form with global-setup's simulated cluster (URL + token + CA). */
export async function fillSimulatedCluster(page: Page, name: string) {
  await page.goto(url("/targets"));
  const form = page.getByRole("form", { name: "Add a Kubernetes cluster" });
  await form.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await form.getByRole("radio", { name: "URL + token + CA" }).check();
  await form.getByRole("textbox", { name: "API server URL" }).fill(env("RAMPART_E2E_CLUSTER_URL"));
  await form.getByLabel("Bearer token").fill(env("RAMPART_E2E_CLUSTER_TOKEN"));
  await form
    .getByRole("textbox", { name: "CA certificate (PEM)" })
    .fill(readFileSync(env("RAMPART_E2E_CLUSTER_CA_FILE"), "utf8"));
  return form;
}

/** Polls the Targets page until the target's row says succeeded (the scheduler leases it within seconds). */
export async function waitForSuccess(page: Page, name: string): Promise<void> {
  await expect(async () => {
    await page.reload();
    await expect(targetRow(page, name)).toContainText("succeeded", { timeout: 1_000 });
  }).toPass({ timeout: 90_000 });
}

/** Adds the simulated cluster under `name`, asks for a poll and waits until it succeeded. */
export async function addSimulatedCluster(page: Page, name: string): Promise<void> {
  const form = await fillSimulatedCluster(page, name);
  await form.getByRole("button", { name: "Add cluster" }).click();
  await expect(form.getByRole("status")).toContainText(`Added ${name}`);
  await targetRow(page, name)
    .getByRole("button", { name: `Poll ${name} now` })
    .click();
  await waitForSuccess(page, name);
}

/** Deletes the target through its confirm button on the Targets page. */
export async function deleteTarget(page: Page, name: string): Promise<void> {
  await page.goto(url("/targets"));
  const row = targetRow(page, name);
  await row.getByText("Delete…").click();
  await row.getByRole("button", { name: `Confirm deleting ${name}` }).click();
  await expect(targetRow(page, name)).toHaveCount(0);
}

/** For `afterAll`: deletes the target as the admin when an earlier test left it. */
export async function removeTargetIfPresent(browser: Browser, name: string): Promise<void> {
  const context = await browser.newContext({ storageState: AUTH_STATE });
  const page = await context.newPage();
  await page.goto(url("/targets"));
  if ((await targetRow(page, name).count()) > 0) await deleteTarget(page, name);
  await context.close();
}
