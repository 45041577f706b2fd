import { Badge, type Tone } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { visibleText } from "@/lib/format/visible-text";
import type { FleetVulnerabilityRow } from "@/lib/data/vulnerabilities";
import type { ReportSeverity } from "@/lib/reports/model";

const TONE: Record<ReportSeverity, Tone> = {
  CRITICAL: "red",
  HIGH: "orange",
  MEDIUM: "amber",
  LOW: "sky",
  UNKNOWN: "slate",
};

/** Only web links from a report become links; anything else is shown as text. */
function safeLink(link: string | null): string | null {
  return link && /^https?:\/\//i.test(link) ? link : null;
}

export function VulnerabilitiesTable({ rows }: { rows: FleetVulnerabilityRow[] }) {
  return (
    <Table caption="Vulnerabilities in running containers">
      <thead>
        <tr>
          <Th>Vulnerability</Th>
          <Th>Severity</Th>
          <Th>Package</Th>
          <Th>Fix</Th>
          <Th className="text-right">Workloads</Th>
          <Th className="text-right">Containers</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((row) => {
          const id = visibleText(row.vulnerabilityId);
          const link = safeLink(row.link);
          return (
            <tr key={row.vulnerabilityId}>
              <Td label="Vulnerability" className="font-mono text-xs break-all">
                {link ? (
                  <a href={link} rel="noreferrer noopener" target="_blank" className="underline">
                    {id}
                  </a>
                ) : (
                  id
                )}
                {row.knownExploited ? (
                  <span className="ml-2">
                    <Badge tone="red">known exploited</Badge>
                  </span>
                ) : null}
              </Td>
              <Td label="Severity">
                <Badge tone={TONE[row.severity]}>{row.severity.toLowerCase()}</Badge>
              </Td>
              <Td label="Package" className="font-mono text-xs break-all">
                {row.packages.map((p) => visibleText(p)).join(", ")}
              </Td>
              <Td label="Fix">
                {row.fixable ? (
                  <span>
                    yes
                    {row.fixedVersion ? (
                      <span className="font-mono text-xs">, {visibleText(row.fixedVersion)}</span>
                    ) : null}
                  </span>
                ) : (
                  <span className="text-slate-500">no</span>
                )}
              </Td>
              <Td label="Workloads" className="text-right tabular-nums">
                {row.workloads}
              </Td>
              <Td label="Containers" className="text-right tabular-nums">
                {row.containers}
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
