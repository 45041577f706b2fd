import { SEVERITIES, SEVERITY_WEIGHT } from "@/lib/domain/severity";

/** The formulas of CHECKS.md "Scores", shown where their numbers are. */
export function ScoreFormulas({ withTrend = false }: { withTrend?: boolean }) {
  return (
    <div className="space-y-2 text-sm text-slate-700">
      <p>
        <strong>Weights:</strong> {SEVERITIES.map((severity) => `${severity} ${SEVERITY_WEIGHT[severity]}`).join(", ")}.
      </p>
      <p>
        <strong>Container score</strong> = 100 × Σ weights of passing checks ÷ Σ weights of checks that passed or
        failed; excepted findings are left out of both; a container with no judged check has no score.
      </p>
      <p>
        <strong>Compliance of a check</strong> over a scope = containers passing ÷ containers where it passed or failed.
      </p>
      <p>
        <strong>Scope score</strong> (fleet, target, namespace, workload) = mean of its containers&apos; scores.
      </p>
      {withTrend ? (
        <p>
          <strong>Score per day (trends)</strong> = 100 × Σ<sub>checks</sub> weight × passed ÷ Σ<sub>checks</sub> weight
          × (passed + failed), from each target&apos;s last run of the day. Rollups keep counts per namespace and check,
          not single containers, so this is the container-weighted form of the score; it equals the mean container score
          when every container is judged on the same checks.
        </p>
      ) : null}
    </div>
  );
}
