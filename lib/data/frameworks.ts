import "server-only";
import type { Severity } from "@/lib/domain/severity";
import { checksOfControl, notJudgedReason, type Framework } from "@/lib/frameworks";
import { POD_SECURITY_LEVELS, type PodSecurityLevel } from "@/lib/pss";
import { getDb } from "@/lib/db";
import { listPodSecurity } from "./overview";
import { listCurrentRollupsByPlatform, listDailyRollupsBy } from "./rollup-history";
import { scopeSql, type ScopedFilter } from "./scope";
import { compliancePercent } from "./trends";

export interface ControlCheck {
  checkId: string;
  title: string;
  severity: Severity;
  /** Containers passing and failing it in the scope (Pod Security: not counted, the verdict is). */
  passed: number;
  failed: number;
}

export interface ControlCompliance {
  id: string;
  title: string;
  section: string;
  /** Why Rampart does not judge it; null when it does. */
  notJudged: string | null;
  /** Checks: the ones it is computed from. Pod Security: the checklist's related checks, for reading only. */
  checks: ControlCheck[];
  passed: number;
  failed: number;
  /** 0..100, or null when nothing in the scope was judged on it. */
  compliance: number | null;
}

export interface LevelCompliance {
  level: PodSecurityLevel;
  /** Workloads the level allows, of those with a verdict. */
  allowed: number;
  judged: number;
  compliance: number | null;
}

export interface FrameworkCompliance {
  framework: Framework;
  controls: ControlCompliance[];
  /** Pod Security only: the levels' verdicts (the overview's numbers). */
  levels: LevelCompliance[];
}

type Counts = Map<string, { passed: number; failed: number }>;

/** End of the UTC day `day` (YYYY-MM-DD): the instant a past report reads its state at. */
export function endOfDay(day: string): Date {
  return new Date(`${day}T23:59:59.999Z`);
}

type Platform = Framework["platform"];
type CountsByPlatform = Record<Platform, Counts>;

function countsByPlatform(rows: { platform: string; checkId: string; passed: number; failed: number }[]): CountsByPlatform {
  const out: CountsByPlatform = { docker: new Map(), kubernetes: new Map() };
  for (const row of rows) {
    const counts = out[row.platform as Platform];
    if (!counts) continue;
    const count = counts.get(row.checkId) ?? { passed: 0, failed: 0 };
    counts.set(row.checkId, { passed: count.passed + row.passed, failed: count.failed + row.failed });
  }
  return out;
}

/**
 * Check counts over the scope per kind of target, in one read: the latest rollups now, or on a past day each key's
 * last rollup at or before that day's end (lib/data/rollup-history), split by target and then by its platform.
 */
async function checkCounts(scope: ScopedFilter, day?: string): Promise<CountsByPlatform> {
  if (!day) {
    const rows = await listCurrentRollupsByPlatform(scope);
    return countsByPlatform(rows.map((r) => ({ ...r, passed: Number(r.passed), failed: Number(r.failed) })));
  }
  const [rows, targets] = await Promise.all([
    listDailyRollupsBy("targetId", scope, [day], endOfDay(day)),
    getDb().target.findMany({ select: { id: true, platform: true } }),
  ]);
  const platforms = new Map(targets.map((t) => [t.id, t.platform]));
  return countsByPlatform(rows.map((row) => ({ ...row, platform: platforms.get(row.key) ?? "" })));
}

/** Workloads violating each control, per level, among current workloads with a verdict in the scope. */
async function podSecurityViolations(scope: ScopedFilter): Promise<Counts> {
  const rows = await getDb().$queryRaw<{ level: string; control: string; n: bigint }[]>`
    SELECT l.level, v.control, count(*)::bigint AS n
    FROM "Workload" w
    CROSS JOIN (VALUES ('baseline'), ('restricted')) AS l(level)
    CROSS JOIN LATERAL jsonb_array_elements_text(
      CASE WHEN jsonb_typeof(w."podSecurity"->l.level->'violations') = 'array'
        THEN w."podSecurity"->l.level->'violations' ELSE '[]'::jsonb END) AS v(control)
    WHERE w."goneAt" IS NULL AND w."podSecurity" IS NOT NULL AND jsonb_typeof(w."podSecurity") = 'object' ${scopeSql(scope)}
    GROUP BY 1, 2`;
  return new Map(rows.map((row) => [`${row.level}/${row.control}`, { passed: 0, failed: Number(row.n) }]));
}

async function podSecurityLevels(scope: ScopedFilter): Promise<LevelCompliance[]> {
  const rows = await listPodSecurity(scope);
  const judged = rows.reduce((sum, row) => sum + row.workloads, 0);
  return POD_SECURITY_LEVELS.map((level) => {
    const allowed = rows.reduce((sum, row) => sum + row[level], 0);
    return { level, allowed, judged, compliance: compliancePercent(allowed, judged - allowed) };
  });
}

function toCheck(check: ReturnType<typeof checksOfControl>[number], counts?: Counts): ControlCheck {
  const count = counts?.get(check.id) ?? { passed: 0, failed: 0 };
  return { checkId: check.id, title: check.title, severity: check.severity, ...count };
}

function fromCounts(framework: Framework, counts: Counts): FrameworkCompliance {
  const controls = framework.controls.map((control) => {
    const checks = checksOfControl(framework, control.id).map((check) => toCheck(check, counts));
    const passed = checks.reduce((sum, check) => sum + check.passed, 0);
    const failed = checks.reduce((sum, check) => sum + check.failed, 0);
    const notJudged = notJudgedReason(framework, control);
    return { ...control, notJudged, checks, passed, failed, compliance: compliancePercent(passed, failed) };
  });
  return { framework, controls, levels: [] };
}

async function getPodSecurityCompliance(framework: Framework, scope: ScopedFilter): Promise<FrameworkCompliance> {
  const [violations, levels] = await Promise.all([podSecurityViolations(scope), podSecurityLevels(scope)]);
  const judged = levels[0]?.judged ?? 0;
  const controls = framework.controls.map((control) => {
    const failed = violations.get(`${control.section}/${control.id}`)?.failed ?? 0;
    return {
      ...control,
      notJudged: null,
      checks: checksOfControl(framework, control.id).map((check) => toCheck(check)),
      passed: judged - failed,
      failed,
      compliance: compliancePercent(judged - failed, failed),
    };
  });
  return { framework, controls, levels };
}

/**
 * Compliance per control of every framework over a scope, now or at the end of a past day (`day`, YYYY-MM-DD). A
 * checklist framework's control pools its checks: Σ passing ÷ Σ (passing + failing) over the containers, on the
 * framework's kind of target, of each check that references it (one check: exactly CHECKS.md's compliance of that
 * check). A Pod Security control: workloads whose verdict at that level does not list it ÷ workloads with a
 * verdict. Verdicts are kept for the current state only, so on a past day Pod Security is null.
 */
export async function listFrameworkCompliance(
  frameworks: readonly Framework[],
  scope: ScopedFilter,
  day?: string,
): Promise<(FrameworkCompliance | null)[]> {
  const needsCounts = frameworks.some((framework) => framework.basis === "checks");
  const counts = needsCounts ? await checkCounts(scope, day) : undefined;
  return Promise.all(
    frameworks.map(async (framework) => {
      if (framework.basis === "pod-security") return day ? null : getPodSecurityCompliance(framework, scope);
      return fromCounts(framework, counts?.[framework.platform] ?? new Map());
    }),
  );
}

export async function getFrameworkCompliance(
  framework: Framework,
  scope: ScopedFilter,
  day?: string,
): Promise<FrameworkCompliance | null> {
  const [compliance] = await listFrameworkCompliance([framework], scope, day);
  return compliance ?? null;
}
