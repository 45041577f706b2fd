import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import {
  HOSTILE_KINDS,
  writeHostileKubeconfigs,
  type HostileKubeconfig,
} from "../lib/collectors/kubernetes/testing/hostile-kubeconfigs";
import { screenshot, url } from "./support/pages";

// An admin uploads each kind of kubeconfig that would run a command or read a file on the server: the form
// shows the refusal naming the field, the command never runs, and no target is added.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

let dir = "";
let hostile: HostileKubeconfig[] = [];

test.beforeAll(async () => {
  const server = process.env.RAMPART_E2E_CLUSTER_URL;
  const caFile = process.env.RAMPART_E2E_CLUSTER_CA_FILE;
  if (!server || !caFile) throw new Error("global-setup did not start the simulated cluster");
  dir = await mkdtemp(path.join(os.tmpdir(), "rampart-e2e-hostile-"));
  hostile = await writeHostileKubeconfigs(dir, { url: server, ca: readFileSync(caFile, "utf8") });
});

test.afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

for (const kind of HOSTILE_KINDS) {
  test(`a kubeconfig with ${kind} is refused on Test connection and Add, naming the field`, async ({ page }) => {
    const item = hostile.find((h) => h.kind === kind)!;
    const name = `hostile-${kind.toLowerCase()}`;
    await page.goto(url("/targets"));
    const form = page.getByRole("form", { name: "Add a Kubernetes cluster" });
    await form.getByRole("textbox", { name: "Name", exact: true }).fill(name);
    await form.getByLabel("Kubeconfig file").setInputFiles({
      name: "config",
      mimeType: "application/yaml",
      buffer: Buffer.from(item.kubeconfig),
    });
    await form.getByRole("button", { name: "Test connection" }).click();
    const refusal = form.getByText(item.refusal);
    await expect(refusal).toBeVisible();
    await expect(refusal).toContainText("ServiceAccount token");
    await expect(form.getByRole("alert")).toHaveText("Check the highlighted fields.");
    await expect(form.getByText("Connected:")).toHaveCount(0);
    if (kind === "exec") await screenshot(page, "hostile-kubeconfig-refused");

    await form.getByRole("button", { name: "Add cluster" }).click();
    await expect(form.getByText(item.refusal)).toBeVisible();
    await expect(form.getByText(`Added ${name}`)).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
    expect(existsSync(item.marker), `the ${kind} kubeconfig ran its command on the server`).toBe(false);
  });
}
