import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { ImageLink } from "@/components/images/image-link";
import { ExceptedNote } from "@/components/vulnerabilities/excepted-note";
import { Table, Td, Th } from "@/components/ui/table";
import type { WorkloadReportRow, WorkloadVulnerabilityRow } from "@/lib/data/vulnerabilities";
import { visibleText } from "@/lib/format/visible-text";

/**
 * The reports matched to a workload's images, and their fixable HIGH/CRITICAL vulnerabilities, each open or
 * excepted; `accept` renders a row's accept-risk control (security role and above).
 */
export function WorkloadVulnerabilities(props: {
  reports: WorkloadReportRow[];
  vulnerabilities: WorkloadVulnerabilityRow[];
  accept?: (row: WorkloadVulnerabilityRow) => ReactNode;
}) {
  const { reports, vulnerabilities } = props;
  return (
    <section aria-labelledby="vulnerabilities" className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="vulnerabilities" className="text-xs font-semibold tracking-wide text-slate-600 uppercase">
        Vulnerabilities
      </h2>
      {reports.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">
          No current vulnerability report matches the images of this workload. Upload one on the{" "}
          <a href="/vulnerabilities" className="underline">
            Vulnerabilities
          </a>{" "}
          page.
        </p>
      ) : (
        <>
          <ul aria-label="Matched reports" className="mt-2 space-y-1 text-sm text-slate-700">
            {reports.map((r) => (
              <li key={`${r.container}-${r.reportId}`} className="break-all">
                {visibleText(r.container)}: {visibleText(r.scanner)} report of{" "}
                <Time value={r.scannedAt.toISOString()} />, matched by {r.kind} digest <ImageLink digest={r.digest} />
              </li>
            ))}
          </ul>
          {vulnerabilities.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">No fixable HIGH or CRITICAL vulnerability.</p>
          ) : (
            <div className="mt-3">
              <Table caption="Fixable HIGH and CRITICAL vulnerabilities">
                <thead>
                  <tr>
                    <Th>Container</Th>
                    <Th>Vulnerability</Th>
                    <Th>Severity</Th>
                    <Th>Package</Th>
                    <Th>Fixed in</Th>
                    <Th>Status</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {vulnerabilities.map((v) => (
                    <tr key={`${v.container}-${v.vulnerabilityId}-${v.package}-${v.version}`}>
                      <Td label="Container">{visibleText(v.container)}</Td>
                      <Td label="Vulnerability" className="font-mono text-xs break-all">
                        {visibleText(v.vulnerabilityId)}
                      </Td>
                      <Td label="Severity">{v.severity.toLowerCase()}</Td>
                      <Td label="Package" className="font-mono text-xs break-all">
                        {visibleText(v.package)} {visibleText(v.version)}{" "}
                        <span className="font-sans text-slate-500">({v.packageClass === "os" ? "OS" : "app"})</span>
                      </Td>
                      <Td label="Fixed in" className="font-mono text-xs break-all">
                        {visibleText(v.fixedVersion ?? "")}
                      </Td>
                      <Td label="Status">
                        <div className="flex flex-col items-start gap-1">
                          {v.exceptedBy ? <ExceptedNote by={v.exceptedBy} /> : <Badge tone="orange">open</Badge>}
                          {props.accept && !v.exceptedBy ? props.accept(v) : null}
                        </div>
                      </Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
