import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { HARDENED_CONTAINER } from "./global-setup";
import { url } from "./support/pages";

// Uploading scanner reports on the vulnerabilities page, for the image global-setup runs on the private dockerd:
// the report is matched by digest to the running container and listed; a viewer sees the page without the form.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

const SIGNED_OUT = { cookies: [], origins: [] };
const PASSWORD = "twelve+ characters pw";
const CVE = "CVE-2099-4242";
const SCREENSHOTS = "/work/notes/screenshots";

/** The hardened container's workload and the digest the collector recorded for it, read through the API. */
async function hardened(page: Page): Promise<{ workloadId: string; digest: string }> {
  for (let n = 1; n < 50; n++) {
    const body = (await (await page.request.get(url(`/api/v1/workloads?page=${n}`))).json()) as {
      workloads: { id: string; containers: { name: string; digest: string | null }[] }[];
    };
    for (const workload of body.workloads) {
      const container = workload.containers.find((c) => c.name === HARDENED_CONTAINER);
      if (container?.digest) return { workloadId: workload.id, digest: container.digest };
    }
    if (body.workloads.length === 0) break;
  }
  throw new Error(`no digest recorded for ${HARDENED_CONTAINER}`);
}

function trivyReport(digest: string): string {
  return JSON.stringify({
    SchemaVersion: 2,
    CreatedAt: new Date().toISOString(),
    ArtifactName: "e2e/hardened:latest",
    ArtifactType: "container_image",
    Metadata: { ImageID: digest },
    Results: [
      {
        Target: "e2e (alpine 3.20)",
        Class: "os-pkgs",
        Type: "alpine",
        Vulnerabilities: [
          {
            VulnerabilityID: CVE,
            PkgName: "e2e-openssl",
            InstalledVersion: "3.0.1",
            FixedVersion: "3.0.9",
            Severity: "HIGH",
          },
        ],
      },
    ],
  });
}

async function upload(page: Page, files: { name: string; text: string }[]) {
  const form = page.getByRole("form", { name: "Upload scanner reports" });
  await form
    .getByLabel("Report files")
    .setInputFiles(files.map((f) => ({ name: f.name, mimeType: "application/json", buffer: Buffer.from(f.text) })));
  await form.getByRole("button", { name: "Upload" }).click();
  return form.getByRole("list", { name: "Upload results" });
}

test("an engineer uploads reports: each file's outcome is shown and the matched vulnerability is listed", async ({
  page,
}) => {
  const { workloadId, digest } = await hardened(page);
  const report = trivyReport(digest);
  await page.goto(url("/vulnerabilities"));
  await expect(page.getByRole("heading", { level: 1, name: "Vulnerabilities" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: CVE })).toHaveCount(0);

  const results = await upload(page, [
    { name: "hardened.trivy.json", text: report },
    { name: "broken.json", text: '[sk_live_e2e_secret_value, "x"]' },
  ]);
  await expect(results.getByRole("listitem")).toHaveCount(2);
  const good = results.getByRole("listitem").filter({ hasText: "hardened.trivy.json" });
  await expect(good).toHaveText(/^stored/);
  await expect(good).toContainText("1 report, 1 vulnerability");
  const bad = results.getByRole("listitem").filter({ hasText: "broken.json" });
  await expect(bad).toContainText("refused");
  await expect(bad).toContainText("broken.json: not valid JSON");
  await expect(page.locator("body")).not.toContainText("sk_live_e2e_secret_value");

  const row = page.getByRole("row").filter({ hasText: CVE });
  await expect(row).toBeVisible();
  await expect(row).toContainText("high");
  await expect(row).toContainText("e2e-openssl");
  await expect(row).toContainText("yes, 3.0.9");
  // At least the hardened workload; other specs' workloads may run the same image.
  await expect(row.getByRole("cell").nth(4)).toHaveText(/^[1-9]\d*$/);

  // The same report again changes nothing.
  const again = await upload(page, [{ name: "hardened.trivy.json", text: report }]);
  await expect(again.getByRole("listitem")).toHaveCount(1);
  await expect(again.getByRole("listitem")).toHaveText(/^already stored/);

  // Filters: a severity it does not have hides it; fixable keeps it.
  await page.goto(url("/vulnerabilities?severity=LOW"));
  await expect(page.getByRole("row").filter({ hasText: CVE })).toHaveCount(0);
  await page.goto(url("/vulnerabilities?severity=HIGH&fixable=yes"));
  await expect(page.getByRole("row").filter({ hasText: CVE })).toBeVisible();

  // The workload page lists the matched report and its fixable HIGH finding.
  await page.goto(url(`/workloads/${workloadId}`));
  const section = page.getByRole("region", { name: "Vulnerabilities" });
  await expect(section.getByRole("list", { name: "Matched reports" })).toContainText(`Trivy report of`);
  await expect(section.getByRole("list", { name: "Matched reports" })).toContainText(digest);
  await expect(section.getByRole("row").filter({ hasText: CVE })).toContainText("e2e-openssl 3.0.1");
  await expect(section.getByRole("row").filter({ hasText: CVE })).toContainText("3.0.9");

  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.setViewportSize({ width: 1366, height: 900 });
  await section.screenshot({ path: `${SCREENSHOTS}/vulns-workload-1366.png` });
  await page.goto(url("/vulnerabilities"));
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.screenshot({ path: `${SCREENSHOTS}/vulns-1366.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SCREENSHOTS}/vulns-390.png`, fullPage: true });
});

test("a signed-in viewer sees the list but no upload form", async ({ browser, page }) => {
  const email = "vuln-viewer@rampart.test";
  await page.goto(url("/admin/users"));
  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByLabel("Initial password").fill(PASSWORD);
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByRole("status")).toHaveText(`Added ${email}.`);

  const context = await browser.newContext({ storageState: SIGNED_OUT });
  const viewer = await context.newPage();
  await viewer.goto(url("/sign-in?next=/vulnerabilities"));
  await viewer.getByLabel("Email").fill(email);
  await viewer.getByLabel("Password").fill(PASSWORD);
  await viewer.getByRole("button", { name: "Sign in" }).click();
  await viewer.waitForURL((current) => !current.pathname.startsWith("/sign-in"));
  await viewer.goto(url("/vulnerabilities"));
  await expect(viewer.getByRole("heading", { level: 1, name: "Vulnerabilities" })).toBeVisible();
  await expect(viewer.getByRole("row").filter({ hasText: CVE })).toBeVisible();
  await expect(viewer.getByRole("form", { name: "Upload scanner reports" })).toHaveCount(0);
  await context.close();
});
