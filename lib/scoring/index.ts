import type { CheckResult } from "@/lib/domain/result";
import { SEVERITY_WEIGHT } from "@/lib/domain/severity";

/** The parts of a result that scores read. */
export type ScoredResult = Pick<CheckResult, "status" | "severity" | "excepted">;

function counts(result: Pick<CheckResult, "status" | "excepted">): boolean {
  return (result.status === "pass" || result.status === "fail") && result.excepted === undefined;
}

/**
 * 100 × Σ weights of passing checks ÷ Σ weights of passed-or-failed checks (CHECKS.md "Scores").
 * Excepted results are left out of both sums; null when nothing was evaluated. Not rounded.
 */
export function containerScore(checks: readonly ScoredResult[]): number | null {
  let passed = 0;
  let judged = 0;
  for (const check of checks) {
    if (!counts(check)) continue;
    const weight = SEVERITY_WEIGHT[check.severity];
    judged += weight;
    if (check.status === "pass") passed += weight;
  }
  return judged === 0 ? null : (100 * passed) / judged;
}

/**
 * Compliance of one check over a scope: containers passing ÷ containers where it passed or failed,
 * given that check's result for each container. Excepted results count in neither, as in scores.
 * A fraction in [0, 1], or null when no container was judged.
 */
export function checkCompliance(results: readonly Pick<CheckResult, "status" | "excepted">[]): number | null {
  let passed = 0;
  let judged = 0;
  for (const result of results) {
    if (!counts(result)) continue;
    judged += 1;
    if (result.status === "pass") passed += 1;
  }
  return judged === 0 ? null : passed / judged;
}

/** Mean of the containers' scores, ignoring containers without a score; null when none has one. */
export function scopeScore(scores: readonly (number | null)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const score of scores) {
    if (score === null) continue;
    sum += score;
    n += 1;
  }
  return n === 0 ? null : sum / n;
}

/** Scores are kept exact and rounded only where shown (JSON output, tables). */
export function displayScore(score: number | null): number | null {
  return score === null ? null : Math.round(score);
}
