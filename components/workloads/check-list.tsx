import { ImageLink } from "@/components/images/image-link";
import type { WorkloadCheckRow, WorkloadContainerView } from "@/lib/data/workloads";
import type { Status } from "@/lib/domain/severity";
import { Badge, type Tone } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { SeverityBadge } from "@/components/findings/severity-badge";
import { RemediationTabs } from "./remediation-tabs";
import { visibleText } from "@/lib/format/visible-text";

const STATUS_TONE: Record<Status, Tone> = {
  fail: "red",
  pass: "green",
  "not-applicable": "slate",
  "not-evaluated": "slate",
};

function CheckItem({ check, container }: { check: WorkloadCheckRow; container: string }) {
  const isFailing = check.status === "fail";
  return (
    <li
      id={check.anchor}
      data-status={check.status}
      data-severity={check.severity}
      data-excepted={check.isExcepted ? "true" : "false"}
      className={cn(
        "scroll-mt-4 px-4 py-3 target:bg-amber-50 target:ring-2 target:ring-amber-400",
        isFailing && !check.isExcepted ? "bg-white" : "bg-slate-50/60",
      )}
    >
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={STATUS_TONE[check.status]}>{check.status}</Badge>
        {check.isExcepted ? <Badge tone="amber">excepted</Badge> : null}
        <SeverityBadge severity={check.severity} />
        <h3 className="text-sm font-medium text-slate-900">{check.title}</h3>
        <a href={`#${check.anchor}`} className="font-mono text-xs text-slate-600 hover:underline">
          {check.checkId}
        </a>
      </div>
      <p className="mt-1 text-sm text-slate-800">{visibleText(check.message)}</p>
      {check.fieldPath ? <p className="font-mono text-xs break-all text-slate-600">{check.fieldPath}</p> : null}
      {isFailing && check.remediation ? (
        <RemediationTabs fix={check.remediation} where={`${check.checkId} on ${visibleText(container)}`} />
      ) : null}
    </li>
  );
}

export function ContainerChecks({ container }: { container: WorkloadContainerView }) {
  const failing = container.checks.filter((c) => c.status === "fail" && !c.isExcepted).length;
  return (
    <section aria-labelledby={`container-${container.id}`} className="rounded-lg border border-slate-200 bg-white">
      <header className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-200 px-4 py-3">
        <div>
          <h2 id={`container-${container.id}`} className="text-base font-semibold text-slate-900">
            Container {visibleText(container.name)}
          </h2>
          <p className="font-mono text-xs break-all text-slate-600">{visibleText(container.image)}</p>
          {container.digest ? (
            <p className="font-mono text-xs break-all text-slate-600">
              running{" "}
              <ImageLink digest={container.digest} label={`Image of container ${visibleText(container.name)}`} />
            </p>
          ) : null}
        </div>
        <p className="text-sm text-slate-700" data-score={container.score ?? ""}>
          score{" "}
          <strong className="text-lg text-slate-900">
            {container.score === null ? "–" : Math.round(container.score)}
          </strong>
          {" · "}
          {failing} failing
        </p>
      </header>
      <ul className="divide-y divide-slate-100">
        {container.checks.map((check) => (
          <CheckItem key={check.checkId} check={check} container={container.name} />
        ))}
      </ul>
    </section>
  );
}
