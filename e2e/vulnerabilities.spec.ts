import { expect, test, type Page } from "@playwright/test";
import { HARDENED_CONTAINER } from "./global-setup";
import { screenshot, url } from "./support/pages";
import { hardened, upload } from "./support/reports";

// Uploading scanner reports on the vulnerabilities page, for the image global-setup runs on the private dockerd:
// the report is matched by digest to the running container and listed; a viewer sees the page without the form.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

const SIGNED_OUT = { cookies: [], origins: [] };
const PASSWORD = "twelve+ characters pw";
const CVE = "CVE-2099-4242";

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
  const good = results.getByRole("listitem").filter({ hasText: "hardened.trivy.json" });
  await expect(good).toHaveText(/^ingested/);
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
  await expect(again.getByRole("listitem")).toHaveText(/^duplicate/);

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

  await page.setViewportSize({ width: 1366, height: 900 });
  await screenshot(page, "vulns-workload-1366");
  await page.goto(url("/vulnerabilities"));
  await screenshot(page, "vulns-1366");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "vulns-390");
});

const CHECK = "image-vulnerability-scanned";

/** Polls the private dockerd now and waits for the run to finish. */
async function pollNow(page: Page) {
  await page.goto(url("/targets"));
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: "local-docker", exact: true }) });
  await row.getByRole("button", { name: "Poll local-docker now" }).click();
  await expect(row.getByRole("status", { name: "Poll of local-docker" })).toHaveText(/^Done: (succeeded|partial)$/, {
    timeout: 90_000,
  });
}

/** Passing and judged containers of a check, as its catalog page prints them. */
async function checkCounts(page: Page, checkId: string): Promise<{ passed: number; judged: number }> {
  await page.goto(url(`/checks/${checkId}`));
  const text = await page.getByText(/passing of \d+ judged containers/).innerText();
  const [, passed, judged] = /(\d+) passing of (\d+) judged/.exec(text) ?? [];
  return { passed: Number(passed), judged: Number(judged) };
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test("a security reviewer accepts the CVE for the workload until a date: excepted there, check 9 passes there from the next poll; revoked after a confirm", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const { workloadId } = await hardened(page);
  await pollNow(page);
  const before = await checkCounts(page, CHECK);

  await page.goto(url(`/workloads/${workloadId}`));
  const section = page.getByRole("region", { name: "Vulnerabilities" });
  const row = section.getByRole("row").filter({ hasText: CVE });
  await expect(row.getByText("open", { exact: true })).toBeVisible();
  await row.getByRole("button", { name: "Accept…" }).click();
  const dialog = page.getByRole("dialog", { name: `Accept the risk of ${CVE}` });
  await expect(dialog).toContainText(`Only for Container ${HARDENED_CONTAINER}.`);
  await dialog.getByLabel("Reason").fill("e2e: the vulnerable code path is never called");
  await dialog.getByLabel("Owner").fill("platform team");
  await dialog.getByLabel("Expires on").fill(inDays(14));
  await dialog.getByRole("button", { name: "Accept risk" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("excepted");
  await expect(row).toContainText("risk accepted: e2e: the vulnerable code path is never called (owner platform team");
  await expect(row.getByRole("button", { name: "Accept…" })).toHaveCount(0);
  await page.setViewportSize({ width: 1366, height: 900 });
  await screenshot(page, "vuln-pages-workload-1366");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "vuln-pages-workload-390");
  await page.setViewportSize({ width: 1400, height: 900 });

  // The next poll judges the container again: check 9 passes there, one more passing of as many judged.
  await pollNow(page);
  const after = await checkCounts(page, CHECK);
  expect(after).toEqual({ passed: before.passed + 1, judged: before.judged });

  // The fleet page lists the exception with its scope, and the CVE as excepted where it is.
  await page.goto(url("/vulnerabilities?class=os&severity=HIGH"));
  const accepted = page
    .getByRole("table", { name: "Accepted vulnerabilities" })
    .getByRole("row")
    .filter({ hasText: CVE });
  await expect(accepted).toContainText(`workload Container/${HARDENED_CONTAINER}`);
  await expect(accepted).toContainText("platform team");
  const fleetRow = page
    .getByRole("table", { name: "Vulnerabilities in running containers" })
    .getByRole("row")
    .filter({ hasText: CVE });
  await expect(fleetRow).toContainText("risk accepted: e2e: the vulnerable code path is never called");
  await expect(page.getByRole("combobox", { name: "Packages" })).toHaveValue("os");
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await screenshot(page, `vuln-pages-vulnerabilities-${width}`);
  }
  await page.setViewportSize({ width: 1400, height: 900 });

  // Revoking asks first, then the row is gone and the workload shows the CVE open again.
  await accepted.getByText("Revoke…").click();
  await accepted.getByRole("button", { name: `Confirm revoking ${CVE}` }).click();
  await expect(accepted).toHaveCount(0);
  await page.goto(url(`/workloads/${workloadId}`));
  await expect(row.getByText("open", { exact: true })).toBeVisible();
});

test("an accept without a reason, or for a past day, is refused and names the field", async ({ page }) => {
  await page.goto(url("/vulnerabilities?severity=HIGH"));
  const row = page
    .getByRole("table", { name: "Vulnerabilities in running containers" })
    .getByRole("row")
    .filter({ hasText: CVE });
  await row.getByRole("button", { name: "Accept…" }).click();
  const dialog = page.getByRole("dialog", { name: `Accept the risk of ${CVE}` });
  // The browser's own checks (required, min) are lifted to reach the server's.
  await dialog.locator("form, textarea, input").evaluateAll((els) =>
    els.forEach((el) => {
      el.removeAttribute("required");
      el.removeAttribute("min");
    }),
  );
  await page.evaluate(() => document.querySelectorAll("form").forEach((f) => f.setAttribute("novalidate", "")));
  await dialog.getByLabel("Owner").fill("someone");
  await dialog.getByLabel("Expires on").fill(inDays(-2));
  await dialog.getByRole("button", { name: "Accept risk" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Expires on: must be in the future");
  await dialog.getByLabel("Expires on").fill(inDays(3));
  await dialog.getByLabel("Reason").fill("");
  await dialog.getByRole("button", { name: "Accept risk" }).click();
  await expect(dialog.getByRole("alert")).toContainText("reason:");
  await page.goto(url("/vulnerabilities"));
  await expect(page.getByRole("table", { name: "Accepted vulnerabilities" })).toHaveCount(0);
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
  await expect(viewer.getByRole("button", { name: "Accept…" })).toHaveCount(0);
  await context.close();
});
