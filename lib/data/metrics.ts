import "server-only";
import { getDb } from "@/lib/db";
import { SEVERITIES } from "@/lib/domain/severity";
import { CATALOG_VERSION } from "@/lib/evaluate/facts-hash";
import { HISTOGRAMS, type HistogramName } from "@/lib/metrics/collector-histograms";
import { Exposition, type HistogramSample } from "@/lib/metrics/exposition";
import packageJson from "@/package.json" with { type: "json" };

interface TargetRow {
  name: string;
  platform: string;
  runFailures: number;
  containers: bigint;
  score: number | null;
  lastSuccessAt: Date | null;
}

interface CheckRow {
  target: string;
  checkId: string;
  passed: bigint;
  failed: bigint;
}

interface HistogramRow {
  name: string;
  label: string;
  buckets: Record<string, number>;
  sum: number;
  count: number;
}

/** Per target: current containers, mean score, last succeeded or partial run, failures ever. */
function readTargets(): Promise<TargetRow[]> {
  return getDb().$queryRaw<TargetRow[]>`
    SELECT t."name", t."platform", t."runFailures",
      (SELECT count(*) FROM "Container" c JOIN "Workload" w ON w."id" = c."workloadId"
        WHERE w."targetId" = t."id" AND c."goneAt" IS NULL AND w."goneAt" IS NULL)::bigint AS containers,
      (SELECT avg(c."score") FROM "Container" c JOIN "Workload" w ON w."id" = c."workloadId"
        WHERE w."targetId" = t."id" AND c."goneAt" IS NULL AND w."goneAt" IS NULL) AS score,
      (SELECT max(r."finishedAt") FROM "CollectionRun" r
        WHERE r."targetId" = t."id" AND r."status" IN ('succeeded', 'partial')) AS "lastSuccessAt"
    FROM "Target" t ORDER BY t."name"`;
}

/** Per target and check: the latest rollup of each namespace, summed (excepted failures count in neither). */
function readChecks(): Promise<CheckRow[]> {
  return getDb().$queryRaw<CheckRow[]>`
    SELECT t."name" AS target, l."checkId", sum(l."passed")::bigint AS passed, sum(l."failed")::bigint AS failed
    FROM "RollupLatest" l JOIN "Target" t ON t."id" = l."targetId"
    GROUP BY 1, 2 HAVING sum(l."passed") + sum(l."failed") > 0 ORDER BY 1, 2`;
}

function histogramSamples(rows: HistogramRow[], name: HistogramName): HistogramSample[] {
  const { label, bounds } = HISTOGRAMS[name];
  return rows
    .filter((row) => row.name === name)
    .map((row) => ({
      labels: { [label]: row.label },
      buckets: bounds.map((bound) => [bound, Number(row.buckets[String(bound)] ?? 0)] as [number, number]),
      sum: row.sum,
      count: row.count,
    }));
}

/**
 * Everything /metrics serves, in the Prometheus text format. Labels are bounded by targets, checks, severities and
 * platforms: nothing per container, image or namespace.
 */
export async function renderMetrics(): Promise<string> {
  const db = getDb();
  const [targets, checks, severities, histograms] = await Promise.all([
    readTargets(),
    readChecks(),
    db.$queryRaw<{ severity: string; n: bigint }[]>`
      SELECT "severity", count(*)::bigint AS n FROM "Finding" WHERE "status" = 'open' GROUP BY 1`,
    db.$queryRaw<HistogramRow[]>`SELECT "name", "label", "buckets", "sum", "count" FROM "CollectorHistogram"`,
  ]);
  const open = new Map(severities.map((row) => [row.severity, Number(row.n)]));
  const target = (row: { name: string }) => ({ target: row.name });
  const check = (row: CheckRow) => ({ target: row.target, check: row.checkId });
  const out = new Exposition()
    .add("rampart_build_info", "gauge", "Rampart's version and check catalog; always 1.", [
      { labels: { version: packageJson.version, catalog: CATALOG_VERSION.slice(0, 12) }, value: 1 },
    ])
    .add(
      "rampart_target_containers",
      "gauge",
      "Current containers of the target.",
      targets.map((row) => ({ labels: { ...target(row), platform: row.platform }, value: Number(row.containers) })),
    )
    .add(
      "rampart_target_score_ratio",
      "gauge",
      "Mean container score of the target, 0 to 1 (the dashboard's score divided by 100); absent without a score.",
      targets.filter((row) => row.score !== null).map((row) => ({ labels: target(row), value: row.score! / 100 })),
    )
    .add(
      "rampart_target_last_success_timestamp_seconds",
      "gauge",
      "Unix time when the target's last succeeded or partial poll finished; absent before the first.",
      targets
        .filter((row) => row.lastSuccessAt !== null)
        .map((row) => ({ labels: target(row), value: row.lastSuccessAt!.getTime() / 1000 })),
    )
    .add(
      "rampart_target_run_failures_total",
      "counter",
      "Polls of the target that failed.",
      targets.map((row) => ({ labels: target(row), value: row.runFailures })),
    )
    .add(
      "rampart_check_failing_containers",
      "gauge",
      "Current containers of the target failing the check (excepted ones not counted).",
      checks.map((row) => ({ labels: check(row), value: Number(row.failed) })),
    )
    .add(
      "rampart_check_compliance_ratio",
      "gauge",
      "Containers passing the check divided by those that passed or failed it, 0 to 1.",
      checks.map((row) => ({
        labels: check(row),
        value: Number(row.passed) / (Number(row.passed) + Number(row.failed)),
      })),
    )
    .add(
      "rampart_open_findings",
      "gauge",
      "Open findings (not excepted, not resolved) by severity.",
      SEVERITIES.map((severity) => ({ labels: { severity }, value: open.get(severity) ?? 0 })),
    );
  for (const name of Object.keys(HISTOGRAMS) as HistogramName[])
    out.histogram(name, HISTOGRAMS[name].help, histogramSamples(histograms, name));
  return out.text();
}
