import { beforeAll, describe, expect, it } from "vitest";
import { CHECK_CATALOG } from "@/lib/checks/catalog";
import { setupTestDatabase, storeResultSet } from "@/lib/db/testing";
import { SEVERITIES, type Severity } from "@/lib/domain/severity";
import { accessOf, WHOLE_FLEET, type Access, type AccessScope } from "@/lib/scope/access-scope";
import { checkCompliance, containerScore, scopeScore } from "@/lib/scoring";
import { resolveScopeInput, ScopeInputError } from "@/lib/services/access/scope-input";
import { createApiToken, getTokenUser } from "@/lib/services/tokens";
import { setUserAccessScope } from "@/lib/services/users";
import { listApiWorkloads } from "./api-workloads";
import { listCheckCompliance } from "./checks";
import { getComplianceMatrix } from "./compliance-matrix";
import { getFilterOptions, getOverview } from "./overview";
import { listTargets } from "./targets";
import { getTrends } from "./trends";
import { listViolations, violationsCsv } from "./violations";
import { getFindingLocation, getWorkload } from "./workloads";

const database = setupTestDatabase({ processDb: true });
const NOW = new Date("2026-03-10T12:00:00Z");
const CHECKS = CHECK_CATALOG.slice(0, 3);
type Outcome = "pass" | "fail" | "excepted";

interface Seeded {
  target: "kube" | "dock";
  namespace: string;
  /** Where the team label sits: the workload's own labels or its namespace's. */
  team: { value: string; on: "labels" | "namespaceLabels" } | null;
  outcomes: Outcome[];
  workloadId?: string;
  findingId?: string;
}

const seeded: Seeded[] = [
  { target: "kube", namespace: "shop", team: { value: "payments", on: "labels" }, outcomes: ["pass", "fail", "pass"] },
  {
    target: "kube",
    namespace: "shop",
    team: { value: "payments", on: "namespaceLabels" },
    outcomes: ["fail", "fail", "excepted"],
  },
  { target: "kube", namespace: "ops", team: { value: "platform", on: "labels" }, outcomes: ["pass", "pass", "fail"] },
  { target: "dock", namespace: "", team: null, outcomes: ["pass", "excepted", "fail"] },
  { target: "dock", namespace: "", team: { value: "platform", on: "labels" }, outcomes: ["fail", "fail", "fail"] },
];
const ids: Record<"kube" | "dock", string> = { kube: "", dock: "" };

const scoreOf = (outcomes: Outcome[]) =>
  containerScore(
    outcomes.map((outcome, i) => ({
      status: outcome === "pass" ? ("pass" as const) : ("fail" as const),
      severity: CHECKS[i]!.severity,
      ...(outcome === "excepted" ? { excepted: { source: "exception" as const, reason: "accepted" } } : {}),
    })),
  );

beforeAll(async () => {
  const db = database.db;
  ids.kube = (await db.target.create({ data: { name: "kube", platform: "kubernetes", url: "https://k" } })).id;
  ids.dock = (await db.target.create({ data: { name: "dock", platform: "docker", url: "unix:///d.sock" } })).id;
  const rollups = new Map<string, { passed: number; failed: number }>();
  for (const [i, spec] of seeded.entries()) {
    const labels = spec.team ? { team: spec.team.value } : {};
    const workload = await db.workload.create({
      data: {
        targetId: ids[spec.target],
        namespace: spec.namespace,
        kind: "Deployment",
        name: `app-${i}`,
        labels: spec.team?.on === "labels" ? labels : {},
        namespaceLabels: spec.team?.on === "namespaceLabels" ? labels : {},
      },
    });
    spec.workloadId = workload.id;
    const container = await db.container.create({
      data: {
        workloadId: workload.id,
        name: "main",
        image: "app:1",
        factsHash: String(i),
        resultSetId: await storeResultSet(
          db,
          CHECKS.flatMap((check, c) => (spec.outcomes[c] === "pass" ? [check.id] : [])),
          CHECK_CATALOG.slice(3).map((check) => ({ id: check.id, status: "not-applicable" as const, message: "n/a" })),
        ),
        score: scoreOf(spec.outcomes),
      },
    });
    for (const [c, check] of CHECKS.entries()) {
      const outcome = spec.outcomes[c]!;
      // As the run recorder counts: excepted results are in neither number.
      const key = `${ids[spec.target]}|${spec.namespace}|${spec.team?.value ?? ""}|${check.id}`;
      const count = rollups.get(key) ?? { passed: 0, failed: 0 };
      if (outcome === "pass") count.passed += 1;
      if (outcome === "fail") count.failed += 1;
      rollups.set(key, count);
      if (outcome === "pass") continue;
      const finding = await db.finding.create({
        data: {
          containerId: container.id,
          checkId: check.id,
          status: outcome === "excepted" ? "excepted" : "open",
          severity: check.severity,
          message: `fails ${check.id}`,
          firstSeenAt: new Date(NOW.getTime() - 86_400_000),
        },
      });
      spec.findingId ??= finding.id;
    }
  }
  const at = new Date(NOW.getTime() - 3_600_000);
  for (const [key, count] of rollups) {
    const [targetId = "", namespace = "", team = "", checkId = ""] = key.split("|");
    const row = { targetId, namespace, team, checkId, ...count, at };
    await db.runRollup.create({ data: row });
    await db.rollupLatest.create({ data: row });
  }
});

function inScope(keep: (s: Seeded) => boolean) {
  return seeded.filter(keep);
}

const SCOPES: { name: string; scope: () => AccessScope; keep: (s: Seeded) => boolean }[] = [
  { name: "one target", scope: () => ({ targets: [ids.dock], namespaces: [], teams: [] }), keep: (s) => s.target === "dock" },
  {
    name: "one namespace",
    scope: () => ({ targets: [], namespaces: [{ targetId: ids.kube, namespace: "shop" }], teams: [] }),
    keep: (s) => s.target === "kube" && s.namespace === "shop",
  },
  {
    name: "one team (label or namespace label)",
    scope: () => ({ targets: [], namespaces: [], teams: ["payments"] }),
    keep: (s) => s.team?.value === "payments",
  },
  {
    name: "a team on two targets",
    scope: () => ({ targets: [], namespaces: [], teams: ["platform"] }),
    keep: (s) => s.team?.value === "platform",
  },
];

function openBySeverity(rows: Seeded[]): Record<Severity, number> {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const row of rows)
    for (const [c, outcome] of row.outcomes.entries()) if (outcome === "fail") out[CHECKS[c]!.severity] += 1;
  return out;
}

function complianceOf(rows: Seeded[], c: number): number | null {
  const value = checkCompliance(
    rows.map((row) =>
      row.outcomes[c] === "excepted"
        ? { status: "fail" as const, excepted: { source: "exception" as const, reason: "accepted" } }
        : { status: row.outcomes[c] as "pass" | "fail" },
    ),
  );
  return value === null ? null : value * 100;
}

describe.each(SCOPES)("a user scoped to $name", ({ scope, keep }) => {
  const access = (): Access => accessOf(scope());

  it("sees counts, score and open findings equal to the CHECKS.md formulas over the scope's rows only", async () => {
    const rows = inScope(keep);
    const overview = await getOverview({ access: access() });
    expect(overview.containers).toBe(rows.length);
    expect(overview.fleetScore).toBeCloseTo(scopeScore(rows.map((r) => scoreOf(r.outcomes))) as number, 9);
    expect(overview.openBySeverity).toEqual(openBySeverity(rows));
    expect(overview.targets).toBe(new Set(rows.map((r) => r.target)).size);
  });

  it("check compliance (from the rollups) and the latest trend day equal passing ÷ judged over the scope", async () => {
    const rows = inScope(keep);
    const compliance = await listCheckCompliance({ access: access() });
    const trends = await getTrends({ access: access(), days: 7 }, NOW);
    for (const [c, check] of CHECKS.entries()) {
      const expected = complianceOf(rows, c);
      const row = compliance.find((r) => r.checkId === check.id);
      const last = trends.checks.find((t) => t.checkId === check.id)?.points.at(-1)?.value ?? null;
      if (expected === null) {
        expect(row?.compliance).toBeNull();
        expect(last).toBeNull();
      } else {
        expect(row?.compliance).toBeCloseTo(expected, 9);
        expect(last).toBeCloseTo(expected, 9);
      }
    }
  });

  it("violations, their CSV and the API's workloads list only the scope's rows", async () => {
    const rows = inScope(keep);
    const open = rows.reduce((n, r) => n + r.outcomes.filter((o) => o === "fail").length, 0);
    const page = await listViolations({ access: access(), page: 1, pageSize: 200 });
    expect(page.total).toBe(open);
    expect(new Set(page.rows.map((r) => r.workloadId))).toEqual(
      new Set(rows.filter((r) => r.outcomes.includes("fail")).map((r) => r.workloadId)),
    );
    const lines: string[] = [];
    for await (const chunk of violationsCsv({ access: access() })) lines.push(...chunk.trim().split("\r\n"));
    expect(lines).toHaveLength(open + 1);
    const workloads = await listApiWorkloads({ access: access(), page: 1 });
    expect(workloads.total).toBe(rows.length);
    expect(new Set(workloads.rows.map((w) => w.id))).toEqual(new Set(rows.map((r) => r.workloadId)));
  });

  it("a filter naming rows outside the scope only narrows it: nothing, never the other rows", async () => {
    for (const target of ["kube", "dock"] as const) {
      const expected = inScope((s) => keep(s) && s.target === target);
      const open = expected.reduce((n, r) => n + r.outcomes.filter((o) => o === "fail").length, 0);
      expect((await listViolations({ access: access(), target, page: 1 })).total).toBe(open);
      expect((await getOverview({ access: access(), target })).containers).toBe(expected.length);
    }
    expect((await getOverview({ access: access(), team: "nobody" })).containers).toBe(0);
  });

  it("a workload or finding outside the scope is not found; one inside is", async () => {
    for (const row of seeded) {
      const workload = await getWorkload(row.workloadId!, access(), NOW);
      const location = await getFindingLocation(row.findingId!, access());
      expect(workload === null).toBe(!keep(row));
      expect(location === null).toBe(!keep(row));
    }
  });

  it("targets, filter options and the matrix columns are the scope's", async () => {
    const rows = inScope(keep);
    const names = [...new Set(rows.map((r) => r.target))].sort();
    expect((await listTargets({ access: access() }, NOW)).map((t) => t.name)).toEqual(names);
    const options = await getFilterOptions(access());
    expect(options.targets).toEqual(names);
    expect(options.teams).toEqual([...new Set(rows.flatMap((r) => (r.team ? [r.team.value] : [])))].sort());
    const matrix = await getComplianceMatrix("target", access(), NOW);
    expect(matrix.columns.sort()).toEqual(names);
  });
});

describe("access of a request", () => {
  it("unscoped sees the whole fleet; an unreadable stored scope sees nothing", async () => {
    expect((await getOverview({ access: WHOLE_FLEET })).containers).toBe(seeded.length);
    expect(accessOf(null)).toEqual(WHOLE_FLEET);
    const broken = accessOf({ targets: ["not-a-uuid"] });
    expect((await getOverview({ access: broken })).containers).toBe(0);
    expect((await listViolations({ access: broken, page: 1 })).total).toBe(0);
  });

  it("a token's scope narrows its owner's: both must hold, audited with the scope in words", async () => {
    const db = database.db;
    const user = await db.user.create({ data: { email: "team@example.test", role: "viewer" } });
    const actor = { email: "admin@example.test", ip: null };
    await setUserAccessScope(db, user.id, await resolveScopeInput(db, { teams: "platform" }), actor);
    const tokenScope = await resolveScopeInput(db, { targets: ["kube"] });
    const { token } = await createApiToken(db, user.id, { name: "ci", role: "viewer", expiresInDays: 5, accessScope: tokenScope }, actor);
    const caller = await getTokenUser(db, token);
    expect(caller?.access.limits).toHaveLength(2);
    const overview = await getOverview({ access: caller!.access });
    expect(overview.containers).toBe(inScope((s) => s.team?.value === "platform" && s.target === "kube").length);
    const audit = await db.auditLog.findMany({ where: { action: { in: ["user.scope-changed", "token.created"] } } });
    expect(audit.map((a) => a.detail)).toEqual(
      expect.arrayContaining([
        { from: "whole fleet", to: "team platform" },
        expect.objectContaining({ scope: "target kube" }),
      ]),
    );
  });

  it("typed scopes name what they cannot read, and an empty one is the whole fleet", async () => {
    const db = database.db;
    expect(await resolveScopeInput(db, { targets: [], namespaces: " ", teams: "" })).toBeNull();
    expect(await resolveScopeInput(db, { namespaces: "kube/shop\ndock/x" })).toEqual({
      targets: [],
      namespaces: [
        { targetId: ids.kube, namespace: "shop" },
        { targetId: ids.dock, namespace: "x" },
      ],
      teams: [],
    });
    await expect(resolveScopeInput(db, { targets: ["nope"] })).rejects.toThrow('no target is named "nope"');
    await expect(resolveScopeInput(db, { namespaces: "kube" })).rejects.toThrow(/line 1: "kube" is not target\/namespace/);
    await expect(resolveScopeInput(db, { teams: "a\u0000b" })).rejects.toBeInstanceOf(ScopeInputError);
    await expect(resolveScopeInput(db, { teams: "x".repeat(201) })).rejects.toBeInstanceOf(ScopeInputError);
  });
});
