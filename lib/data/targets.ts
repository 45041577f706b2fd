import "server-only";
import { getDb } from "@/lib/db";
import { LIVE_RUN_STATUS } from "@/lib/services/runs/record-live-update";
import { displayRunError } from "@/lib/services/runs/run-error";
import { isWholeFleet, type Access } from "@/lib/scope/access-scope";
import { rollupColumns, scopeSql, targetAccessSql, type ScopedFilter } from "./scope";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type RunStatus = "running" | "succeeded" | "partial" | "failed";

export interface RunSummary {
  id: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  containers: number;
  findingsOpened: number;
  findingsResolved: number;
  warnings: string[];
}

export interface TargetRow {
  id: string;
  name: string;
  platform: string;
  url: string;
  enabled: boolean;
  intervalSeconds: number;
  /** Docker: stopped containers are judged too. */
  includeStopped: boolean;
  /** Created by `rampart demo`. */
  isDemo: boolean;
  /** Credentials are stored (never their value). */
  hasCredentials: boolean;
  /** Kubernetes kubeconfig context, when one was picked. */
  context: string | null;
  /** Current containers (not gone). */
  containers: number;
  /** Mean score of the current containers. */
  score: number | null;
  openCritical: number;
  openHigh: number;
  lastRun: RunSummary | null;
  /** Finish time of the last succeeded or partial run. */
  lastSuccessAt: string | null;
  /** No successful poll within three intervals (or none yet while enabled). */
  isStale: boolean;
  /** Whether a worker follows the target's events between polls; null when none has tried yet. */
  eventStream: EventStreamView | null;
}

export interface EventStreamView {
  isLive: boolean;
  /** When following started, or when it stopped. */
  since: string;
  reason: string | null;
}

/** A stream said live whose worker no longer holds the lease (it crashed) is shown as polling only. */
export function toEventStreamView(
  value: unknown,
  lease: { leaseOwner: string | null; leaseExpiresAt: Date | null },
  now: Date,
): EventStreamView | null {
  const status = settingsOf(value);
  if ((status.state !== "live" && status.state !== "polling") || typeof status.since !== "string") return null;
  const reason = typeof status.reason === "string" ? status.reason : null;
  if (status.state === "polling") return { isLive: false, since: status.since, reason };
  const held = lease.leaseOwner !== null && lease.leaseExpiresAt !== null && lease.leaseExpiresAt > now;
  if (held) return { isLive: true, since: status.since, reason: null };
  const since = lease.leaseExpiresAt?.toISOString() ?? status.since;
  return { isLive: false, since, reason: "the worker following it stopped without handing it back" };
}

function toRunStatus(value: string): RunStatus {
  return value === "running" || value === "succeeded" || value === "partial" ? value : "failed";
}

function settingsOf(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function toRunSummary(run: {
  id: string;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  containers: number;
  findingsOpened: number;
  findingsResolved: number;
  warnings: unknown;
}): RunSummary {
  return {
    id: run.id,
    status: toRunStatus(run.status),
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    error: displayRunError(run.error),
    containers: run.containers,
    findingsOpened: run.findingsOpened,
    findingsResolved: run.findingsResolved,
    warnings: Array.isArray(run.warnings) ? run.warnings.filter((w): w is string => typeof w === "string") : [],
  };
}

/** Stale = the last successful poll is older than three intervals; a demo or disabled target is never stale. */
export function isStale(
  input: { enabled: boolean; intervalSeconds: number; lastSuccessAt: Date | null; createdAt: Date },
  now: Date,
): boolean {
  if (!input.enabled) return false;
  const since = input.lastSuccessAt ?? input.createdAt;
  return now.getTime() - since.getTime() > 3 * input.intervalSeconds * 1000;
}

/** The stored non-secret settings of one target, for actions that change one of them; null when it is gone. */
export async function getTargetSettings(targetId: string): Promise<Record<string, unknown> | null> {
  const target = await getDb().target.findUnique({ where: { id: targetId }, select: { settings: true } });
  return target ? settingsOf(target.settings) : null;
}

interface TargetStats {
  containers: number;
  score: number | null;
  openCritical: number;
  openHigh: number;
  lastSuccessAt: Date | null;
}

async function statsByTarget(filter: ScopedFilter): Promise<Map<string, TargetStats>> {
  const db = getDb();
  const scope = scopeSql(filter, rollupColumns("s"));
  const [summaries, successes] = await Promise.all([
    db.$queryRaw<{ targetId: string; n: bigint; score: number | null; critical: bigint; high: bigint }[]>`
      SELECT s."targetId", sum(s."containers")::bigint AS n, (sum(s."scoreSum") / nullif(sum(s."scored"), 0))::float8 AS score,
        sum(s."openCritical")::bigint AS critical, sum(s."openHigh")::bigint AS high
      FROM "ScopeSummary" s WHERE TRUE ${scope} GROUP BY 1`,
    db.$queryRaw<{ targetId: string; at: Date | null }[]>`
      SELECT "targetId", max("finishedAt") AS at FROM "CollectionRun"
      WHERE "status" IN ('succeeded', 'partial') GROUP BY 1`,
  ]);
  const stats = new Map<string, TargetStats>();
  const of = (id: string) => {
    let entry = stats.get(id);
    if (!entry) {
      entry = { containers: 0, score: null, openCritical: 0, openHigh: 0, lastSuccessAt: null };
      stats.set(id, entry);
    }
    return entry;
  };
  for (const row of summaries)
    Object.assign(of(row.targetId), {
      containers: Number(row.n),
      score: row.score,
      openCritical: Number(row.critical),
      openHigh: Number(row.high),
    });
  for (const row of successes) of(row.targetId).lastSuccessAt = row.at;
  return stats;
}

/** Ids of the targets the caller may see; null for the whole fleet. */
async function visibleTargetIds(access: Access): Promise<Set<string> | null> {
  if (isWholeFleet(access)) return null;
  const rows = await getDb().$queryRaw<{ id: string }[]>`SELECT t."id" FROM "Target" t WHERE TRUE ${targetAccessSql(access)}`;
  return new Set(rows.map((row) => row.id));
}

/** Each target's last finished run: one probe per target of its (targetId, startedAt) index, not every run read. */
async function lastRuns(): Promise<Map<string, Parameters<typeof toRunSummary>[0]>> {
  const rows = await getDb().$queryRaw<(Parameters<typeof toRunSummary>[0] & { targetId: string })[]>`
    SELECT r."targetId", r."id", r."status", r."startedAt", r."finishedAt", r."error", r."containers", r."findingsOpened",
      r."findingsResolved", r."warnings"
    FROM "Target" t CROSS JOIN LATERAL (
      SELECT * FROM "CollectionRun" r WHERE r."targetId" = t."id" AND r."status" <> ${LIVE_RUN_STATUS}
      ORDER BY r."startedAt" DESC LIMIT 1
    ) r`;
  return new Map(rows.map((row) => [row.targetId, row]));
}

/**
 * Every target the caller may see; containers, score and open findings count only the filter's namespace or team
 * and the caller's access.
 */
export async function listTargets(filter: ScopedFilter, now = new Date()): Promise<TargetRow[]> {
  const [targets, runs, stats, visible] = await Promise.all([
    getDb().target.findMany({ orderBy: { name: "asc" } }),
    lastRuns(),
    statsByTarget(filter),
    visibleTargetIds(filter.access),
  ]);
  return targets.filter((target) => !visible || visible.has(target.id)).map((target) => {
    const run = runs.get(target.id);
    const settings = settingsOf(target.settings);
    const stat = stats.get(target.id);
    const lastSuccessAt = stat?.lastSuccessAt ?? null;
    return {
      id: target.id,
      name: target.name,
      platform: target.platform,
      url: target.url,
      enabled: target.enabled,
      intervalSeconds: target.intervalSeconds,
      includeStopped: settings.includeStopped === true,
      isDemo: settings.demo === true,
      hasCredentials: target.credentials !== null,
      context: typeof settings.context === "string" ? settings.context : null,
      containers: stat?.containers ?? 0,
      score: stat?.score ?? null,
      openCritical: stat?.openCritical ?? 0,
      openHigh: stat?.openHigh ?? 0,
      lastRun: run ? toRunSummary(run) : null,
      lastSuccessAt: lastSuccessAt?.toISOString() ?? null,
      isStale: isStale({ ...target, lastSuccessAt }, now),
      eventStream: toEventStreamView(target.eventStream, target, now),
    };
  });
}

export interface TargetDetail {
  target: TargetRow;
  /** TLS file paths and other non-secret settings, as shown. */
  settings: { key: string; value: string }[];
  runs: RunSummary[];
}

const SHOWN_SETTINGS = [
  "context",
  "tlsCaFile",
  "tlsCertFile",
  "tlsKeyFile",
  "namespaces",
  "includeStopped",
  "insecure",
  "skipTlsVerify",
  "demo",
];

/** The target named `name` (exact), with its shown settings and its latest runs; null when none is or it is outside the access. */
export async function getTargetDetail(
  name: string,
  access: Access,
  runs = 50,
  now = new Date(),
): Promise<TargetDetail | null> {
  const target = (await listTargets({ access }, now)).find((row) => row.name === name);
  if (!target) return null;
  const db = getDb();
  const [stored, history] = await Promise.all([
    db.target.findUnique({ where: { id: target.id }, select: { settings: true } }),
    db.collectionRun.findMany({
      where: { targetId: target.id, status: { not: LIVE_RUN_STATUS } },
      orderBy: { startedAt: "desc" },
      take: runs,
    }),
  ]);
  const settings = settingsOf(stored?.settings);
  return {
    target,
    settings: SHOWN_SETTINGS.filter((key) => settings[key] !== undefined).map((key) => ({
      key,
      value: Array.isArray(settings[key]) ? (settings[key] as unknown[]).join(", ") : String(settings[key]),
    })),
    runs: history.map(toRunSummary),
  };
}

/** Whether any target has been polled at least once (the overview shows its first-steps page until then). */
export async function hasPolled(): Promise<boolean> {
  return (await getDb().collectionRun.findFirst({ select: { id: true } })) !== null;
}

export interface FailingTarget {
  id: string;
  name: string;
}

/** Enabled targets the caller may see whose latest finished poll failed, for the shell's banner. */
export async function listFailingTargets(access: Access): Promise<FailingTarget[]> {
  return getDb().$queryRaw<FailingTarget[]>`
    SELECT t."id", t."name" FROM "Target" t
    CROSS JOIN LATERAL (
      SELECT r."status" FROM "CollectionRun" r
      WHERE r."targetId" = t."id" AND r."status" IN ('succeeded', 'partial', 'failed')
      ORDER BY r."startedAt" DESC LIMIT 1
    ) last
    WHERE t."enabled" AND last."status" = 'failed' ${targetAccessSql(access)}
    ORDER BY t."name"`;
}

/** The name of the target with this id (old `/targets/<id>` links), or null, also when the caller may not see it. */
export async function targetNameById(id: string, access: Access): Promise<string | null> {
  if (!UUID.test(id)) return null;
  const rows = await getDb().$queryRaw<{ name: string }[]>`
    SELECT t."name" FROM "Target" t WHERE t."id" = ${id}::uuid ${targetAccessSql(access)}`;
  return rows[0]?.name ?? null;
}
