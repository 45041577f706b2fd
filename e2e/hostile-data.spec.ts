import { expect, test, type Page } from "@playwright/test";
import type { KubernetesSimulator } from "../lib/simulator/kubernetes";
import { expandManifests } from "../lib/simulator/kubernetes/expand";
import { ADMIN_TOKEN, startTestCluster } from "../lib/simulator/kubernetes/testing";
import { screenshot, url } from "./support/pages";

// A cluster whose objects hold what Postgres cannot store (NUL) and what would mislead a reader (U+202E turns
// text around): the run still succeeds, every other workload is stored, and names show their characters.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

const TARGET = "e2e-hostile-cluster";
const SPOOFED = "invoice\u202Efdp.exe";

function deployment(name: string, container: string) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "hostile", labels: { owner: "team\u2066x\u2069" } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: "x" } },
      template: { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: container, image: "busybox:1" }] } },
    },
  };
}

function targetRow(page: Page) {
  return page.getByRole("row").filter({ has: page.getByRole("link", { name: TARGET, exact: true }) });
}

let sim: KubernetesSimulator;

test.beforeAll(async () => {
  sim = await startTestCluster({});
  sim.store.apply(expandManifests([deployment(SPOOFED, "side\u0000car"), deployment("plain", "main")]).objects);
});

test.afterAll(async () => {
  await sim?.close();
});

test("one object with a NUL leaves the cluster's run succeeded, and names show their control characters", async ({
  page,
}) => {
  await page.goto(url("/targets"));
  const form = page.getByRole("form", { name: "Add a Kubernetes cluster" });
  await form.getByRole("textbox", { name: "Name", exact: true }).fill(TARGET);
  await form.getByRole("radio", { name: "URL + token + CA" }).check();
  await form.getByRole("textbox", { name: "API server URL" }).fill(sim.url);
  await form.getByLabel("Bearer token").fill(ADMIN_TOKEN);
  await form.getByRole("textbox", { name: "CA certificate (PEM)" }).fill(sim.tls.ca);
  await form.getByRole("button", { name: "Add cluster" }).click();
  await expect(form.getByRole("status")).toContainText(`Added ${TARGET}`);
  await targetRow(page)
    .getByRole("button", { name: `Poll ${TARGET} now` })
    .click();
  await expect(async () => {
    await page.reload();
    await expect(targetRow(page)).toContainText("succeeded", { timeout: 1_000 });
  }).toPass({ timeout: 90_000 });

  await targetRow(page).getByRole("link", { name: TARGET }).click();
  const history = page.getByRole("region", { name: "Run history" });
  await expect(history).toContainText("invoice\\u202Efdp.exe: collected text held NUL");
  await expect(history).not.toContainText(/prisma|22P05|Raw query/i);

  await page.goto(url("/violations?target=" + encodeURIComponent(TARGET)));
  await expect(page.getByRole("link", { name: "plain", exact: true }).first()).toBeVisible();
  await page.getByRole("link", { name: "invoice\\u202Efdp.exe", exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Deployment invoice\\u202Efdp.exe");
  await expect(page.getByRole("heading", { name: "Container side\uFFFDcar" })).toBeVisible();
  await expect(page.getByText("owner=team\\u2066x\\u2069")).toBeVisible();
  expect(await page.locator("main").innerText()).not.toContain("\u202E");
  await screenshot(page, "workload-hostile-names");

  await page.goto(url("/targets"));
  await targetRow(page).getByText("Delete…").click();
  await targetRow(page)
    .getByRole("button", { name: `Confirm deleting ${TARGET}` })
    .click();
  await expect(targetRow(page)).toHaveCount(0);
});
