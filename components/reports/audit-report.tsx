import Link from "next/link";
import { FrameworkControls, percentText } from "@/components/compliance/framework-controls";
import { FrameworkMethod } from "@/components/compliance/framework-method";
import { ScoreFormulas } from "@/components/checks/score-formulas";
import { Table, Td, Th } from "@/components/ui/table";
import { exactTime } from "@/components/ui/time";
import type { AuditReport } from "@/lib/data/audit-report";
import type { FrameworkCompliance } from "@/lib/data/frameworks";
import { FRAMEWORK_IDS, FRAMEWORKS } from "@/lib/frameworks";
import { exceptionScopeText } from "@/lib/format/exception-scope";
import { violationsHref } from "@/lib/scope/violation-query";

const H2 = "mt-8 mb-3 text-lg font-semibold text-slate-900";

function delta(before: number | null, after: number | null): string {
  if (before === null || after === null) return "–";
  const points = after - before;
  return `${points > 0 ? "+" : ""}${points.toFixed(1)} pt`;
}

function FrameworkSummary({ report }: { report: AuditReport }) {
  return (
    <Table caption="Framework compliance summary">
      <thead>
        <tr>
          <Th>Framework</Th>
          <Th>Controls judged</Th>
          <Th>Judged controls at 100%</Th>
          <Th>Lowest control</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {FRAMEWORK_IDS.map((id, index) => {
          const data = report.frameworks[index];
          const framework = FRAMEWORKS[id];
          if (!data)
            return (
              <tr key={id}>
                <Td label="Framework">{framework.name}</Td>
                <Td label="Controls judged" colSpan={3}>
                  Not available for a past day: Pod Security verdicts are kept for the current state only.
                </Td>
              </tr>
            );
          const judged = data.controls.filter((c) => c.notJudged === null);
          const withData = judged.filter((c) => c.compliance !== null);
          const lowest = [...withData].sort((a, b) => (a.compliance ?? 0) - (b.compliance ?? 0))[0];
          return (
            <tr key={id}>
              <Td label="Framework">
                {framework.name} {framework.edition}
              </Td>
              <Td label="Controls judged" className="tabular-nums">
                {judged.length} of {data.controls.length}
              </Td>
              <Td label="At 100%" className="tabular-nums">
                {withData.filter((c) => c.compliance === 100).length} of {withData.length} with data
              </Td>
              <Td label="Lowest control">
                {lowest ? `${lowest.id} ${lowest.title}: ${percentText(lowest.compliance)}` : "–"}
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

function FrameworkSection({ data, report }: { data: FrameworkCompliance; report: AuditReport }) {
  return (
    <section data-print-break aria-label={data.framework.name}>
      <h2 className={H2}>
        {data.framework.name} {data.framework.edition}
      </h2>
      {data.levels.length > 0 ? (
        <p className="mb-3 text-sm" data-testid="report-pss-levels">
          {data.levels
            .map((l) => `${l.level}: ${l.allowed} of ${l.judged} workloads allowed (${percentText(l.compliance)})`)
            .join(" · ")}
        </p>
      ) : null}
      <FrameworkControls data={data} scope={report.scope} expanded />
    </section>
  );
}

function Findings({ report }: { report: AuditReport }) {
  const total = report.openCount.critical + report.openCount.high;
  return (
    <section data-print-break aria-label="Open critical and high findings">
      <h2 className={H2}>Open critical and high findings</h2>
      <p className="mb-3 text-sm" data-testid="report-open-counts">
        {report.openCount.critical} critical and {report.openCount.high} high open at {exactTime(report.at)}.{" "}
        {total > report.findings.length
          ? `The ${report.findings.length} oldest are listed; the rest are in `
          : "All are listed; the same list is in "}
        Violations (
        <Link href={violationsHref({ severity: "critical", ...report.scope })} className="underline">
          critical
        </Link>
        ,{" "}
        <Link href={violationsHref({ severity: "high", ...report.scope })} className="underline">
          high
        </Link>
        ){report.isToday ? "." : " (as of now, not of this day)."}
      </p>
      {report.findings.length === 0 ? null : (
        <Table caption="Open critical and high findings, oldest first">
          <thead>
            <tr>
              <Th>Severity</Th>
              <Th>Check</Th>
              <Th>Where</Th>
              <Th>First seen</Th>
              <Th>Age</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {report.findings.map((finding) => (
              <tr key={finding.id} data-testid="report-finding">
                <Td label="Severity">{finding.severity}</Td>
                <Td label="Check">{finding.checkTitle}</Td>
                <Td label="Where" className="break-all">
                  <Link href={`/workloads/${finding.workloadId}`} className="underline">
                    {finding.targetName}
                    {finding.namespace ? ` / ${finding.namespace}` : ""} / {finding.workload}
                  </Link>{" "}
                  ({finding.container})
                </Td>
                <Td label="First seen">{exactTime(finding.firstSeenAt)}</Td>
                <Td label="Age" className="tabular-nums">
                  {finding.ageDays} d
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}

function Exceptions({ report }: { report: AuditReport }) {
  return (
    <section data-print-break aria-label="Exceptions in force">
      <h2 className={H2}>Exceptions in force</h2>
      <p className="mb-3 text-sm" data-testid="report-exception-count">
        {report.exceptions.length} exception(s) in force at {exactTime(report.at)} reach into this scope.
      </p>
      {report.exceptions.length === 0 ? null : (
        <Table caption="Exceptions in force, soonest to expire first">
          <thead>
            <tr>
              <Th>Check</Th>
              <Th>Applies to</Th>
              <Th>Reason</Th>
              <Th>Owner</Th>
              <Th>Expires</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {report.exceptions.map((x) => (
              <tr key={x.id} data-testid="report-exception">
                <Td label="Check">{x.checkTitle}</Td>
                <Td label="Applies to" className="break-all">
                  {exceptionScopeText(x)}
                </Td>
                <Td label="Reason">{x.reason}</Td>
                <Td label="Owner">
                  {x.owner} <span className="text-xs text-slate-500">(accepted by {x.createdBy})</span>
                </Td>
                <Td label="Expires">{exactTime(x.expiresAt)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}

function Changes({ report }: { report: AuditReport }) {
  const { activity, exceptionsAdded, exceptionsEnded, controls } = report.changes;
  return (
    <section data-print-break aria-label="Changes since the previous report">
      <h2 className={H2}>Changes since the previous report ({report.previous})</h2>
      <p className="mb-3 text-sm" data-testid="report-changes">
        {activity.opened} finding(s) opened or reopened, {activity.resolved} resolved; {exceptionsAdded} exception(s)
        added, {exceptionsEnded} expired or revoked.
      </p>
      {controls.length === 0 ? (
        <p className="text-sm text-slate-600">No judged control&apos;s compliance changed.</p>
      ) : (
        <Table caption="Controls whose compliance changed">
          <thead>
            <tr>
              <Th>Framework</Th>
              <Th>Control</Th>
              <Th>{report.previous}</Th>
              <Th>{report.date}</Th>
              <Th>Change</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {controls.map((c) => (
              <tr key={`${c.frameworkId}/${c.controlId}`}>
                <Td label="Framework">{FRAMEWORKS[c.frameworkId as keyof typeof FRAMEWORKS]?.name}</Td>
                <Td label="Control">
                  {c.controlId} {c.title}
                </Td>
                <Td label="Before" className="tabular-nums">
                  {percentText(c.before)}
                </Td>
                <Td label="After" className="tabular-nums">
                  {percentText(c.after)}
                </Td>
                <Td label="Change" className="tabular-nums">
                  {delta(c.before, c.after)}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}

function Method({ report }: { report: AuditReport }) {
  return (
    <section
      data-print-break
      aria-label="How every number is computed"
      className="space-y-3 text-sm wrap-anywhere text-slate-700"
    >
      <h2 className={H2}>How every number is computed</h2>
      <p>
        <strong>The report&apos;s instant.</strong>{" "}
        {report.isToday
          ? "Today's report reads the current state, through the same read models as the dashboard: its compliance equals the compliance matrix's and the check pages', its open findings the overview's counts, its Pod Security levels the overview's."
          : `A past day's report reads the state at the end of ${report.date} (UTC) from history.`}
      </p>
      <p>
        <strong>Compliance on a past day</strong> is each target × namespace × team × check&apos;s last rollup at or
        before the end of that day. Rollups are written when a run changes the counts, so a value is exact as of that
        target&apos;s last successful run before then and carried forward from it (a target not polled that day counts
        as of its last poll). <strong>Open findings on a past day</strong> are exact: a finding is open when it was
        first seen by then and its last event by then is none, opened, reopened or unexcepted (excepted, resolved and
        removed close it); resolved findings of containers gone over a year ago are deleted by maintenance and drop out.{" "}
        <strong>Exceptions in force</strong> were created by then, expire after it and were not revoked by then (exact);
        one reaches into a scope when it names no target, namespace or workload outside it.{" "}
        <strong>Pod Security verdicts</strong> are kept for the current state only.
      </p>
      <p>
        <strong>Age</strong> of a finding = whole days from its first sight to the report&apos;s instant.{" "}
        <strong>Changes</strong> compare with the same scope at the end of {report.previous} (by default 30 days before
        the report; choose another with &ldquo;since&rdquo;): findings opened = first seen in between (unless excepted
        at first sight) plus reopened, resolved = resolved events (containers that went away are not counted), as on the
        overview&apos;s &ldquo;this week&rdquo; card.
      </p>
      {FRAMEWORK_IDS.map((id) => (
        <FrameworkMethod key={id} framework={FRAMEWORKS[id]} />
      ))}
      <ScoreFormulas />
    </section>
  );
}

/** The auditor's document: every part reads the report DTO, and prints on its own page. */
export function AuditReportView({ report }: { report: AuditReport }) {
  return (
    <div className="space-y-4">
      <section aria-label="Framework compliance">
        <h2 className={H2}>Framework compliance</h2>
        <FrameworkSummary report={report} />
      </section>
      <Findings report={report} />
      <Exceptions report={report} />
      <Changes report={report} />
      {report.frameworks.map((data) =>
        data ? <FrameworkSection key={data.framework.id} data={data} report={report} /> : null,
      )}
      <Method report={report} />
    </div>
  );
}
