import type { Db } from "@/lib/db";

/** Histograms the collector fills; the label is the run's platform, or the API a request went to. */
export const HISTOGRAMS = {
  rampart_collector_run_duration_seconds: {
    label: "platform",
    help: "Duration of collection runs (one poll of one target), failed runs included.",
    bounds: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  },
  rampart_collector_request_duration_seconds: {
    label: "api",
    help: "Latency of Docker Engine API and Kubernetes API requests made by collection runs.",
    bounds: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  },
} as const;

export type HistogramName = keyof typeof HISTOGRAMS;

interface Pending {
  name: HistogramName;
  label: string;
  /** Cumulative counts, one per bound. */
  counts: number[];
  sum: number;
  count: number;
}

// This process's observations since its last flush: a worker adds them to the database after each run, so the web
// process (which runs no collector) can serve one histogram for every worker.
const pending = new Map<string, Pending>();

export function observe(name: HistogramName, label: string, seconds: number): void {
  if (!Number.isFinite(seconds) || seconds < 0) return;
  const key = `${name}\u0000${label}`;
  let entry = pending.get(key);
  if (!entry) {
    entry = { name, label, counts: HISTOGRAMS[name].bounds.map(() => 0), sum: 0, count: 0 };
    pending.set(key, entry);
  }
  HISTOGRAMS[name].bounds.forEach((bound, i) => {
    if (seconds <= bound) entry.counts[i]! += 1;
  });
  entry.sum += seconds;
  entry.count += 1;
}

/** Seconds since `start` (a `performance.now()` value) into the histogram. */
export function observeSince(name: HistogramName, label: string, start: number): void {
  observe(name, label, (performance.now() - start) / 1000);
}

/**
 * Adds this process's observations to the shared rows in one statement each (any number of workers at once), and
 * forgets them; what could not be written is kept for the next flush.
 */
export async function flushHistograms(db: Db): Promise<void> {
  const entries = [...pending.values()];
  pending.clear();
  for (const [i, entry] of entries.entries()) {
    const bounds = HISTOGRAMS[entry.name].bounds;
    const buckets = JSON.stringify(Object.fromEntries(bounds.map((bound, j) => [String(bound), entry.counts[j]])));
    try {
      await db.$executeRaw`
        INSERT INTO "CollectorHistogram" ("name", "label", "buckets", "sum", "count")
        VALUES (${entry.name}, ${entry.label}, ${buckets}::jsonb, ${entry.sum}, ${entry.count})
        ON CONFLICT ("name", "label") DO UPDATE SET
          "buckets" = (SELECT jsonb_object_agg(k, coalesce(("CollectorHistogram"."buckets"->>k)::float8, 0) + v::float8)
                       FROM jsonb_each_text(EXCLUDED."buckets") AS b(k, v)),
          "sum" = "CollectorHistogram"."sum" + EXCLUDED."sum",
          "count" = "CollectorHistogram"."count" + EXCLUDED."count"`;
    } catch (error) {
      for (const rest of entries.slice(i)) merge(rest);
      throw error;
    }
  }
}

function merge(entry: Pending): void {
  const key = `${entry.name}\u0000${entry.label}`;
  const current = pending.get(key);
  if (!current) return void pending.set(key, entry);
  entry.counts.forEach((n, i) => (current.counts[i]! += n));
  current.sum += entry.sum;
  current.count += entry.count;
}
