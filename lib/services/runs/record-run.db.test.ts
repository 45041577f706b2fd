import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/lib/db/testing";
import type { WorkloadEvaluation } from "@/lib/domain/result";
import { createTarget } from "../targets";
import { makeFleet } from "../testing/fleet";
import { recordRun } from "./record-run";
import { RunRecorder, type StoredBatch } from "./run-recorder";
import { startRun } from "./start-run";

const test = setupTestDatabase();

let targetCount = 0;
async function newTarget(): Promise<string> {
  targetCount += 1;
  return (
    await createTarget(test.db, { name: `k8s-${targetCount}`, platform: "kubernetes", url: "https://kubernetes.test" })
  ).id;
}

async function run(targetId: string, evaluations: WorkloadEvaluation[], complete: boolean, now: Date) {
  const { runId } = await startRun(test.db, { targetId, now });
  const result = await recordRun(test.db, { runId, targetId, evaluations, complete, now });
  return { runId, ...result };
}

function findingsOf(targetId: string) {
  return test.db.finding.findMany({
    where: { container: { workload: { targetId } } },
    include: { container: { include: { workload: true } }, fix: true, events: { orderBy: { at: "asc" } } },
    orderBy: { container: { workload: { name: "asc" } } },
  });
}

const T1 = new Date("2026-01-01T00:00:00Z");
const T2 = new Date("2026-01-01T01:00:00Z");
const T3 = new Date("2026-01-01T02:00:00Z");
const T4 = new Date("2026-01-01T03:00:00Z");

describe("recordRun", () => {
  it("opens one finding per failing check on the first run, without an event (firstSeenAt says it)", async () => {
    const targetId = await newTarget();
    const result = await run(targetId, makeFleet({ containers: 6 }), true, T1);
    const findings = await findingsOf(targetId);
    expect(findings).toHaveLength(6);
    expect(findings.every((f) => f.status === "open" && f.checkId === "check-b")).toBe(true);
    expect(findings.map((f) => f.events.length)).toEqual(Array(6).fill(0));
    expect(findings.every((f) => f.firstSeenAt.getTime() === T1.getTime())).toBe(true);
    expect(result.findingsOpened).toBe(6);
    const stored = await test.db.collectionRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(stored).toMatchObject({
      status: "succeeded",
      containers: 6,
      findingsOpened: 6,
      rowsWritten: result.rowsWritten,
    });
  });

  it("writes only the run row for an unchanged run, in as many statements for 200 containers as for 10", async () => {
    const statements: number[] = [];
    for (const size of [10, 200]) {
      const targetId = await newTarget();
      const fleet = makeFleet({ containers: size });
      const first = await run(targetId, fleet, true, T1);
      expect(first.rowsWritten).toBeGreaterThan(size * 2);
      const eventsBefore = await test.db.findingEvent.count();
      const rollupsBefore = await test.db.runRollup.count({ where: { targetId } });
      const second = await run(targetId, fleet, true, T2);
      statements.push(second.statements);
      expect(second.rowsWritten).toBe(1);
      expect(await test.db.findingEvent.count()).toBe(eventsBefore);
      expect(await test.db.runRollup.count({ where: { targetId } })).toBe(rollupsBefore);
      const findings = await findingsOf(targetId);
      expect(findings.every((f) => f.lastSeenAt.getTime() === T1.getTime())).toBe(true);
      const rollups = await test.db.runRollup.findMany({ where: { targetId } });
      expect(rollups.reduce((n, r) => n + r.failed, 0)).toBe(size);
      expect(rollups.reduce((n, r) => n + r.passed, 0)).toBe(size);
      expect(second.findingsOpened + second.findingsResolved).toBe(0);
    }
    expect(statements[0]).toBe(statements[1]);
    expect(statements[0]).toBeLessThanOrEqual(6);
  });

  it("writes the rollup of a changed namespace × check only, and a 0/0 row when a key disappears", async () => {
    const targetId = await newTarget();
    await run(targetId, makeFleet({ containers: 10, perNamespace: 5 }), true, T1);
    const second = await run(
      targetId,
      makeFleet({ containers: 10, perNamespace: 5, statusB: (i) => (i === 7 ? "pass" : "fail") }),
      true,
      T2,
    );
    const written = await test.db.runRollup.findMany({ where: { runId: second.runId } });
    expect(written.map((r) => [r.namespace, r.checkId, r.passed, r.failed])).toEqual([["ns-1", "check-b", 1, 4]]);
    const third = await run(targetId, makeFleet({ containers: 10, perNamespace: 5, skip: (i) => i >= 5 }), true, T3);
    const ended = await test.db.runRollup.findMany({ where: { runId: third.runId }, orderBy: { checkId: "asc" } });
    expect(ended.map((r) => [r.namespace, r.checkId, r.passed, r.failed])).toEqual([
      ["ns-1", "check-a", 0, 0],
      ["ns-1", "check-b", 0, 0],
    ]);
    // RollupLatest holds each key's newest row: what the overview reads without scanning history.
    const latest = await test.db.rollupLatest.findMany({
      where: { targetId },
      orderBy: [{ namespace: "asc" }, { checkId: "asc" }],
    });
    const newest = await test.db.$queryRaw<{ namespace: string; checkId: string; passed: number; failed: number }[]>`
      SELECT DISTINCT ON ("namespace", "checkId") "namespace", "checkId", "passed", "failed" FROM "RunRollup"
      WHERE "targetId" = ${targetId}::uuid ORDER BY "namespace", "checkId", "at" DESC`;
    expect(latest.map((r) => [r.namespace, r.checkId, r.passed, r.failed])).toEqual(
      newest.map((r) => [r.namespace, r.checkId, r.passed, r.failed]),
    );
    expect(latest.find((r) => r.namespace === "ns-1" && r.checkId === "check-b")).toMatchObject({
      passed: 0,
      failed: 0,
    });
  });

  it("keeps each result in one home: passes by id on the container, a failure with its fix in its finding", async () => {
    const targetId = await newTarget();
    const fix = { summary: "set runAsNonRoot", kubernetesPatch: "spec: {}" };
    const fleet = makeFleet({ containers: 1 });
    const failing = fleet[0]!.containers[0]!.checks.find((c) => c.checkId === "check-b")!;
    failing.remediation = fix;
    fleet[0]!.containers[0]!.checks.push({
      checkId: "check-c",
      status: "not-evaluated",
      severity: "high",
      message: "no report",
    });
    await run(targetId, fleet, true, T1);
    const container = await test.db.container.findFirstOrThrow({
      where: { workload: { targetId } },
      include: { resultSet: true },
    });
    expect(container.resultSet?.passed).toEqual(["check-a"]);
    expect(container.resultSet?.notJudged).toEqual([{ id: "check-c", status: "not-evaluated", message: "no report" }]);
    const [finding] = await findingsOf(targetId);
    expect(finding).toMatchObject({ checkId: "check-b", status: "open", fix: { remediation: fix } });
    await run(targetId, makeFleet({ containers: 1, statusB: () => "pass" }), true, T2);
    const fixed = await test.db.container.findFirstOrThrow({
      where: { workload: { targetId } },
      include: { resultSet: true },
    });
    expect(fixed.resultSet?.passed).toEqual(["check-a", "check-b"]);
    expect((await findingsOf(targetId))[0]).toMatchObject({ status: "resolved", fixId: null });
  });

  it("stores each distinct fix once, shared by every finding that carries it", async () => {
    const targetId = await newTarget();
    const fixes = [{ summary: "add --user", dockerRun: { add: ["--user=10001"], remove: [] } }, { summary: "other" }];
    const fleet = makeFleet({ containers: 6 });
    fleet.forEach((workload, i) => {
      for (const container of workload.containers)
        container.checks.find((c) => c.checkId === "check-b")!.remediation = { ...fixes[i % 2]! };
    });
    await run(targetId, fleet, true, T1);
    const findings = await findingsOf(targetId);
    expect(findings.filter((f) => f.status === "open")).toHaveLength(6);
    expect(new Set(findings.map((f) => f.fixId)).size).toBe(2);
    expect(findings.map((f) => f.fix?.remediation)).toEqual(fleet.map((_, i) => fixes[i % 2]));
    const shared = await test.db.fix.findMany({
      where: { findings: { some: { container: { workload: { targetId } } } } },
    });
    expect(shared.map((f) => f.remediation).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      [...fixes].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
  });

  it("resolves a fixed check's finding with resolvedAt, and reopens it when it fails again", async () => {
    const targetId = await newTarget();
    await run(targetId, makeFleet({ containers: 3 }), true, T1);
    const fixed = await run(
      targetId,
      makeFleet({ containers: 3, statusB: (i) => (i === 0 ? "pass" : "fail") }),
      true,
      T2,
    );
    expect(fixed.findingsResolved).toBe(1);
    const afterFix = await findingsOf(targetId);
    let first = afterFix[0];
    const second = afterFix[1];
    expect(first).toMatchObject({ status: "resolved", resolution: "fixed", resolvedAt: T2 });
    expect(first?.events.map((e) => e.kind)).toEqual(["resolved"]);
    expect(second).toMatchObject({ status: "open", resolvedAt: null });
    await run(targetId, makeFleet({ containers: 3 }), true, T3);
    first = (await findingsOf(targetId))[0];
    expect(first).toMatchObject({ status: "open", resolution: null, resolvedAt: null, firstSeenAt: T1 });
    expect(first?.events.map((e) => e.kind)).toEqual(["resolved", "reopened"]);
  });

  it("keeps a team per rollup key: the workload's own team label, else its namespace's, and moves counts on relabelling", async () => {
    const targetId = await newTarget();
    const labelled = (own: (i: number) => string | undefined) =>
      makeFleet({ containers: 4, perNamespace: 4 }).map((evaluation, i) => {
        const team = own(i);
        const labels: Record<string, string> = team ? { team } : {};
        return { ...evaluation, labels, namespaceLabels: { team: "platform" } };
      });
    await run(
      targetId,
      labelled((i) => (i === 0 ? "shop" : undefined)),
      true,
      T1,
    );
    const keys = async (runId: string) =>
      (await test.db.runRollup.findMany({ where: { runId, checkId: "check-b" }, orderBy: { team: "asc" } })).map(
        (r) => [r.team, r.failed],
      );
    const [first] = await test.db.collectionRun.findMany({ where: { targetId }, select: { id: true } });
    expect(await keys(first!.id)).toEqual([
      ["platform", 3],
      ["shop", 1],
    ]);
    const second = await run(
      targetId,
      labelled(() => undefined),
      true,
      T2,
    );
    expect(await keys(second.runId)).toEqual([
      ["platform", 4],
      ["shop", 0],
    ]);
  });

  it("moves a finding to excepted and back with events, without counting it as failed in rollups", async () => {
    const targetId = await newTarget();
    await run(targetId, makeFleet({ containers: 2 }), true, T1);
    const excepted = await run(targetId, makeFleet({ containers: 2, exceptedB: (i) => i === 1 }), true, T2);
    const rollups = await test.db.runRollup.findMany({ where: { runId: excepted.runId, checkId: "check-b" } });
    expect(rollups).toHaveLength(1);
    expect(rollups.reduce((n, r) => n + r.failed, 0)).toBe(1);
    await run(targetId, makeFleet({ containers: 2 }), true, T3);
    const [, second] = await findingsOf(targetId);
    expect(second?.status).toBe("open");
    expect(second?.events.map((e) => e.kind)).toEqual(["excepted", "unexcepted"]);
  });

  it("marks nothing gone after a partial run that lacks a container", async () => {
    const targetId = await newTarget();
    await run(targetId, makeFleet({ containers: 4 }), true, T1);
    const partial = await run(targetId, makeFleet({ containers: 4, skip: (i) => i === 2 }), false, T2);
    expect(await test.db.container.count({ where: { workload: { targetId }, goneAt: { not: null } } })).toBe(0);
    expect(await test.db.workload.count({ where: { targetId, goneAt: { not: null } } })).toBe(0);
    expect((await findingsOf(targetId)).every((f) => f.status === "open")).toBe(true);
    expect((await test.db.collectionRun.findUniqueOrThrow({ where: { id: partial.runId } })).status).toBe("partial");
  });

  it("marks a container missing from a complete run gone and resolves its findings as removed", async () => {
    const targetId = await newTarget();
    await run(targetId, makeFleet({ containers: 4 }), true, T1);
    const complete = await run(targetId, makeFleet({ containers: 4, skip: (i) => i === 2 }), true, T4);
    expect(complete.findingsResolved).toBe(1);
    const gone = await test.db.container.findMany({
      where: { workload: { targetId }, goneAt: { not: null } },
      include: { workload: true },
    });
    expect(gone.map((c) => [c.workload.name, c.goneAt])).toEqual([["app-2", T4]]);
    expect((await test.db.workload.findFirstOrThrow({ where: { targetId, name: "app-2" } })).goneAt).toEqual(T4);
    const findings = await findingsOf(targetId);
    const removed = findings.filter((f) => f.status === "resolved");
    expect(removed.map((f) => [f.container.workload.name, f.resolution, f.resolvedAt])).toEqual([
      ["app-2", "removed", T4],
    ]);
    expect(removed[0]?.events.map((e) => e.kind)).toEqual(["removed"]);
  });
});

describe("RunRecorder.listedVersions", () => {
  /** What a batch's lookup answers for each of the fleet's workloads and containers. */
  function answers(stored: StoredBatch, fleet: WorkloadEvaluation[]) {
    return fleet.map((e) => [
      stored.workloadId(e.workload),
      stored.workloadState(e.workload),
      e.containers.map((c) => [
        stored.containerId(e.workload, c.name),
        stored.containerFacts(e.workload, c.name),
        stored.containerListedVersion(e.workload, c.name),
      ]),
    ]);
  }

  it("reads a target of one batch once: its listed versions and the first batch's stored hashes together", async () => {
    const targetId = await newTarget();
    const fleet = makeFleet({ containers: 6 });
    await run(targetId, fleet, true, T1);
    // Two containers with a listed version (a Docker listing's hash), one workload gone: neither may be answered.
    const containers = await test.db.container.findMany({
      where: { workload: { targetId } },
      orderBy: { name: "asc" },
      include: { workload: true },
    });
    await test.db.container.update({ where: { id: containers[0]!.id }, data: { listedVersion: "v-0" } });
    await test.db.container.update({ where: { id: containers[1]!.id }, data: { listedVersion: "v-1" } });
    await test.db.workload.update({ where: { id: containers[5]!.workloadId }, data: { goneAt: T1 } });
    const refs = fleet.map((e) => e.workload);

    const plain = new RunRecorder(test.db, { runId: (await startRun(test.db, { targetId })).runId, targetId, now: T2 });
    const plainVersions = await plain.listedVersions();
    const plainStored = await plain.lookup(refs);
    const plainStatements = (await plain.finish({ complete: false })).statements;
    const held = new RunRecorder(test.db, { runId: (await startRun(test.db, { targetId })).runId, targetId, now: T2 });
    const heldVersions = await held.listedVersions(500);
    const heldStored = await held.lookup(refs);

    expect(heldVersions).toEqual(new Set(["v-0", "v-1"]));
    expect(plainVersions).toEqual(heldVersions);
    expect(answers(heldStored, fleet)).toEqual(answers(plainStored, fleet));
    expect(answers(heldStored, fleet).filter(([id]) => id === undefined)).toHaveLength(1);
    expect((await held.finish({ complete: false })).statements).toBe(plainStatements - 1);
    // Only the first batch is answered from the rows read with the listed versions: a later one reads its own.
    const again = new RunRecorder(test.db, { runId: (await startRun(test.db, { targetId })).runId, targetId, now: T3 });
    await again.listedVersions(500);
    await again.lookup(refs);
    await test.db.workload.update({ where: { id: containers[5]!.workloadId }, data: { goneAt: null } });
    expect(answers(await again.lookup(refs), fleet)).toEqual(answers(await plain.lookup(refs), fleet));
  });

  it("reads a target bigger than the rows it may hold batch by batch, with all its listed versions", async () => {
    const targetId = await newTarget();
    const fleet = makeFleet({ containers: 8 });
    await run(targetId, fleet, true, T1);
    await test.db.container.updateMany({ where: { workload: { targetId } }, data: { listedVersion: "same" } });
    const refs = fleet.map((e) => e.workload);
    const statements: number[] = [];
    for (const holdRows of [0, 7]) {
      const { runId } = await startRun(test.db, { targetId });
      const recorder = new RunRecorder(test.db, { runId, targetId, now: T2 });
      expect(await recorder.listedVersions(holdRows)).toEqual(new Set(["same"]));
      const stored = await recorder.lookup(refs.slice(0, 2));
      expect(answers(stored, fleet).filter(([id]) => id !== undefined)).toHaveLength(2);
      statements.push((await recorder.finish({ complete: false })).statements);
    }
    // The bounded read found more rows than it may hold: the listed versions and the lookup take their own reads.
    expect(statements[1]).toBe(statements[0]! + 1);
  });
});
