import type { Framework } from "@/lib/frameworks";

/** How a framework view's numbers come from stored results (CHECKS.md "Scores" and "Pod Security Standards verdicts"). */
export function FrameworkMethod({ framework }: { framework: Framework }) {
  const on = framework.platform === "docker" ? "Docker hosts" : "Kubernetes clusters";
  return (
    <div className="space-y-2 text-sm wrap-anywhere text-slate-700">
      <p>
        <strong>{framework.name}</strong> {framework.edition} ({framework.source}), on {on} only.
      </p>
      {framework.basis === "pod-security" ? (
        <p>
          <strong>Control %</strong> = current workloads whose stored Pod Security verdict at that level does not list
          the control ÷ current workloads with a verdict. <strong>Level %</strong> = workloads the level allows ÷
          workloads with a verdict (the overview&apos;s Pod Security numbers). Verdicts are computed exactly as Pod
          Security Admission does at policy version latest; the checklist&apos;s related checks are shown for guidance
          and counted nowhere. Verdicts are kept for the current state only.
        </p>
      ) : (
        <p>
          <strong>Control %</strong> = Σ containers passing ÷ Σ containers passing or failing, summed over the checks
          whose references name the control (with one check, exactly CHECKS.md&apos;s compliance of that check; an
          excepted failure counts in neither). The counts are the checks&apos; current rollups, the same ones the
          compliance matrix sums; each check links to its open violations in the same scope.
        </p>
      )}
      <p>
        A control no check references is listed as <strong>not judged by Rampart</strong> with the reason, and is
        counted in no percentage.
      </p>
    </div>
  );
}
