import { expect, type Locator, type Page } from "@playwright/test";
import { HARDENED_CONTAINER } from "../global-setup";
import { url } from "./pages";

/** The hardened container's workload and the digest the collector recorded for it, read through the API. */
export async function hardened(page: Page): Promise<{ workloadId: string; digest: string }> {
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

/**
 * Chooses files in the drop zone's picker (made in memory, or paths of files on disk) and uploads them; the list
 * of per-file results.
 */
export async function upload(page: Page, files: { name: string; text: string }[] | string[]): Promise<Locator> {
  const form = page.getByRole("form", { name: "Upload scanner reports" });
  const picker = form.getByLabel("Report files");
  if (files.every((f) => typeof f === "string")) await picker.setInputFiles(files);
  else
    await picker.setInputFiles(
      files.map((f) => ({ name: f.name, mimeType: "application/json", buffer: Buffer.from(f.text) })),
    );
  await form.getByRole("button", { name: "Upload" }).click();
  const results = form.getByRole("list", { name: "Upload results" });
  await expect(results.getByRole("listitem")).toHaveCount(files.length);
  return results;
}
