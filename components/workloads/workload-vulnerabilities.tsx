import { Time } from "@/components/ui/time";
import { Table, Td, Th } from "@/components/ui/table";
import type { WorkloadReportRow, WorkloadVulnerabilityRow } from "@/lib/data/vulnerabilities";
import { visibleText } from "@/lib/format/visible-text";

/** The reports matched to a workload's images, and their fixable HIGH/CRITICAL vulnerabilities. */
export function WorkloadVulnerabilities(props: {
  reports: WorkloadReportRow[];
  vulnerabilities: WorkloadVulnerabilityRow[];
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
                <Time value={r.scannedAt.toISOString()} />, matched by {r.kind} digest{" "}
                <span className="font-mono text-xs">{r.digest}</span>
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
                        {visibleText(v.package)} {visibleText(v.version)}
                      </Td>
                      <Td label="Fixed in" className="font-mono text-xs break-all">
                        {visibleText(v.fixedVersion ?? "")}
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
