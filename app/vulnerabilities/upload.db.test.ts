import { describe, expect, it, vi } from "vitest";
import { dumpAllTables, setupTestDatabase } from "@/lib/db/testing";
import { MAX_UPLOAD_FILE_BYTES } from "@/lib/http/post-guard";
import { trivyJson } from "@/lib/reports/testing";

// The upload actions as the dashboard calls them, with an engineer's session, on a real database.
const test = setupTestDatabase({ processDb: true });
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-forwarded-for": "127.0.0.1" }) }));
vi.mock("@/lib/auth/session", () => ({ requireRole: async () => ({ email: "eng@example.test", role: "engineer" }) }));

const { uploadReport, uploadReports } = await import("./actions");
const PLANTED = "ghp_PlantedUploadSecret0123456789abcdefAB";
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;

function form(files: File[], field = "report"): FormData {
  const data = new FormData();
  for (const file of files) data.append(field, file);
  return data;
}

/** A file that says it is 100 MB and fails the test if anything reads it. */
class HugeFile extends File {
  override get size() {
    return 100 * 1024 * 1024;
  }
  override text(): Promise<string> {
    throw new Error("the oversize file was read");
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    throw new Error("the oversize file was read");
  }
  override stream(): ReturnType<File["stream"]> {
    throw new Error("the oversize file was read");
  }
}

describe("report upload from the dashboard", () => {
  it("ingests each file by name, says duplicate for one held already, and refuses bad ones by file and field", async () => {
    const report = new File(
      [
        trivyJson({
          imageId: digest(1),
          vulnerabilities: [{ id: "CVE-2026-1", pkg: "a", severity: "HIGH", fixed: "2" }],
        }),
      ],
      "app.trivy.json",
    );
    expect(await uploadReport(form([report]))).toEqual({
      file: "app.trivy.json",
      status: "ingested",
      detail: "1 report, 1 vulnerability",
    });
    expect(await uploadReport(form([report]))).toMatchObject({ status: "duplicate" });

    const notJson = await uploadReport(form([new File(["<html>not a report</html>"], "page.html")]));
    expect(notJson).toMatchObject({ file: "page.html", status: "refused" });
    expect(notJson.detail).toBe("page.html: expected a JSON object at the top level");
    const badField = await uploadReport(
      form([new File([JSON.stringify({ SchemaVersion: 9, Results: [] })], "future.json")]),
    );
    expect(badField.detail).toMatch(/^future\.json: SchemaVersion: unsupported schema version 9/);
    expect(await uploadReport(form([]))).toMatchObject({
      status: "refused",
      detail: "the request holds no report file",
    });

    // Several files in one post (the form without JavaScript): one outcome each, in order.
    const posted = await uploadReports(
      { error: null, outcomes: [] },
      form([report, new File(["{"], "cut.json")], "reports"),
    );
    expect(posted.outcomes.map((o) => [o.file, o.status])).toEqual([
      ["app.trivy.json", "duplicate"],
      ["cut.json", "refused"],
    ]);
  });

  it("refuses a 100 MB file by its size without reading it", async () => {
    const huge = new HugeFile(["x"], "huge.json");
    expect(await uploadReport(form([huge]))).toEqual({
      file: "huge.json",
      status: "refused",
      detail: `huge.json: larger than ${MAX_UPLOAD_FILE_BYTES / 1024} KB`,
    });
  });

  it("never shows or stores a secret planted in Match and Code", async () => {
    const text = trivyJson({
      imageId: digest(2),
      secrets: [{ ruleId: "github-pat", file: "/app/config.yml", planted: PLANTED }],
    });
    expect(text).toContain(PLANTED);
    const outcome = await uploadReport(form([new File([text], "secret.json")]));
    expect(outcome).toEqual({
      file: "secret.json",
      status: "ingested",
      detail: "1 report, 0 vulnerabilities, 1 secret",
    });
    // A broken file holding the secret: the refusal names the field, not the text.
    const broken = await uploadReport(
      form([new File([`{"SchemaVersion": 2, "Results": [{"Secrets": [{"Match": "${PLANTED}"}]}]}`], "broken.json")]),
    );
    expect(broken.status).toBe("refused");
    expect(JSON.stringify([outcome, broken]) + (await dumpAllTables(test.db))).not.toContain(PLANTED);
  });
});
