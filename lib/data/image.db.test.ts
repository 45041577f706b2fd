import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { dumpAllTables, setupTestDatabase } from "@/lib/db/testing";
import { readReports } from "@/lib/reports";
import { openVexJson, trivyJson } from "@/lib/reports/testing";
import { accessOf, WHOLE_FLEET } from "@/lib/scope/access-scope";
import { createVulnerabilityException, ingestReports } from "@/lib/services/reports";
import { digestFromSegment } from "@/lib/format/image-path";
import { currentReportIds, getImage } from "./image";
import { listImageSecrets } from "./image-secrets";
import { listImageVulnerabilities } from "./image-vulnerabilities";
import { listImageWorkloads } from "./image-workloads";
import { listVulnerabilityImages } from "./vulnerability-images";

const test = setupTestDatabase();
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;
const DAY = 86_400_000;
const PLANTED = "AKIAPLANTEDIMAGEPAGE1";

async function ingest(db: Db, text: string) {
  return ingestReports(db, readReports("r.json", text), { via: "upload" });
}

async function workload(db: Db, input: { target: string; namespace: string; name: string; digests: string[]; gone?: boolean }) {
  const target =
    (await db.target.findUnique({ where: { name: input.target } })) ??
    (await db.target.create({ data: { name: input.target, platform: "kubernetes", url: `https://${input.target}` } }));
  const w = await db.workload.create({
    data: { targetId: target.id, namespace: input.namespace, kind: "Deployment", name: input.name, labels: {}, namespaceLabels: {} },
  });
  await db.container.create({
    data: {
      workloadId: w.id,
      name: "app",
      image: `registry.test/${input.name}:1`,
      factsHash: input.name,
      digests: input.digests,
      goneAt: input.gone ? new Date() : null,
    },
  });
  return { target, workload: w };
}

describe("image page read model", () => {
  it("resolves an image from any of its digests, with its reports, grouped vulnerabilities, secrets and workloads", async () => {
    const db = test.db;
    const [config, repo, other] = [digest(101), digest(102), digest(103)];
    // A Docker container records the config digest; a Kubernetes one only the repository digest.
    await workload(db, { target: "img-docker", namespace: "", name: "web", digests: [config] });
    const { target: k8s } = await workload(db, { target: "img-k8s", namespace: "shop", name: "cart", digests: [repo] });
    await workload(db, { target: "img-k8s", namespace: "shop", name: "old", digests: [repo], gone: true });
    await workload(db, { target: "img-k8s", namespace: "shop", name: "unrelated", digests: [other] });
    await ingest(db, trivyJson({ imageId: config, createdAt: new Date(Date.now() - 30 * DAY).toISOString(), vulnerabilities: [] }));
    await ingest(
      db,
      trivyJson({
        imageId: config,
        repoDigests: [`registry.test/cart@${repo}`],
        vulnerabilities: [
          { id: "CVE-2026-0001", pkg: "openssl", severity: "MEDIUM", fixed: "3.1" },
          { id: "CVE-2026-0002", pkg: "openssl", severity: "CRITICAL", fixed: "3.1" },
          { id: "CVE-2026-0003", pkg: "zlib", severity: "LOW" },
          { id: "CVE-2026-0004", pkg: "zlib", severity: "LOW" },
          { id: "GHSA-aaaa-bbbb-cccc", pkg: "lodash", severity: "HIGH", fixed: "4.17.21", app: "npm" },
        ],
        secrets: [{ ruleId: "aws-access-key-id", file: "/app/.env", layer: digest(150), planted: PLANTED }],
      }),
    );
    await db.reportVulnerability.updateMany({ where: { vulnerabilityId: "CVE-2026-0004" }, data: { knownExploited: true } });
    // VEX applies to the containers recording a digest it names: both here.
    await ingest(db, openVexJson("CVE-2026-0001", [config, repo]));
    await createVulnerabilityException(
      db,
      { vulnerabilityId: "GHSA-aaaa-bbbb-cccc", namespace: "shop", reason: "not reachable", owner: "shop team", expiresAt: new Date(Date.now() + DAY) },
      { email: "sec@test", access: WHOLE_FLEET },
    );

    // Asked by the repository digest, the config digest joins from the report.
    const image = await getImage(db, WHOLE_FLEET, repo);
    expect(image).not.toBeNull();
    if (!image) return;
    expect(image.digests.map((d) => [d.digest, d.kinds, d.isOnContainer])).toEqual([
      [config, ["config"], true],
      [repo, ["repository"], true],
    ]);
    expect(image.runningWorkloads).toBe(2);
    expect(image.names).toEqual(["registry.test/app:1", "registry.test/cart:1", "registry.test/web:1"]);
    // The newest Trivy report is current; the older one superseded (and older than the age limit); the VEX held.
    expect(image.reports.map((r) => [r.scanner, r.isSuperseded, r.isStale, r.matchedKind, r.vulnerabilities, r.secrets])).toEqual([
      ["security@test", false, false, null, 0, 0],
      ["Trivy", false, false, "repository", 5, 1],
      ["Trivy", true, true, "config", 0, 0],
    ]);
    expect((await getImage(db, WHOLE_FLEET, config))?.reports[1]?.matchedKind).toBe("config");

    const digests = image.digests.map((d) => d.digest);
    const vulns = await listImageVulnerabilities(db, { access: WHOLE_FLEET, digests, reportIds: currentReportIds(image, "vulnerabilities") });
    // Packages with a known-exploited vulnerability first, then by their worst severity; inside the same.
    expect(vulns.rows.map((r) => [r.package, r.vulnerabilityId, r.severity, r.isOpen])).toEqual([
      ["zlib", "CVE-2026-0004", "LOW", true],
      ["zlib", "CVE-2026-0003", "LOW", true],
      ["openssl", "CVE-2026-0002", "CRITICAL", true],
      ["openssl", "CVE-2026-0001", "MEDIUM", false],
      ["lodash", "GHSA-aaaa-bbbb-cccc", "HIGH", true],
    ]);
    expect(vulns.total).toBe(5);
    const [, , crit, vexed, lodash] = vulns.rows;
    expect(crit).toMatchObject({ fixedVersion: "3.1", fixable: true, workloads: 2, openWorkloads: 2, exceptedBy: null });
    expect(vexed?.exceptedBy).toMatchObject({ kind: "vex", status: "not_affected" });
    // Excepted in the shop namespace only: open in the Docker workload.
    expect(lodash).toMatchObject({ packageClass: "application", workloads: 2, openWorkloads: 1, isOpen: true });
    expect(lodash?.exceptedBy).toMatchObject({ kind: "exception", owner: "shop team" });

    const secrets = await listImageSecrets(db, currentReportIds(image, "secrets"));
    expect(secrets.map((s) => [s.ruleId, s.file, s.layer])).toEqual([["aws-access-key-id", "/app/.env", digest(150)]]);
    expect(JSON.stringify(image) + JSON.stringify(secrets) + (await dumpAllTables(db))).not.toContain(PLANTED);

    const running = await listImageWorkloads(db, { access: WHOLE_FLEET, digests });
    expect(running.map((r) => [r.targetName, r.namespace, r.workload])).toEqual([
      ["img-docker", "", "web"],
      ["img-k8s", "shop", "cart"],
    ]);

    // /vulnerabilities names the running images of a row by the digest each container records, within access.
    const images = await listVulnerabilityImages(db, WHOLE_FLEET, ["CVE-2026-0002", "CVE-NOWHERE"]);
    expect(images.get("CVE-2026-0002")?.map((i) => i.image).sort()).toEqual(["registry.test/cart:1", "registry.test/web:1"]);
    expect(images.get("CVE-NOWHERE")).toBeUndefined();

    // Scoped to the cluster: only its workload counts and is listed; the other target's is not judged either.
    const scoped = accessOf({ targets: [k8s.id], namespaces: [], teams: [] });
    const seen = await getImage(db, scoped, config);
    expect(seen?.runningWorkloads).toBe(1);
    expect((await listImageWorkloads(db, { access: scoped, digests })).map((r) => r.workload)).toEqual(["cart"]);
    const scopedImages = await listVulnerabilityImages(db, scoped, ["CVE-2026-0002"]);
    expect(scopedImages.get("CVE-2026-0002")).toEqual([{ digest: repo, image: "registry.test/cart:1" }]);
    const scopedVulns = await listImageVulnerabilities(db, { access: scoped, digests, reportIds: currentReportIds(image, "vulnerabilities") });
    expect(scopedVulns.rows.find((r) => r.package === "lodash")).toMatchObject({ workloads: 1, openWorkloads: 0, isOpen: false });
  });

  it("shows an image nothing runs to the whole fleet only, judged by image-wide exceptions alone", async () => {
    const db = test.db;
    const lonely = digest(201);
    await ingest(
      db,
      trivyJson({
        imageId: lonely,
        vulnerabilities: [
          { id: "CVE-2026-0201", pkg: "bash", severity: "HIGH", fixed: "5.3" },
          { id: "CVE-2026-0202", pkg: "bash", severity: "HIGH", fixed: "5.3" },
        ],
      }),
    );
    const { target } = await workload(db, { target: "img-other", namespace: "ops", name: "tool", digests: [digest(202)] });
    const later = new Date(Date.now() + DAY);
    const actor = { email: "sec@test", access: WHOLE_FLEET };
    await createVulnerabilityException(db, { vulnerabilityId: "CVE-2026-0201", image: lonely, reason: "r", owner: "o", expiresAt: later }, actor);
    await createVulnerabilityException(db, { vulnerabilityId: "CVE-2026-0202", namespace: "ops", reason: "r", owner: "o", expiresAt: later }, actor);

    const image = await getImage(db, WHOLE_FLEET, lonely);
    expect(image?.runningWorkloads).toBe(0);
    if (!image) return;
    expect(await listImageWorkloads(db, { access: WHOLE_FLEET, digests: [lonely] })).toEqual([]);
    const vulns = await listImageVulnerabilities(db, { access: WHOLE_FLEET, digests: [lonely], reportIds: currentReportIds(image, "vulnerabilities") });
    expect(vulns.rows.map((r) => [r.vulnerabilityId, r.isOpen, r.workloads])).toEqual([
      ["CVE-2026-0202", true, 0],
      ["CVE-2026-0201", false, 0],
    ]);
    expect(await listImageSecrets(db, currentReportIds(image, "secrets"))).toEqual([]);

    // A scoped caller sees neither it nor an image only others run; a malformed or unknown digest is nothing.
    const scoped = accessOf({ targets: [target.id], namespaces: [], teams: [] });
    expect(await getImage(db, scoped, lonely)).toBeNull();
    expect(await getImage(db, scoped, digest(202))).not.toBeNull();
    expect(await getImage(db, accessOf({ targets: [], namespaces: [{ targetId: target.id, namespace: "dev" }], teams: [] }), digest(202))).toBeNull();
    expect(await getImage(db, WHOLE_FLEET, digest(299))).toBeNull();
    expect(await getImage(db, WHOLE_FLEET, "sha256:nothex")).toBeNull();
  });

  it("reads a digest from a URL segment and refuses anything else", () => {
    expect(digestFromSegment(`sha256%3A${"a".repeat(64)}`)).toBe(`sha256:${"a".repeat(64)}`);
    expect(digestFromSegment(`sha256:${"A".repeat(64)}`)).toBe(`sha256:${"a".repeat(64)}`);
    expect(digestFromSegment(`sha256:${"a".repeat(63)}`)).toBeNull();
    expect(digestFromSegment(`..%2F${"a".repeat(64)}`)).toBeNull();
    expect(digestFromSegment(`sha256:${"a".repeat(64)}/x`)).toBeNull();
  });
});
