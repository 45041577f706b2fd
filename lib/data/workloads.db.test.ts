import { randomUUID } from "node:crypto";
import { WHOLE_FLEET } from "@/lib/scope/access-scope";
import { beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase, storeResultSet } from "@/lib/db/testing";
import { SEVERITY_WEIGHT } from "@/lib/domain/severity";
import { acceptFindingsRisk } from "@/lib/services/exceptions";
import { getFindingLocation, getWorkload } from "./workloads";

const database = setupTestDatabase({ processDb: true });
const NOW = new Date("2026-03-10T00:00:00Z");
const day = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
const FIX = { summary: "drop every capability", dockerRun: { add: ["--cap-drop=ALL"], remove: [] } };

const RESULTS = [
  { id: "not-privileged", status: "pass", severity: "critical", message: "not privileged", fieldPath: "HostConfig.Privileged", excepted: false, exceptionId: null },
  { id: "drop-all-capabilities", status: "fail", severity: "high", message: "CapDrop lacks ALL", fieldPath: "HostConfig.CapDrop", excepted: false, exceptionId: null, remediation: FIX },
  { id: "read-only-root-filesystem", status: "fail", severity: "medium", message: "ReadonlyRootfs is false", fieldPath: "HostConfig.ReadonlyRootfs", excepted: false, exceptionId: null, remediation: { summary: "read-only" } },
  { id: "image-vulnerability-scanned", status: "not-evaluated", severity: "high", message: "no report", fieldPath: "", excepted: false, exceptionId: null },
];
const ids = { workload: "", capsFinding: "", rootfsFinding: "", container: "" };

beforeAll(async () => {
  const db = database.db;
  const target = await db.target.create({ data: { name: "host-w", platform: "docker", url: "unix:///w.sock" } });
  const workload = await db.workload.create({
    data: {
      targetId: target.id,
      kind: "Container",
      name: "web",
      labels: { team: "storefront" },
      replicas: 1,
      podSecurity: { baseline: { allowed: false, violations: ["privileged"] }, restricted: { allowed: false, violations: ["runAsNonRoot"] } },
    },
  });
  const score = (100 * SEVERITY_WEIGHT.critical) / (SEVERITY_WEIGHT.critical + SEVERITY_WEIGHT.high + SEVERITY_WEIGHT.medium);
  const container = await db.container.create({
    data: {
      workloadId: workload.id,
      name: "web",
      image: "web:1",
      digest: "sha256:abc",
      factsHash: "h",
      resultSetId: await storeResultSet(
        db,
        RESULTS.filter((r) => r.status === "pass").map((r) => r.id),
        RESULTS.filter((r) => r.status === "not-evaluated").map(({ id, message }) => ({ id, status: "not-evaluated" as const, message })),
      ),
      score,
      firstSeenAt: day(10),
    },
  });
  // Failures live in their findings, with evidence and fix; a finding opens at firstSeenAt, without an event.
  const finding = async (checkId: string, opened: Date) => {
    const r = RESULTS.find((x) => x.id === checkId)!;
    const fix = await db.fix.create({ data: { id: randomUUID(), remediation: r.remediation! } });
    return db.finding.create({
      data: {
        containerId: container.id,
        checkId,
        status: "open",
        severity: r.severity,
        message: r.message,
        fieldPath: r.fieldPath,
        fixId: fix.id,
        firstSeenAt: opened,
      },
    });
  };
  const rootfs = await finding("read-only-root-filesystem", day(10));
  const caps = await finding("drop-all-capabilities", day(5));
  Object.assign(ids, { workload: workload.id, capsFinding: caps.id, rootfsFinding: rootfs.id, container: container.id });
});

const weighted = (passed: number[], judged: number[]) =>
  (100 * passed.reduce((a, b) => a + b, 0)) / judged.reduce((a, b) => a + b, 0);

describe("getWorkload", () => {
  it("lists every check, failures first by severity, with evidence, anchors and the stored remediation", async () => {
    const workload = await getWorkload(ids.workload, WHOLE_FLEET, NOW);
    const container = workload?.containers[0];
    expect(container?.checks.map((c) => c.checkId)).toEqual([
      "drop-all-capabilities",
      "read-only-root-filesystem",
      "not-privileged",
      "image-vulnerability-scanned",
    ]);
    expect(container?.checks[0]).toMatchObject({
      anchor: "check-web-drop-all-capabilities",
      fieldPath: "HostConfig.CapDrop",
      findingId: ids.capsFinding,
      remediation: FIX,
    });
    expect(container?.checks[2]?.remediation).toBeNull();
    expect(workload?.labels).toEqual({ team: "storefront" });
    expect(workload?.podSecurity?.restricted.violations).toEqual(["runAsNonRoot"]);
    expect(workload?.score).toBe(container?.score);
  });

  it("rebuilds the score history from finding events with the CHECKS.md formula", async () => {
    const { critical: c, high: h, medium: m } = SEVERITY_WEIGHT;
    const history = (await getWorkload(ids.workload, WHOLE_FLEET, NOW))?.history ?? [];
    expect(history.map((p) => [p.at, p.score])).toEqual([
      [day(10).toISOString(), weighted([c, h], [c, h, m])],
      [day(5).toISOString(), weighted([c], [c, h, m])],
      [NOW.toISOString(), weighted([c], [c, h, m])],
    ]);
  });

  it("accepting a risk marks the finding excepted at once and rescores without it", async () => {
    const { critical: c, high: h } = SEVERITY_WEIGHT;
    const [exception] = await acceptFindingsRisk(
      database.db,
      { findingIds: [ids.rootfsFinding], reason: "legacy", owner: "team-a", expiresAt: day(-30), createdBy: "sec@x" },
      NOW,
    );
    expect(exception).toMatchObject({ checkId: "read-only-root-filesystem", workload: "Container/web", container: "web" });
    const finding = await database.db.finding.findUnique({ where: { id: ids.rootfsFinding }, include: { events: true } });
    expect(finding?.status).toBe("excepted");
    expect(finding?.events.map((e) => e.kind)).toEqual(["excepted"]);
    const workload = await getWorkload(ids.workload, WHOLE_FLEET, new Date(NOW.getTime() + 1000));
    expect(workload?.containers[0]?.score).toBeCloseTo(weighted([c], [c, h]), 10);
    expect(workload?.containers[0]?.checks.find((x) => x.checkId === "read-only-root-filesystem")?.isExcepted).toBe(true);
    expect(workload?.history.at(-1)?.score).toBeCloseTo(weighted([c], [c, h]), 10);
  });

  it("returns null for an unknown workload, and locates a finding's check", async () => {
    expect(await getWorkload("00000000-0000-4000-8000-000000000000", WHOLE_FLEET)).toBeNull();
    expect(await getFindingLocation(ids.capsFinding, WHOLE_FLEET)).toEqual({
      workloadId: ids.workload,
      anchor: "check-web-drop-all-capabilities",
    });
  });
});
