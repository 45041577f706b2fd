import { Table, Td, Th } from "@/components/ui/table";
import { SeverityTag } from "@/components/vulnerabilities/severity-tag";
import type { ImageSecretRow } from "@/lib/data/image-secrets";
import { visibleText } from "@/lib/format/visible-text";
import { REPORT_SEVERITIES, type ReportSeverity } from "@/lib/reports/model";

const severityOf = (s: string): ReportSeverity =>
  (REPORT_SEVERITIES as readonly string[]).includes(s) ? (s as ReportSeverity) : "UNKNOWN";

/** Secrets the scanners found in the image's layers: rule, file and layer; the matched text is never held. */
export function ImageSecrets({ rows, scanned }: { rows: ImageSecretRow[]; scanned: boolean }) {
  return (
    <section aria-labelledby="secrets" className="mb-6">
      <h2 id="secrets" className="mb-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">
        Secrets in the image
      </h2>
      {!scanned ? (
        <p className="text-sm text-slate-600">No current report scanned this image for secrets.</p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-slate-600">The current reports found no secret.</p>
      ) : (
        <Table caption="Secrets found in the image">
          <thead>
            <tr>
              <Th>Rule</Th>
              <Th>Severity</Th>
              <Th>File</Th>
              <Th>Layer</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((s, i) => (
              <tr key={`${s.reportId}-${i}`}>
                <Td label="Rule" className="break-all">
                  <span className="font-mono text-xs">{visibleText(s.ruleId)}</span>
                  {s.title ? <span className="block text-xs text-slate-600">{visibleText(s.title)}</span> : null}
                </Td>
                <Td label="Severity">
                  <SeverityTag severity={severityOf(s.severity)} />
                </Td>
                <Td label="File" className="font-mono text-xs break-all">
                  {visibleText(s.file)}
                </Td>
                <Td label="Layer" className="font-mono text-xs break-all">
                  {s.layer ? visibleText(s.layer) : "–"}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}
