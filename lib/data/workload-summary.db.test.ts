import { describe, expect, it } from "vitest";
import { CHECK_CATALOG } from "@/lib/checks/catalog";
import { Prisma } from "@/lib/db";
import { setupTestDatabase } from "@/lib/db/testing";
import type { CheckResult, WorkloadEvaluation } from "@/lib/domain/result";
import type { Severity } from "@/lib/domain/severity";
import { WORKLOAD_TEAM_SQL } from "@/lib/domain/team";
import { applyExceptionNow, unapplyException } from "@/lib/services/exceptions/apply-exception-now";
import { createException } from "@/lib/services/exceptions/create-exception";
import { pruneGone } from "@/lib/services/maintenance/prune-gone";
import { recordRun } from "@/lib/services/runs/record-run";
import { startRun } from "@/lib/services/runs/start-run";
import { createTarget } from "@/lib/services/targets";
import { WHOLE_FLEET } from "@/lib/scope/access-scope";
import { listFailingWorkloads } from "./checks";
import { getFindingActivity } from "./overview";
import { scopeSql } from "./scope";

// WorkloadSummary and ScopeSummary (migration 20261206153000_workload_summary) and WorkloadCheckOpen (migration
// 20261206185000_workload_check_open) are kept by triggers: after every kind of write they must equal the
// straightforward computation over the containers and findings themselves.
const test = setupTestDatabase({ processDb: true });

const CHECKS = CHECK_CATALOG.slice(0, 4);
const NS = ["shop", "ops"];

interface Totals {
  findings: number;
  containers: number;
  scored: number;
  score: number | null;
  open: Record<Severity, number>;
}

function totals(
  row: { findings: unknown; containers: unknown; scored: unknown; score: unknown } & Record<Severity, unknown>,
): Totals {
  return {
    findings: Number(row.findings),
    containers: Number(row.containers),
    scored: Number(row.scored),
    score: row.score === null ? null : Number(row.score),
    open: { critical: Number(row.critical), high: Number(row.high), medium: Number(row.medium), low: Number(row.low) },
  };
}

const OPEN_COUNTS = Prisma.sql`count(*) AS findings,
  count(*) FILTER (WHERE f."status" = 'open' AND f."severity" = 'critical') AS critical,
  count(*) FILTER (WHERE f."status" = 'open' AND f."severity" = 'high') AS high,
  count(*) FILTER (WHERE f."status" = 'open' AND f."severity" = 'medium') AS medium,
  count(*) FILTER (WHERE f."status" = 'open' AND f."severity" = 'low') AS low`;

/** Per workload, straight from the rows: current containers and their mean score; open findings of all containers. */
async function expectedPerWorkload(): Promise<Map<string, Totals & { key: string; current: boolean }>> {
  const rows = await test.db.$queryRaw<
    ({ id: string; key: string; current: boolean; findings: bigint; containers: bigint; scored: bigint; score: number | null } & Record<
      Severity,
      bigint
    >)[]
  >`
    SELECT w."id", w."targetId" || '/' || w."namespace" || '/' || ${Prisma.raw(WORKLOAD_TEAM_SQL)} AS key,
      w."goneAt" IS NULL AS current, c.containers, c.scored, c.score, f.findings, f.critical, f.high, f.medium, f.low
    FROM "Workload" w
    CROSS JOIN LATERAL (SELECT count(*) AS containers, count(c."score") AS scored, avg(c."score") AS score
      FROM "Container" c WHERE c."workloadId" = w."id" AND c."goneAt" IS NULL) c
    CROSS JOIN LATERAL (SELECT ${OPEN_COUNTS}
      FROM "Container" c JOIN "Finding" f ON f."containerId" = c."id" WHERE c."workloadId" = w."id") f`;
  return new Map(rows.map((row) => [row.id, { key: row.key, current: row.current, ...totals(row) }]));
}

async function actualPerWorkload(): Promise<Map<string, Totals & { key: string; current: boolean }>> {
  const rows = await test.db.$queryRaw<
    ({ id: string; key: string; current: boolean; findings: number; containers: number; scored: number; score: number | null } & Record<
      Severity,
      number
    >)[]
  >`
    SELECT "workloadId" AS id, "targetId" || '/' || "namespace" || '/' || "team" AS key, "current", "containers", "scored",
      ("scoreSum" / nullif("scored", 0))::float8 AS score, "findings", "openCritical" AS critical, "openHigh" AS high,
      "openMedium" AS medium, "openLow" AS low
    FROM "WorkloadSummary"`;
  return new Map(rows.map((row) => [row.id, { key: row.key, current: row.current, ...totals(row) }]));
}

/** Per target × namespace × team: containers and scores of current workloads, open findings of all. */
async function expectedPerScope(): Promise<Map<string, Totals & { workloads: number }>> {
  const rows = await test.db.$queryRaw<
    ({ key: string; workloads: bigint; findings: bigint; containers: bigint; scored: bigint; score: number | null } & Record<Severity, bigint>)[]
  >`
    WITH k AS (
      SELECT w."id", w."goneAt" IS NULL AS current,
        w."targetId" || '/' || w."namespace" || '/' || ${Prisma.raw(WORKLOAD_TEAM_SQL)} AS key FROM "Workload" w
    )
    SELECT key, (SELECT count(*) FROM k x WHERE x.key = keys.key AND x.current) AS workloads,
      c.containers, c.scored, c.score, f.findings, f.critical, f.high, f.medium, f.low
    FROM (SELECT DISTINCT key FROM k) keys
    CROSS JOIN LATERAL (SELECT count(*) AS containers, count(c."score") AS scored, avg(c."score") AS score
      FROM k JOIN "Container" c ON c."workloadId" = k."id" WHERE k.key = keys.key AND k.current AND c."goneAt" IS NULL) c
    CROSS JOIN LATERAL (SELECT ${OPEN_COUNTS}
      FROM k JOIN "Container" c ON c."workloadId" = k."id" JOIN "Finding" f ON f."containerId" = c."id"
      WHERE k.key = keys.key) f`;
  return new Map(rows.map((row) => [row.key, { workloads: Number(row.workloads), ...totals(row) }]));
}

async function actualPerScope(): Promise<Map<string, Totals & { workloads: number }>> {
  const rows = await test.db.$queryRaw<
    ({ key: string; workloads: number; findings: number; containers: number; scored: number; score: number | null } & Record<Severity, number>)[]
  >`
    SELECT "targetId" || '/' || "namespace" || '/' || "team" AS key, "workloads", "containers", "scored",
      ("scoreSum" / nullif("scored", 0))::float8 AS score, "findings", "openCritical" AS critical, "openHigh" AS high,
      "openMedium" AS medium, "openLow" AS low
    FROM "ScopeSummary"
    WHERE ("workloads", "containers", "findings") <> (0, 0, 0)`;
  return new Map(rows.map((row) => [row.key, { workloads: Number(row.workloads), ...totals(row) }]));
}

/** Equal but for the score's last bits (a numeric sum against a float average). */
function expectSame<T extends Totals>(actual: Map<string, T>, expected: Map<string, T>): void {
  const round = (map: Map<string, T>) =>
    [...map].sort(([a], [b]) => a.localeCompare(b)).map(([id, t]) => [id, { ...t, score: t.score?.toFixed(9) ?? null }]);
  expect(round(actual)).toEqual(round(expected));
}

/** "Opened in the window" counted one by one equals all findings less those outside it (the path past the cap). */
async function expectActivityBothWays(now: Date): Promise<void> {
  for (const filter of [{ access: WHOLE_FLEET }, { team: "payments", access: WHOLE_FLEET }]) {
    for (const since of [new Date(now.getTime() - 7 * 86_400_000), new Date(now.getTime() - 8 * 60_000)]) {
      const direct = await getFindingActivity(filter, now, since);
      expect(await getFindingActivity(filter, now, since, 1)).toEqual(direct);
    }
  }
}

/** The check page's failing workloads, ordered and cut (ties at the cut included) as the plain grouped query does. */
async function expectFailingWorkloadsExact(): Promise<void> {
  for (const filter of [{ access: WHOLE_FLEET }, { team: "payments", access: WHOLE_FLEET }]) {
    for (const check of CHECKS) {
      const all = await test.db.$queryRaw<{ workloadId: string; containers: bigint; message: string }[]>`
        SELECT w."id" AS "workloadId", count(DISTINCT c."id")::bigint AS containers, min(f."message") AS message
        FROM "Finding" f JOIN "Container" c ON c."id" = f."containerId"
          JOIN "Workload" w ON w."id" = c."workloadId" JOIN "Target" t ON t."id" = w."targetId"
        WHERE f."checkId" = ${check.id} AND f."status" = 'open' AND c."goneAt" IS NULL AND w."goneAt" IS NULL ${scopeSql(filter)}
        GROUP BY w."id", t."name" ORDER BY containers DESC, t."name", w."namespace", w."name"`;
      for (const limit of [1, 2, 3, 50]) {
        const listed = await listFailingWorkloads(check.id, filter, limit);
        expect(listed.map((w) => [w.workloadId, w.containers, w.message])).toEqual(
          all.slice(0, limit).map((w) => [w.workloadId, Number(w.containers), w.message]),
        );
      }
    }
  }
}

/**
 * WorkloadCheckOpen (migration 20261206185000_workload_check_open) against the rows: per workload and check, its
 * current containers with an open finding of the check (what the check page lists), and whether the workload is
 * current. Rows left at zero are not compared.
 */
async function expectCheckOpenExact(): Promise<void> {
  const [expected, actual] = await Promise.all([
    test.db.$queryRaw<{ row: string }[]>`
      SELECT c."workloadId" || '/' || f."checkId" || '/' || (w."goneAt" IS NULL) || '/' || count(*) AS row
      FROM "Finding" f JOIN "Container" c ON c."id" = f."containerId" JOIN "Workload" w ON w."id" = c."workloadId"
      WHERE f."status" = 'open' AND c."goneAt" IS NULL
      GROUP BY c."workloadId", f."checkId", w."goneAt" IS NULL ORDER BY 1`,
    test.db.$queryRaw<{ row: string }[]>`
      SELECT "workloadId" || '/' || "checkId" || '/' || "current" || '/' || "open" AS row
      FROM "WorkloadCheckOpen" WHERE "open" <> 0 ORDER BY 1`,
  ]);
  expect(actual.map((r) => r.row)).toEqual(expected.map((r) => r.row));
  // What lets the table count every container's findings: a gone container has none open (markGone resolves them).
  expect(await test.db.finding.count({ where: { status: "open", container: { goneAt: { not: null } } } })).toBe(0);
}

async function expectSummariesExact(): Promise<void> {
  await expectActivityBothWays(at(25));
  await expectFailingWorkloadsExact();
  await expectCheckOpenExact();
  const [workloads, scopes] = await Promise.all([expectedPerWorkload(), expectedPerScope()]);
  expectSame(await actualPerWorkload(), workloads);
  // Keys with nothing left are kept as zero rows; only the rest must match.
  for (const [key, t] of scopes)
    if (t.workloads === 0 && t.containers === 0 && t.findings === 0) scopes.delete(key);
  expectSame(await actualPerScope(), scopes);
}

function result(i: number, j: number, seed: number): CheckResult {
  const check = CHECKS[i]!;
  const fails = (j * 7 + i * 3 + seed) % 4 === 0 || (j + i + seed) % 5 === 0;
  return {
    checkId: check.id,
    status: fails ? "fail" : (j + i) % 6 === 0 ? "not-applicable" : "pass",
    severity: check.severity,
    message: fails ? `${check.id} failed` : `${check.id} passed`,
    fieldPath: "",
  };
}

/** Workloads with one to three containers, teams on the workload or its namespace, scores from their results. */
function fleet(options: { workloads: number; seed: number; teamOf?: (i: number) => string | null }): WorkloadEvaluation[] {
  const out: WorkloadEvaluation[] = [];
  for (let w = 0; w < options.workloads; w++) {
    const team = options.teamOf ? options.teamOf(w) : w % 3 === 0 ? "payments" : null;
    out.push({
      workload: { platform: "kubernetes", kind: "Deployment", namespace: NS[w % 2]!, name: `app-${w}` },
      source: "https://kubernetes.test",
      ...(team && w % 2 === 0 ? { labels: { team } } : {}),
      ...(team && w % 2 === 1 ? { namespaceLabels: { team } } : {}),
      containers: Array.from({ length: 1 + (w % 3) }, (_, j) => {
        const checks = CHECKS.map((_, i) => result(i, j + w, options.seed));
        const judged = checks.filter((c) => c.status === "pass" || c.status === "fail");
        const passed = judged.filter((c) => c.status === "pass").length;
        return {
          name: `c${j}`,
          image: `registry.test/app-${w}:${options.seed}`,
          score: judged.length === 0 ? null : (100 * passed) / judged.length + w / 7,
          checks,
        };
      }),
    });
  }
  return out;
}

async function run(targetId: string, evaluations: WorkloadEvaluation[], now: Date): Promise<void> {
  const { runId } = await startRun(test.db, { targetId, now });
  await recordRun(test.db, { runId, targetId, evaluations, complete: true, now });
}

const at = (minutes: number) => new Date(Date.UTC(2026, 2, 1, 12, minutes));

describe("WorkloadSummary and ScopeSummary", () => {
  it("equal the computation over containers and findings after each kind of write", async () => {
    const a = (await createTarget(test.db, { name: "a", platform: "kubernetes", url: "https://a.test" })).id;
    const b = (await createTarget(test.db, { name: "b", platform: "kubernetes", url: "https://b.test" })).id;

    // Inserts: two targets' first polls.
    await run(a, fleet({ workloads: 12, seed: 0 }), at(0));
    await run(b, fleet({ workloads: 7, seed: 1 }), at(0));
    await expectSummariesExact();
    const before = await actualPerScope();
    expect([...before.values()].reduce((n, t) => n + t.open.high + t.open.critical + t.open.medium + t.open.low, 0)).toBeGreaterThan(10);

    // Updates: findings resolved and opened, scores changed, a container and a workload gone, teams moved.
    await run(a, fleet({ workloads: 11, seed: 2, teamOf: (i) => (i % 2 === 0 ? "platform" : null) }), at(5));
    await expectSummariesExact();
    expect(await actualPerScope()).not.toEqual(before);

    // An exception accepted (findings excepted, containers rescored), then revoked.
    const open = await test.db.finding.findFirstOrThrow({ where: { status: "open" } });
    const exception = await createException(
      test.db,
      { checkId: open.checkId, reason: "accepted in a test", owner: "ops", expiresAt: at(60 * 24 * 30), createdBy: "test" },
      at(6),
    );
    expect(await applyExceptionNow(test.db, exception, at(6))).toBeGreaterThan(0);
    await expectSummariesExact();
    await test.db.exception.update({ where: { id: exception.id }, data: { revokedAt: at(7) } });
    expect(await unapplyException(test.db, exception.id, at(7))).toBeGreaterThan(0);
    await expectSummariesExact();

    // A workload with open findings marked gone directly (not by a run), then current again.
    const failing = await test.db.container.findFirstOrThrow({ where: { goneAt: null, findings: { some: { status: "open" } } } });
    await test.db.workload.update({ where: { id: failing.workloadId }, data: { goneAt: at(8) } });
    await expectSummariesExact();
    await test.db.workload.update({ where: { id: failing.workloadId }, data: { goneAt: null } });
    await expectSummariesExact();

    // A workload returning, the whole target gone but for one workload, then pruned.
    await run(a, fleet({ workloads: 12, seed: 3 }), at(10));
    await expectSummariesExact();
    await run(a, fleet({ workloads: 1, seed: 3 }), at(20));
    await expectSummariesExact();
    expect((await actualPerWorkload()).size).toBe(19);
    await pruneGone(test.db, { cutoff: at(30) });
    await expectSummariesExact();
    expect((await actualPerWorkload()).size).toBe(8);

    // A container deleted with its open findings, then a target deleted with everything under it.
    const withFindings = await test.db.container.findFirstOrThrow({
      where: { goneAt: null, findings: { some: { status: "open" } }, workload: { targetId: b } },
    });
    await test.db.container.delete({ where: { id: withFindings.id } });
    await expectSummariesExact();
    await test.db.target.delete({ where: { id: b } });
    await expectSummariesExact();
    expect(await test.db.scopeSummary.count({ where: { targetId: b } })).toBe(0);
    expect((await actualPerWorkload()).size).toBe(1);
  });
});
