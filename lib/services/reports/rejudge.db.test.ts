import { randomBytes } from "node:crypto";
import { WHOLE_FLEET } from "@/lib/scope/access-scope";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCollection } from "@/lib/collectors/run-collection";
import { listContainersRunningVulnerability } from "@/lib/data/vulnerable-workloads";
import { setupTestDatabase } from "@/lib/db/testing";
import { readReports } from "@/lib/reports";
import { createTarget } from "@/lib/services/targets";
import { ALL_RULES, type KubernetesSimulator } from "@/lib/simulator/kubernetes";
import { SHOP_MANIFESTS, startTestCluster } from "@/lib/simulator/kubernetes/testing";
import { ingestReports } from "./ingest-reports";
import { createVulnerabilityException } from "./vulnerability-exceptions";

const test = setupTestDatabase();
const TOKEN = "rejudge-token";
let sim: KubernetesSimulator;

beforeAll(async () => {
  process.env.RAMPART_SECRET_KEY ??= randomBytes(32).toString("base64");
  sim = await startTestCluster({
    manifestPaths: [SHOP_MANIFESTS],
    tokens: { [TOKEN]: { user: "r", grants: [{ rules: ALL_RULES }] } },
  });
});
afterAll(async () => {
  await sim?.close();
});

/** A Trivy report for these digests: `vulns` fixable OS findings (CRITICAL), scanned now. */
function trivy(digests: string[], vulns: { id: string; pkg: string }[], at = new Date()) {
  return readReports(
    "trivy.json",
    JSON.stringify({
      SchemaVersion: 2,
      CreatedAt: at.toISOString(),
      ArtifactName: "registry.test/shop/api:1",
      ArtifactType: "container_image",
      Metadata: { RepoDigests: digests.map((d) => `registry.test/shop/api@${d}`) },
      Results: [
        {
          Target: "api (debian 12)",
          Class: "os-pkgs",
          Type: "debian",
          Vulnerabilities: vulns.map((v) => ({
            VulnerabilityID: v.id,
            PkgName: v.pkg,
            InstalledVersion: "1.0",
            FixedVersion: "1.1",
            Severity: "CRITICAL",
          })),
        },
      ],
    }),
  );
}

async function containerStatus(targetId: string, name: string, checkId: string) {
  const container = await test.db.container.findFirstOrThrow({
    where: { workload: { targetId, name }, goneAt: null },
    include: { resultSet: true, findings: { where: { checkId } } },
  });
  const passed = (container.resultSet?.passed as string[]).includes(checkId);
  const notJudged = (container.resultSet?.notJudged as { id: string; status: string }[]).find((n) => n.id === checkId);
  const finding = container.findings[0];
  return {
    container,
    passed,
    notJudged: notJudged?.status ?? null,
    finding: finding ? [finding.status, finding.message] : null,
  };
}

describe("a report re-judges exactly the containers running its image, without any container change", () => {
  it("judges nothing while nothing changes, then only the containers a report matches", async () => {
    const target = await createTarget(test.db, {
      name: "rejudge",
      platform: "kubernetes",
      url: sim.url,
      credentials: { bearerToken: TOKEN, tlsCa: sim.tls.ca },
    });
    const first = await runCollection({ db: test.db, targetId: target.id });
    expect(first).toMatchObject({ status: "succeeded", judged: first.containers });
    const before = await containerStatus(target.id, "api", "image-vulnerability-scanned");
    expect(before.notJudged).toBe("not-evaluated");
    expect((await runCollection({ db: test.db, targetId: target.id })).judged).toBe(0);

    // The first report ever held turns "no reports at all" into "no report for this image": all are re-judged.
    const apiDigests = before.container.digests;
    expect(apiDigests).toEqual([expect.stringMatching(/^sha256:[a-f0-9]{64}$/)]);
    const cve = { id: "CVE-2099-0001", pkg: "openssl" };
    await ingestReports(test.db, trivy(apiDigests, [cve], new Date(Date.now() - 3_600_000)), { via: "api" });
    const second = await runCollection({ db: test.db, targetId: target.id });
    expect(second.judged).toBe(second.containers);
    const failing = await containerStatus(target.id, "api", "image-vulnerability-scanned");
    expect(failing.finding?.[0]).toBe("open");
    expect(failing.finding?.[1]).toBe(
      `1 fixable HIGH/CRITICAL vulnerabilities in operating-system packages (1 critical) per Trivy report of ${new Date(Date.now() - 3_600_000).toISOString().slice(0, 10)} (matched by repository digest): CVE-2099-0001 (openssl, fixed in 1.1)`,
    );
    expect((await containerStatus(target.id, "web", "image-vulnerability-scanned")).finding?.[1]).toMatch(
      /^No vulnerability report matches the running image sha256:/,
    );
    const running = await listContainersRunningVulnerability(test.db, cve.id);
    expect(running.map((r) => `${r.namespace}/${r.workload}/${r.container}`)).toEqual(["shop/api/api"]);

    // Only a report changes: exactly the containers with that digest are judged again.
    const sharing = await test.db.container.count({ where: { goneAt: null, digests: { hasSome: apiDigests } } });
    await ingestReports(test.db, trivy(apiDigests, []), { via: "api" });
    const third = await runCollection({ db: test.db, targetId: target.id });
    expect(third.judged).toBe(sharing);
    expect(await containerStatus(target.id, "api", "image-vulnerability-scanned")).toMatchObject({
      passed: true,
      finding: ["resolved", expect.any(String)],
    });
    expect(await listContainersRunningVulnerability(test.db, cve.id)).toEqual([]);
    expect((await runCollection({ db: test.db, targetId: target.id })).judged).toBe(0);
  });

  it("a vulnerability exception sets one id aside and says why; the rest still fail", async () => {
    const target = await test.db.target.findFirstOrThrow({ where: { name: "rejudge" } });
    const { container } = await containerStatus(target.id, "web", "image-vulnerability-scanned");
    await ingestReports(
      test.db,
      trivy(container.digests, [
        { id: "CVE-2099-0002", pkg: "zlib" },
        { id: "CVE-2099-0003", pkg: "curl" },
      ]),
      { via: "api" },
    );
    await createVulnerabilityException(
      test.db,
      {
        vulnerabilityId: "CVE-2099-0002",
        namespace: "shop",
        reason: "zlib is not reachable",
        owner: "shop-team",
        expiresAt: new Date(Date.now() + 86_400_000),
      },
      { email: "sec@example.test", access: WHOLE_FLEET },
    );
    await runCollection({ db: test.db, targetId: target.id });
    const web = await containerStatus(target.id, "web", "image-vulnerability-scanned");
    expect(web.finding?.[1]).toMatch(
      /^1 fixable HIGH\/CRITICAL .*: CVE-2099-0003 \(curl, fixed in 1\.1\); 1 excepted \(CVE-2099-0002: exception [0-9a-f-]+: zlib is not reachable\)$/,
    );
  });
});
