import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { openVexJson, trivyJson } from "../lib/reports/testing";
import { screenshot, url } from "./support/pages";
import { hardened, upload } from "./support/reports";

// Two report files for the image the hardened container runs, uploaded through the drop zone (its picker and a
// real drop), then the image page reached from /vulnerabilities, and a CVE accepted there. Runs before
// vulnerabilities.spec.ts, whose newer report for the same image supersedes this one.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

const CVE = "CVE-2099-5151";
const VEXED = "CVE-2099-5152";
const PLANTED = "ghp_e2eImagePagePlanted0123456789abcdefXY";
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

function reportFor(digest: string): string {
  return trivyJson({
    imageId: digest,
    artifact: "e2e/hardened:latest",
    vulnerabilities: [
      { id: CVE, pkg: "e2e-busybox", version: "1.36.0", severity: "CRITICAL", fixed: "1.36.1" },
      { id: VEXED, pkg: "e2e-busybox", version: "1.36.0", severity: "HIGH", fixed: "1.36.1" },
      { id: "GHSA-e2e0-imag-page", pkg: "e2e-left-pad", severity: "MEDIUM", app: "npm" },
    ],
    secrets: [
      { ruleId: "github-pat", file: "/srv/app/config.yml", layer: `sha256:${"e".repeat(64)}`, planted: PLANTED },
    ],
  });
}

test("reports dropped for a running image are listed per file, and the image page shows them and who runs it", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { workloadId, digest } = await hardened(page);
  const report = reportFor(digest);
  await page.goto(url("/vulnerabilities"));
  const form = page.getByRole("form", { name: "Upload scanner reports" });
  await expect(form).toContainText("at most 960 KB each");

  // Two files through the picker: each named with what it held.
  const results = await upload(page, [
    { name: "hardened.trivy.json", text: report },
    { name: "hardened.vex.json", text: openVexJson(VEXED, [digest]) },
  ]);
  await expect(results.getByRole("listitem").filter({ hasText: "hardened.trivy.json" })).toHaveText(
    /^ingested.*1 report, 3 vulnerabilities, 1 secret$/,
  );
  await expect(results.getByRole("listitem").filter({ hasText: "hardened.vex.json" })).toHaveText(
    /^ingested.*1 report, 0 vulnerabilities$/,
  );

  // A real drop of the same report, built in the page: the zone takes it and it is a duplicate.
  const dataTransfer = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], "dropped.trivy.json", { type: "application/json" }));
    return transfer;
  }, report);
  await page.getByTestId("report-drop-zone").dispatchEvent("drop", { dataTransfer });
  await expect(form.getByRole("list", { name: "Chosen files" })).toContainText("dropped.trivy.json");
  await form.getByRole("button", { name: "Upload" }).click();
  await expect(results.getByRole("listitem")).toHaveCount(1);
  await expect(results.getByRole("listitem")).toHaveText(/^duplicate\s*dropped\.trivy\.json/);

  // Hostile files: not JSON is refused by name; a 100 MB file is refused by its size and never sent.
  const dir = await mkdtemp(path.join(os.tmpdir(), "rampart-e2e-upload-"));
  try {
    const huge = path.join(dir, "huge.json");
    const handle = await open(huge, "w");
    await handle.truncate(100 * 1024 * 1024);
    await handle.close();
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(String(request.postDataBuffer()?.length ?? 0));
    });
    const notes = path.join(dir, "notes.txt");
    await writeFile(notes, "this is not a report");
    const refused = await upload(page, [notes, huge]);
    const notJson = refused.getByRole("listitem").filter({ hasText: "notes.txt" });
    await expect(notJson).toHaveText(/^refused/);
    await expect(notJson).toContainText("notes.txt: expected a JSON object at the top level");
    const tooLarge = refused.getByRole("listitem").filter({ hasText: "huge.json" });
    await expect(tooLarge).toHaveText(/^refused/);
    await expect(tooLarge).toContainText("huge.json: larger than 960 KB, not sent");
    expect(posts.length).toBe(1);
    expect(Number(posts[0])).toBeLessThan(64 * 1024);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await expect(page.locator("body")).not.toContainText(PLANTED);
  await page.setViewportSize({ width: 1366, height: 900 });
  await screenshot(page, "image-upload-1366");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "image-upload-390");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1400, height: 900 });

  // /vulnerabilities names the running image of the CVE; its link opens the image page.
  await page.reload();
  const row = page
    .getByRole("table", { name: "Vulnerabilities in running containers" })
    .getByRole("row")
    .filter({ hasText: CVE });
  // The Package cell names the images running it.
  await row.getByRole("cell").nth(2).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/images\/sha256:[0-9a-f]{64}$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Image ");
  await expect(page.getByText(/^Running in \d+ workloads?$/)).toBeVisible();
  await expect(page.getByRole("region", { name: "Digests" })).toContainText(digest);
  const reports = page.getByRole("table", { name: "Reports held for this image" });
  await expect(reports.getByRole("row").filter({ hasText: "Trivy" })).toContainText("current");
  await expect(reports.getByRole("row").filter({ hasText: "Trivy" })).toContainText("3 vulnerabilities, 1 secret");
  const running = page.getByRole("table", { name: "Workloads running this image" });
  await expect(running.getByRole("link", { name: /e2e-hardened/ })).toHaveAttribute("href", `/workloads/${workloadId}`);

  const busybox = page.getByRole("listitem", { name: "e2e-busybox 1.36.0" });
  await expect(busybox).toContainText(CVE);
  await expect(busybox).toContainText("fixed in 1.36.1");
  await expect(busybox.getByRole("listitem").filter({ hasText: VEXED })).toContainText("VEX: not affected");
  await expect(page.getByRole("listitem", { name: /^e2e-left-pad / })).toContainText("application dependency (npm)");
  const secrets = page.getByRole("table", { name: "Secrets found in the image" });
  await expect(secrets).toContainText("github-pat");
  await expect(secrets).toContainText("/srv/app/config.yml");
  await expect(page.locator("body")).not.toContainText(PLANTED);

  // Accept the CVE for this image, until a date: excepted here at once.
  const item = busybox.getByRole("listitem").filter({ hasText: CVE });
  await item.getByRole("button", { name: "Accept…" }).click();
  const dialog = page.getByRole("dialog", { name: `Accept the risk of ${CVE}` });
  await expect(dialog).toContainText("Only for this image (sha256:");
  await dialog.getByLabel("Reason").fill("e2e: busybox applets in use are not affected");
  await dialog.getByLabel("Owner").fill("image team");
  await dialog.getByLabel("Expires on").fill(inDays(30));
  await dialog.getByRole("button", { name: "Accept risk" }).click();
  await expect(dialog).toBeHidden();
  await expect(item).toContainText("risk accepted: e2e: busybox applets in use are not affected (owner image team");
  await expect(item.getByRole("button", { name: "Accept…" })).toHaveCount(0);

  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 768 });
    await screenshot(page, `image-page-${width}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  }
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "image-page-390-dark");
  await page.setViewportSize({ width: 1366, height: 768 });
  await screenshot(page, "image-page-1366-dark");
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1400, height: 900 });

  // The workload page links the container's image to the same page.
  await page.goto(url(`/workloads/${workloadId}`));
  await page.getByRole("link", { name: /^Image of e2e-hardened/ }).click();
  await expect(page).toHaveURL(new RegExp(`/images/${digest}$`));
  await expect(page.getByRole("table", { name: "Workloads running this image" })).toBeVisible();

  // The exception is listed with its image scope; revoked, so later specs start without it.
  await page.goto(url("/vulnerabilities"));
  const accepted = page
    .getByRole("table", { name: "Accepted vulnerabilities" })
    .getByRole("row")
    .filter({ hasText: CVE });
  await expect(accepted).toContainText(digest);
  await accepted.getByText("Revoke…").click();
  await accepted.getByRole("button", { name: `Confirm revoking ${CVE}` }).click();
  await expect(accepted).toHaveCount(0);
});
