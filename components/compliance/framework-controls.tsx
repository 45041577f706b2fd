import Link from "next/link";
import { ProgressBar } from "@/components/ui/progress-bar";
import type { ControlCompliance, FrameworkCompliance } from "@/lib/data/frameworks";
import type { FleetFilter } from "@/lib/scope/fleet-scope";
import { violationsHref } from "@/lib/scope/violation-query";

export function percentText(value: number | null): string {
  return value === null ? "–" : `${Math.round(value)}%`;
}

function unitOf(data: FrameworkCompliance): string {
  return data.framework.basis === "pod-security" ? "workloads" : "container results";
}

function ControlRow({
  control,
  data,
  scope,
}: {
  control: ControlCompliance;
  data: FrameworkCompliance;
  scope: FleetFilter;
}) {
  const isPodSecurity = data.framework.basis === "pod-security";
  const platform = data.framework.platform;
  return (
    <li
      className="grid break-inside-avoid gap-2 border-t border-slate-200 py-3 md:grid-cols-[minmax(0,2fr)_10rem_minmax(0,2fr)]"
      data-testid="framework-control"
      data-control={control.id}
    >
      <div className="min-w-0">
        <p className="text-sm font-medium text-slate-900">
          {control.title} <span className="font-mono text-xs font-normal text-slate-500">{control.id}</span>
        </p>
      </div>
      {control.notJudged !== null ? (
        <p className="text-sm text-slate-600 md:col-span-2">
          <span className="font-medium">Not judged by Rampart</span>: {control.notJudged}
        </p>
      ) : (
        <>
          <div>
            <p className="text-lg font-semibold tabular-nums" data-testid="control-compliance">
              {percentText(control.compliance)}
            </p>
            <ProgressBar value={control.compliance} label={`${control.title} compliance`} className="print:hidden" />
            <p className="text-xs text-slate-500">
              {control.passed} of {control.passed + control.failed} {unitOf(data)} pass
            </p>
          </div>
          <ul className="space-y-1 text-sm">
            {isPodSecurity && control.checks.length > 0 ? (
              <li className="text-xs text-slate-500">Related checks (guidance; the verdict above is the standard):</li>
            ) : null}
            {control.checks.map((check) => (
              <li key={check.checkId} className="min-w-0">
                <Link
                  href={violationsHref({ checkId: check.checkId, platform, ...scope })}
                  className="underline decoration-slate-300 hover:decoration-slate-900"
                  data-failed={isPodSecurity ? undefined : check.failed}
                >
                  {check.title}
                </Link>{" "}
                <span className="text-xs text-slate-500 tabular-nums">
                  {isPodSecurity ? "open violations" : `${check.failed} failing of ${check.passed + check.failed}`}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </li>
  );
}

/** A framework's controls by section; a section Rampart judges nothing of is folded, its reason beside it. */
export function FrameworkControls({
  data,
  scope,
  expanded = false,
}: {
  data: FrameworkCompliance;
  scope: FleetFilter;
  /** Unfold the sections Rampart judges nothing of (print). */
  expanded?: boolean;
}) {
  return (
    <div className="space-y-6 wrap-anywhere">
      {data.framework.sections.map((section) => {
        const controls = data.controls.filter((control) => control.section === section.id);
        const judged = controls.filter((control) => control.notJudged === null);
        const heading = (
          <>
            {section.id.length <= 2 ? `${section.id} ` : ""}
            {section.title}{" "}
            <span className="text-sm font-normal text-slate-500">
              {judged.length} of {controls.length} controls judged
            </span>
          </>
        );
        if (judged.length === 0)
          return (
            <details
              key={section.id}
              open={expanded}
              className="rounded-lg border border-slate-200 bg-white p-4 print:border-0 print:p-0"
            >
              <summary className="cursor-pointer text-base font-semibold">{heading}</summary>
              <p className="mt-2 text-sm text-slate-600">Not judged by Rampart: {section.notJudged}</p>
              <ul className="mt-2 space-y-1 text-sm text-slate-700">
                {controls.map((control) => (
                  <li key={control.id} data-testid="framework-control" data-control={control.id}>
                    <span className="font-mono text-xs text-slate-500">{control.id}</span> {control.title}
                  </li>
                ))}
              </ul>
            </details>
          );
        return (
          <section
            key={section.id}
            className="rounded-lg border border-slate-200 bg-white p-4 print:border-0 print:p-0"
          >
            <h2 className="text-base font-semibold">{heading}</h2>
            <ul className="mt-2">
              {controls.map((control) => (
                <ControlRow key={control.id} control={control} data={data} scope={scope} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
