import "server-only";
import { getCheckMeta } from "@/lib/checks/catalog";
import { getDb } from "@/lib/db";
import type { WorkloadRef } from "@/lib/domain/facts";
import type { PodSecurityResult, Remediation, WorkloadFix } from "@/lib/domain/result";
import { combineDockerFixes, combineKubernetesFixes, type ContainerFix } from "@/lib/remediation/combined";
import { isRunSpec } from "@/lib/remediation/docker-run";
import { SEVERITIES, SEVERITY_WEIGHT, type Severity, type Status } from "@/lib/domain/severity";
import { containerScore, scopeScore } from "@/lib/scoring";
import { containerResults, type StoredResult } from "@/lib/domain/stored-result";
import type { Access } from "@/lib/scope/access-scope";
import { getLastCompleteRuns, lastSeenOf } from "./last-seen";
import { accessSql } from "./scope";

export interface WorkloadCheckRow {
  /** Element id on the workload page, the target of `/r/<findingId>`. */
  anchor: string;
  checkId: string;
  title: string;
  severity: Severity;
  status: Status;
  message: string;
  fieldPath: string;
  isExcepted: boolean;
  findingId: string | null;
  remediation: Remediation | null;
}

export interface WorkloadContainerView {
  id: string;
  name: string;
  image: string;
  digest: string | null;
  score: number | null;
  checks: WorkloadCheckRow[];
}

export interface ScorePoint {
  at: string;
  score: number;
}

export interface WorkloadDetail {
  id: string;
  targetId: string;
  targetName: string;
  platform: string;
  namespace: string;
  kind: string;
  name: string;
  labels: Record<string, string>;
  namespaceLabels: Record<string, string>;
  replicas: number;
  podSecurity: PodSecurityResult | null;
  /** Every open finding's fix in one step (Kubernetes: one patch), from the fixes stored with the findings. */
  remediation: WorkloadFix | null;
  /** Mean of the current containers' stored scores. */
  score: number | null;
  containers: WorkloadContainerView[];
  history: ScorePoint[];
  lastSeenAt: string;
  goneAt: string | null;
}

const STATUS_ORDER: Record<Status, number> = { fail: 0, pass: 1, "not-evaluated": 2, "not-applicable": 3 };

function toSeverity(value: string): Severity {
  return (SEVERITIES as readonly string[]).includes(value) ? (value as Severity) : "low";
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** Failures first, most severe first, then passes and the checks that were not judged. */
function byStatusThenSeverity(a: WorkloadCheckRow, b: WorkloadCheckRow): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    SEVERITY_WEIGHT[b.severity] - SEVERITY_WEIGHT[a.severity] ||
    a.checkId.localeCompare(b.checkId)
  );
}

interface HistoryFinding {
  checkId: string;
  /** A finding opens at firstSeenAt (no event is written for that), unless an "excepted" event says otherwise. */
  firstSeenAt: Date;
  events: { kind: string; at: Date }[];
}

interface HistoryContainer {
  firstSeenAt: Date;
  results: StoredResult[];
  findings: HistoryFinding[];
}

/** A finding's effect on the score at `t`: failing, excepted (left out) or passing, from its last event. */
function stateAt(finding: HistoryFinding | undefined, t: number): "fail" | "excepted" | "pass" {
  if (!finding || finding.firstSeenAt.getTime() > t) return "pass";
  let kind = "opened";
  for (const event of finding.events) if (event.at.getTime() <= t) kind = event.kind;
  if (kind === "opened" || kind === "reopened" || kind === "unexcepted") return "fail";
  return kind === "excepted" ? "excepted" : "pass";
}

function containerScoreAt(container: HistoryContainer, t: number): number | null {
  const findings = new Map(container.findings.map((f) => [f.checkId, f]));
  const judged = container.results.filter((r) => r.status === "pass" || r.status === "fail");
  return containerScore(
    judged.map((r) => {
      const state = stateAt(findings.get(r.id), t);
      return {
        status: state === "fail" ? "fail" : "pass",
        severity: toSeverity(r.severity),
        excepted: state === "excepted" ? { source: "exception" as const, reason: "" } : undefined,
      };
    }),
  );
}

/**
 * The workload's score after each change of its findings: each current container's judged checks (its stored
 * results), failing while the check's finding was open and left out while excepted, as its events say.
 * Changes in which checks were judged at all are not recorded, so they are not shown.
 */
export function scoreHistory(containers: HistoryContainer[], since: Date, now: Date): ScorePoint[] {
  const times = new Set<number>([now.getTime()]);
  for (const c of containers) {
    times.add(Math.max(c.firstSeenAt.getTime(), since.getTime()));
    for (const f of c.findings) {
      if (f.firstSeenAt >= since) times.add(f.firstSeenAt.getTime());
      for (const e of f.events) if (e.at >= since) times.add(e.at.getTime());
    }
  }
  const points: ScorePoint[] = [];
  for (const t of [...times].sort((a, b) => a - b)) {
    const alive = containers.filter((c) => c.firstSeenAt.getTime() <= t);
    const score = scopeScore(alive.map((c) => containerScoreAt(c, t)));
    if (score !== null) points.push({ at: new Date(t).toISOString(), score });
  }
  return points;
}

const HISTORY_DAYS = 90;

/** Whether the workload exists and lies within the access: a page or answer outside it is a 404, not a 403. */
async function isVisibleWorkload(workloadId: string, access: Access): Promise<boolean> {
  const rows = await getDb().$queryRaw<{ id: string }[]>`
    SELECT w."id" FROM "Workload" w WHERE w."id" = ${workloadId}::uuid ${accessSql(access)}`;
  return rows.length > 0;
}

export async function getWorkload(
  workloadId: string,
  access: Access,
  now: Date = new Date(),
): Promise<WorkloadDetail | null> {
  if (!(await isVisibleWorkload(workloadId, access))) return null;
  const workload = await getDb().workload.findUnique({
    where: { id: workloadId },
    include: {
      target: { select: { name: true, platform: true } },
      containers: {
        where: { goneAt: null },
        orderBy: { name: "asc" },
        include: {
          resultSet: { select: { passed: true, notJudged: true } },
          findings: {
            select: {
              id: true,
              checkId: true,
              status: true,
              severity: true,
              message: true,
              fieldPath: true,
              exceptionId: true,
              fix: { select: { remediation: true } },
              firstSeenAt: true,
              events: { select: { kind: true, at: true }, orderBy: { at: "asc" } },
            },
          },
        },
      },
    },
  });
  if (!workload) return null;
  const severityOf = (id: string) => getCheckMeta(id)?.severity ?? "low";
  const withFix = <F extends { fix: { remediation: unknown } | null }>(f: F) => ({
    ...f,
    remediation: f.fix?.remediation ?? null,
  });
  const resultsOf = new Map(
    workload.containers.map((c) => [c.id, containerResults(c.resultSet, c.findings.map(withFix), severityOf)]),
  );
  const containers = workload.containers.map((c): WorkloadContainerView => {
    const findingIds = new Map(c.findings.map((f) => [f.checkId, f.id]));
    const results = resultsOf.get(c.id) ?? [];
    const checks = results.map(
      (r): WorkloadCheckRow => ({
        anchor: checkAnchor(c.name, r.id),
        checkId: r.id,
        title: getCheckMeta(r.id)?.title ?? r.id,
        severity: toSeverity(r.severity),
        status: r.status,
        message: r.message,
        fieldPath: r.fieldPath,
        isExcepted: r.excepted,
        findingId: findingIds.get(r.id) ?? null,
        remediation: r.status === "fail" ? (r.remediation ?? null) : null,
      }),
    );
    return { id: c.id, name: c.name, image: c.image, digest: c.digest, score: c.score, checks: checks.sort(byStatusThenSeverity) };
  });
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const history = scoreHistory(
    workload.containers.map((c) => ({ firstSeenAt: c.firstSeenAt, results: resultsOf.get(c.id) ?? [], findings: c.findings })),
    since,
    now,
  );
  const lastRuns = await getLastCompleteRuns([workload.targetId]);
  const ref: WorkloadRef = {
    platform: workload.target.platform === "docker" ? "docker" : "kubernetes",
    kind: workload.kind,
    namespace: workload.namespace,
    name: workload.name,
  };
  return {
    id: workload.id,
    targetId: workload.targetId,
    targetName: workload.target.name,
    platform: workload.target.platform,
    namespace: workload.namespace,
    kind: workload.kind,
    name: workload.name,
    labels: stringRecord(workload.labels),
    namespaceLabels: stringRecord(workload.namespaceLabels),
    replicas: workload.replicas,
    podSecurity: (workload.podSecurity as PodSecurityResult | null) ?? null,
    remediation: combinedFix(
      ref,
      containers,
      workload.containers.map((c) => ({ container: c.name, spec: c.runSpec })),
    ),
    score: scopeScore(containers.map((c) => c.score)),
    containers,
    history,
    lastSeenAt: lastSeenOf(workload, lastRuns).toISOString(),
    goneAt: workload.goneAt?.toISOString() ?? null,
  };
}

/**
 * The workload's combined fix from its open findings' stored fixes: one patch for Kubernetes; for Docker the
 * whole hardened commands, from the run specs kept with the containers (none for a container without one).
 */
function combinedFix(
  workload: WorkloadRef,
  containers: WorkloadContainerView[],
  specs: { container: string; spec: unknown }[],
): WorkloadFix | null {
  const fixes: ContainerFix[] = containers.flatMap((c) =>
    c.checks.flatMap((check) =>
      check.status === "fail" && !check.isExcepted && check.remediation
        ? [{ container: c.name, checkId: check.checkId, remediation: check.remediation }]
        : [],
    ),
  );
  if (workload.platform === "kubernetes") return combineKubernetesFixes(workload, fixes) ?? null;
  const runs = specs.flatMap(({ container, spec }) => (isRunSpec(spec) ? [{ container, spec }] : []));
  return runs.length === specs.length ? (combineDockerFixes(runs, fixes) ?? null) : null;
}

/** The anchor of a check on its workload page: `check-<container>-<checkId>`. */
export function checkAnchor(containerName: string, checkId: string): string {
  return `check-${containerName}-${checkId}`;
}

/** Where a finding is shown; null when it does not exist or lies outside the access. */
export async function getFindingLocation(
  findingId: string,
  access: Access,
): Promise<{ workloadId: string; anchor: string } | null> {
  const rows = await getDb().$queryRaw<{ checkId: string; containerName: string; workloadId: string }[]>`
    SELECT f."checkId", c."name" AS "containerName", c."workloadId"
    FROM "Finding" f JOIN "Container" c ON c."id" = f."containerId" JOIN "Workload" w ON w."id" = c."workloadId"
    WHERE f."id" = ${findingId}::uuid ${accessSql(access)}`;
  const finding = rows[0];
  return finding ? { workloadId: finding.workloadId, anchor: checkAnchor(finding.containerName, finding.checkId) } : null;
}
