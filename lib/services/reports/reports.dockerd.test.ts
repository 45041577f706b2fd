import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  buildBaseImage,
  buildImage,
  canRunDockerd,
  pushForDigest,
  runContainer,
  startDockerd,
  type PrivateDockerd,
} from "@/e2e/support/dockerd";
import { runCommand } from "@/lib/cli/testing/run-command";
import { runCollection } from "@/lib/collectors/run-collection";
import { listContainersRunningVulnerability } from "@/lib/data/vulnerable-workloads";
import { Prisma } from "@/lib/db";
import { setupTestDatabase } from "@/lib/db/testing";
import { createApiToken } from "@/lib/services/tokens";
import { createTarget } from "@/lib/services/targets";
import { createUser } from "@/lib/services/users";

const PLANTED = "PLANTED-layer-secret-dockerd-7f3a";
const CHECKS = ["image-vulnerability-scanned", "dependencies-scanned", "no-secrets-in-image"] as const;
const HOUR = 3_600_000;

describe.skipIf(!canRunDockerd())("reports for real images on a private dockerd and registry", () => {
  const database = setupTestDatabase({ processDb: true });
  let engine: PrivateDockerd;
  let dir = "";
  let configDigest = "";
  let repoDigest = "";
  let token = "";

  beforeAll(async () => {
    process.env.RAMPART_SECRET_KEY ??= randomBytes(32).toString("base64");
    dir = await mkdtemp(path.join(tmpdir(), "rampart-reports-dockerd-"));
    engine = await startDockerd({ registry: true });
    const base = await buildBaseImage(engine);
    const app = await buildImage(engine, base, {
      tag: "rampart-test/reports-app:1",
      lines: ["RUN echo app > /app.txt"],
    });
    const pinned = await pushForDigest(engine, app, "reports-app");
    repoDigest = pinned.slice(pinned.indexOf("@") + 1);
    configDigest = await engine.docker(["image", "inspect", "--format", "{{.Id}}", app]);
    await runContainer(engine, "by-digest", [], pinned);
    await runContainer(engine, "by-tag", [], app);
    await runContainer(engine, "base-only", [], base);
    const user = await createUser(
      database.db,
      { email: "ci@example.test", role: "engineer", password: "a long enough password" },
      { email: "admin@example.test" },
    );
    token = (
      await createApiToken(
        database.db,
        user.id,
        { name: "ci", role: "engineer", expiresInDays: 1 },
        { email: "admin@example.test" },
      )
    ).token;
  }, 300_000);

  afterAll(async () => {
    await engine?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  function trivy(at: Date, dirty: boolean): string {
    return JSON.stringify({
      SchemaVersion: 2,
      CreatedAt: at.toISOString(),
      ArtifactName: "rampart-test/reports-app:1",
      ArtifactType: "container_image",
      Metadata: { ImageID: configDigest, RepoDigests: [`${engine.registry}/reports-app@${repoDigest}`] },
      Results: [
        {
          Target: "rampart-test/reports-app:1 (busybox)",
          Class: "os-pkgs",
          Type: "alpine",
          Vulnerabilities: dirty
            ? [
                {
                  VulnerabilityID: "CVE-2099-4242",
                  PkgName: "busybox",
                  InstalledVersion: "1.36.0-r0",
                  FixedVersion: "1.36.1-r0",
                  Status: "fixed",
                  Severity: "CRITICAL",
                },
              ]
            : [],
        },
        {
          Target: "app/requirements.txt",
          Class: "lang-pkgs",
          Type: "pip",
          Vulnerabilities: dirty
            ? [
                {
                  VulnerabilityID: "GHSA-xxxx-yyyy-zzzz",
                  PkgName: "requests",
                  InstalledVersion: "2.0.0",
                  FixedVersion: "2.32.0",
                  Severity: "HIGH",
                },
              ]
            : [],
        },
        ...(dirty
          ? [
              {
                Target: "app/.env",
                Class: "secret",
                Secrets: [
                  {
                    RuleID: "github-pat",
                    Severity: "CRITICAL",
                    Match: PLANTED,
                    Code: { Lines: [{ Content: PLANTED }] },
                    Layer: { Digest: repoDigest },
                  },
                ],
              },
            ]
          : []),
      ],
    });
  }

  /** A Grype-shaped report naming the platform manifest digest only. */
  function grype(at: Date): string {
    return JSON.stringify({
      descriptor: { name: "grype", version: "0.94.0", timestamp: at.toISOString() },
      source: {
        type: "image",
        target: { userInput: "reports-app:1", imageID: configDigest, manifestDigest: repoDigest, repoDigests: [] },
      },
      matches: [
        {
          vulnerability: { id: "CVE-2099-5151", severity: "High", fix: { state: "fixed", versions: ["2"] } },
          artifact: { name: "busybox", version: "1", type: "apk" },
        },
      ],
    });
  }

  /** A CycloneDX report from Trivy naming the image ID in its properties. */
  function cyclonedx(at: Date): string {
    return JSON.stringify({
      bomFormat: "CycloneDX",
      specVersion: "1.6",
      metadata: {
        timestamp: at.toISOString(),
        component: { name: "reports-app", properties: [{ name: "aquasecurity:trivy:ImageID", value: configDigest }] },
      },
      components: [
        { "bom-ref": "pkg:apk/alpine/busybox@1", name: "busybox", version: "1", purl: "pkg:apk/alpine/busybox@1" },
      ],
      vulnerabilities: [
        {
          id: "CVE-2099-6161",
          ratings: [{ severity: "high" }],
          recommendation: "Upgrade busybox to version 2",
          affects: [{ ref: "pkg:apk/alpine/busybox@1" }],
        },
      ],
    });
  }

  async function postReport(body: string) {
    const { POST } = await import("@/app/api/v1/reports/route");
    return POST(
      new Request("http://127.0.0.1/api/v1/reports", {
        method: "POST",
        body,
        headers: { authorization: `Bearer ${token}`, "content-length": String(Buffer.byteLength(body)) },
      }),
    );
  }

  async function statuses(targetId: string, name: string) {
    const c = await database.db.container.findFirstOrThrow({
      where: { name, goneAt: null, workload: { targetId } },
      include: { resultSet: true, findings: { where: { status: "open" } } },
    });
    const notJudged = c.resultSet?.notJudged as { id: string; status: string }[];
    return Object.fromEntries(
      CHECKS.map((id) => {
        if ((c.resultSet?.passed as string[]).includes(id)) return [id, "pass"];
        const finding = c.findings.find((f) => f.checkId === id);
        if (finding) return [id, `fail: ${finding.message}`];
        return [id, notJudged.find((n) => n.id === id)?.status ?? "?"];
      }),
    );
  }

  it("flips checks 9-11 on the next evaluation after reports arrive by CLI and API, and passes after a clean report", async () => {
    const target = await createTarget(database.db, { name: "dockerd-reports", platform: "docker", url: engine.url });
    expect((await runCollection({ db: database.db, targetId: target.id })).status).toBe("succeeded");
    const byDigest = await database.db.container.findFirstOrThrow({ where: { name: "by-digest" } });
    expect(byDigest.digests).toEqual(expect.arrayContaining([configDigest, repoDigest]));
    expect(await statuses(target.id, "by-tag")).toMatchObject({
      "image-vulnerability-scanned": "not-evaluated",
      "no-secrets-in-image": "pass",
    });

    const now = Date.now();
    await writeFile(path.join(dir, "cyclonedx.json"), cyclonedx(new Date(now - 3 * HOUR)));
    await writeFile(path.join(dir, "trivy.json"), trivy(new Date(now - HOUR), true));
    vi.stubEnv("DATABASE_URL", database.url);
    const cli = await runCommand((await import("@/lib/cli/commands/ingest")).run, [dir]);
    vi.unstubAllEnvs();
    expect(cli.code).toBe(0);
    expect(cli.stdout + cli.stderr).not.toContain(PLANTED);
    const api = await postReport(grype(new Date(now - 2 * HOUR)));
    expect(api.status).toBe(201);
    expect((await api.json()).reports[0].status).toBe("older");

    await runCollection({ db: database.db, targetId: target.id });
    for (const name of ["by-digest", "by-tag"]) {
      const s = await statuses(target.id, name);
      expect(s["image-vulnerability-scanned"]).toMatch(
        /^fail: 1 fixable HIGH\/CRITICAL .* per Trivy report of .* \(matched by image ID\): CVE-2099-4242 \(busybox, fixed in 1\.36\.1-r0\)$/,
      );
      expect(s["dependencies-scanned"]).toMatch(/GHSA-xxxx-yyyy-zzzz \(requests, fixed in 2\.32\.0\)$/);
      expect(s["no-secrets-in-image"]).toBe(
        `fail: The Trivy report of ${new Date(now - HOUR).toISOString().slice(0, 10)} (matched by image ID) lists a secret in the image: rule github-pat in app/.env (layer ${repoDigest})`,
      );
    }
    expect(await statuses(target.id, "base-only")).toMatchObject({
      "image-vulnerability-scanned": expect.stringMatching(/^fail: No vulnerability report matches/),
    });
    expect(
      (await listContainersRunningVulnerability(database.db, "CVE-2099-4242")).map((r) => r.container).sort(),
    ).toEqual(["by-digest", "by-tag"]);

    const hashes = async () =>
      Object.fromEntries(
        (await database.db.container.findMany({ where: { goneAt: null, workload: { targetId: target.id } } })).map(
          (c) => [c.name, c.factsHash],
        ),
      );
    const before = await hashes();
    const clean = await postReport(trivy(new Date(now - 60_000), false));
    expect(clean.status).toBe(201);
    const rerun = await runCollection({ db: database.db, targetId: target.id });
    expect(rerun.judged).toBeGreaterThanOrEqual(2);
    const after = await hashes();
    // Exactly the containers running the reported image have new facts (a new report); the base image's container
    // keeps its hash (its facts, "no report matches", are unchanged).
    const changed = Object.keys(after).filter((name) => after[name] !== before[name]);
    expect(changed.sort()).toEqual(["by-digest", "by-tag"]);
    expect(Object.keys(after)).toContain("base-only");
    for (const name of ["by-digest", "by-tag"]) {
      expect(await statuses(target.id, name)).toEqual({
        "image-vulnerability-scanned": "pass",
        "dependencies-scanned": "pass",
        "no-secrets-in-image": "pass",
      });
    }

    // A report for a digest nobody runs is kept (not pruned, not matched).
    const nobody = `sha256:${"9".repeat(64)}`;
    expect(
      (await postReport(trivy(new Date(), true).replaceAll(configDigest, nobody).replaceAll(repoDigest, nobody)))
        .status,
    ).toBe(201);
    await runCollection({ db: database.db, targetId: target.id });
    expect(
      await database.db.scanReport.count({ where: { digests: { some: { digest: nobody } }, supersededAt: null } }),
    ).toBe(1);

    const tables = await database.db.$queryRaw<{ t: string }[]>(Prisma.sql`
      SELECT (SELECT json_agg(x)::text FROM "ScanReport" x) || (SELECT json_agg(f)::text FROM "Finding" f) || (SELECT json_agg(a)::text FROM "AuditLog" a) AS t`);
    expect(tables[0]?.t).not.toContain(PLANTED);
  }, 300_000);
});
