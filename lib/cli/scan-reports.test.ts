import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "./commands/scan";
import { runCommand } from "./testing/run-command";

const DIGEST = `sha256:${"ab".repeat(32)}`;
const PLANTED = "PLANTED-scan-secret-91e2";
const DAY = 86_400_000;
let dir = "";

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: api
          image: registry.test/shop/api@${DIGEST}
`;

function trivy(options: { daysAgo: number; vulns: number; secret?: boolean }) {
  return JSON.stringify({
    SchemaVersion: 2,
    CreatedAt: new Date(Date.now() - options.daysAgo * DAY).toISOString(),
    ArtifactName: "registry.test/shop/api:1",
    ArtifactType: "container_image",
    Metadata: { RepoDigests: [`registry.test/shop/api@${DIGEST}`] },
    Results: [
      {
        Target: "api (debian 12)",
        Class: "os-pkgs",
        Type: "debian",
        Vulnerabilities: Array.from({ length: options.vulns }, (_, i) => ({
          VulnerabilityID: `CVE-2099-100${i}`,
          PkgName: `lib${i}`,
          InstalledVersion: "1.0",
          FixedVersion: "1.1",
          Severity: "HIGH",
        })),
      },
      ...(options.secret
        ? [
            {
              Target: "app/config.yaml",
              Class: "secret",
              Secrets: [
                {
                  RuleID: "github-pat",
                  Severity: "CRITICAL",
                  Title: "GitHub PAT",
                  Match: PLANTED,
                  Code: { Lines: [{ Content: PLANTED }] },
                },
              ],
            },
          ]
        : []),
    ],
  });
}

async function scan(...args: string[]) {
  const out = await runCommand(run, [path.join(dir, "deploy.yaml"), "--format", "json", ...args]);
  const doc = JSON.parse(out.stdout);
  const checks = doc.results[0].containers[0].checks as { id: string; status: string; message: string }[];
  const check = (id: string) => checks.find((c) => c.id === id);
  return { ...out, check };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rampart-scan-reports-"));
  await writeFile(path.join(dir, "deploy.yaml"), manifest);
  await writeFile(path.join(dir, "failing.json"), trivy({ daysAgo: 1, vulns: 4, secret: true }));
  await writeFile(path.join(dir, "clean.json"), trivy({ daysAgo: 3, vulns: 0 }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("rampart scan --reports", () => {
  it("leaves checks 9-11 not evaluated without reports", async () => {
    const { check } = await scan();
    expect(check("image-vulnerability-scanned")?.status).toBe("not-evaluated");
    expect(check("dependencies-scanned")?.status).toBe("not-evaluated");
  });

  it("fails checks 9 and 11 from a matching report, naming ids and the secret's rule, never its text", async () => {
    const { check, stdout, stderr, code } = await scan("--reports", path.join(dir, "failing.json"));
    expect(code).toBe(1);
    expect(check("image-vulnerability-scanned")).toMatchObject({ status: "fail" });
    expect(check("image-vulnerability-scanned")?.message).toMatch(
      /^4 fixable HIGH\/CRITICAL vulnerabilities in operating-system packages \(0 critical\) per Trivy report of \d{4}-\d\d-\d\d \(matched by repository digest\): CVE-2099-1000 \(lib0, fixed in 1\.1\), CVE-2099-1001 \(lib1, fixed in 1\.1\), CVE-2099-1002 \(lib2, fixed in 1\.1\), …$/,
    );
    expect(check("dependencies-scanned")?.status).toBe("pass");
    expect(check("no-secrets-in-image")?.message).toContain("rule github-pat in app/config.yaml");
    expect(stdout + stderr).not.toContain(PLANTED);
  });

  it("passes with a clean newer report in the same directory, and fails it once older than --max-report-age", async () => {
    const newest = await scan("--reports", path.join(dir, "clean.json"));
    expect(newest.check("image-vulnerability-scanned")?.status).toBe("pass");
    const stale = await scan("--reports", path.join(dir, "clean.json"), "--max-report-age", "2");
    expect(stale.check("image-vulnerability-scanned")?.message).toMatch(/older than 2 days$/);
    expect((await runCommand(run, [dir, "--max-report-age", "0"])).code).toBe(2);
  });

  it("names an unreadable report and exits 2", async () => {
    await writeFile(path.join(dir, "bad.json"), '{"SchemaVersion": 9}');
    const out = await runCommand(run, [path.join(dir, "deploy.yaml"), "--reports", path.join(dir, "bad.json")]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${path.join(dir, "bad.json")}: SchemaVersion: unsupported schema version 9`);
  });
});
