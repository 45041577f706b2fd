import { expect, test } from "@playwright/test";
import { HARDENED_CONTAINER } from "./global-setup";
import { screenshot, url } from "./support/pages";
import { deleteTarget, env, fillSimulatedCluster, targetRow, waitForSuccess } from "./support/targets";

// Targets added through the forms the way an admin does: the private dockerd (test connection, add, poll now) and
// the simulated cluster by URL + token + CA. Everything shown comes from the real collectors.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

test("a Docker host added through the form is tested, polled, and its containers appear", async ({ page }) => {
  await page.goto(url("/targets"));
  const form = page.getByRole("form", { name: "Add a Docker target" });
  await form.getByRole("textbox", { name: "Name" }).fill("e2e-dockerd");
  await form.getByRole("textbox", { name: "Docker URL" }).fill(env("RAMPART_E2E_DOCKER_URL"));
  await form.getByRole("checkbox", { name: "Also judge stopped containers" }).check();
  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(form.getByRole("status")).toContainText(/Connected: .*Docker/);
  await form.getByRole("button", { name: "Add target" }).click();
  await expect(form.getByRole("status")).toContainText("Added e2e-dockerd");
  await targetRow(page, "e2e-dockerd").getByRole("button", { name: "Poll e2e-dockerd now" }).click();
  await waitForSuccess(page, "e2e-dockerd");
  await screenshot(page, "targets");

  await targetRow(page, "e2e-dockerd").getByRole("link", { name: "e2e-dockerd" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "e2e-dockerd" })).toBeVisible();
  const history = page.getByRole("region", { name: "Run history" });
  const run = history.getByRole("row").filter({ hasText: "succeeded" }).first();
  await expect(run).toBeVisible();
  // global-setup made two containers on this dockerd, one running and one created: stopped ones are judged here.
  await expect(run.getByRole("cell").nth(3)).toHaveText("2");
  await expect(page.getByRole("region", { name: "Containers" })).toContainText("2");
  await page.getByRole("button", { name: "Test connection to e2e-dockerd" }).click();
  await expect(page.getByRole("status")).toContainText("Connected");
  await screenshot(page, "target-detail");
  await page.goto(url("/violations"));
  await expect(page.getByRole("row").filter({ hasText: HARDENED_CONTAINER }).first()).toBeVisible();
});

test("a wrong Docker address is refused by the connection test with the collector's error", async ({ page }) => {
  await page.goto(url("/targets"));
  const form = page.getByRole("form", { name: "Add a Docker target" });
  await form.getByRole("textbox", { name: "Name" }).fill("nowhere");
  await form.getByRole("textbox", { name: "Docker URL" }).fill("unix:///nonexistent/docker.sock");
  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(form.getByRole("status")).toContainText("Connection failed:");
  await expect(form.getByRole("status")).toContainText("/nonexistent/docker.sock");
});

test("a Docker host over tcp:// takes its TLS material as PEM: a server path is refused, not read", async ({
  page,
}) => {
  await page.goto(url("/targets"));
  const form = page.getByRole("form", { name: "Add a Docker target" });
  await form.getByRole("textbox", { name: "Name" }).fill("tls-by-path");
  await form.getByRole("textbox", { name: "Docker URL" }).fill("tcp://127.0.0.1:2376");
  await form
    .getByRole("textbox", { name: "or paste the CA certificate (PEM)" })
    .fill("/etc/ssl/certs/ca-certificates.crt");
  await form.getByRole("textbox", { name: "or paste the client certificate (PEM)" }).fill("/etc/passwd");
  await form.getByRole("textbox", { name: "or paste the client key (PEM)" }).fill("/etc/shadow");
  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(form.getByText("the CA certificate is not a PEM certificate")).toBeVisible();
  await expect(form.getByText("the client certificate is not a PEM certificate")).toBeVisible();
  await expect(form.getByText("the key is not a PEM private key")).toBeVisible();
  await expect(form.getByText("Connection failed:")).toHaveCount(0);
  await screenshot(page, "docker-tls-path-refused");
});

test("a cluster added by URL, token and CA is polled; its credentials are never shown back", async ({ page }) => {
  const form = await fillSimulatedCluster(page, "e2e-cluster");
  await expect(form.getByText("Read-only RBAC to apply first")).toBeVisible();
  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(form.getByRole("status")).toContainText("Connected");
  await form.getByRole("button", { name: "Add cluster" }).click();
  await expect(form.getByRole("status")).toContainText("Added e2e-cluster");
  await targetRow(page, "e2e-cluster").getByRole("button", { name: "Poll e2e-cluster now" }).click();
  await waitForSuccess(page, "e2e-cluster");
  await expect(targetRow(page, "e2e-cluster")).toContainText("credentials set");
  expect(await page.content()).not.toContain(env("RAMPART_E2E_CLUSTER_TOKEN"));
});

test("a cluster workload's page offers one combined fix next to the fixes per check", async ({ page }) => {
  await page.goto(url("/violations?target=e2e-cluster&workload=web"));
  const href = (await page.locator("tbody tr").first().locator("a[href^='/r/']").getAttribute("href")) ?? "";
  await page.goto(url(href));
  const combined = page.getByRole("region", { name: "Fix everything at once" });
  await expect(combined).toContainText(/One change for \d+ failing checks on 1 container/);
  await expect(combined.getByLabel("Combined kubectl patch for Deployment web", { exact: true })).toContainText(
    "kubectl patch deployment web -n shop --type strategic -p",
  );
  await expect(combined.getByLabel("NetworkPolicy for Deployment web", { exact: true })).toContainText(
    "kind: NetworkPolicy",
  );
  await page.setViewportSize({ width: 1366, height: 900 });
  await screenshot(page, "workload-combined-fix-1366");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "workload-combined-fix-390");
});

// Also leaves the fleet as global-setup made it: the specs after this one count local-docker's findings alone.
test("deleting asks for confirmation first, and removes the target's findings", async ({ page }) => {
  for (const name of ["e2e-cluster", "e2e-dockerd"]) await deleteTarget(page, name);
  await page.goto(url("/violations"));
  await expect(page.getByText("e2e-dockerd")).toHaveCount(0);
});
