import Link from "next/link";
import { SeverityBadge } from "@/components/findings/severity-badge";
import { Badge } from "@/components/ui/badge";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Table, Td, Th } from "@/components/ui/table";
import type { CheckCompliance } from "@/lib/data/checks";

export type CheckRowView = CheckCompliance & { category: string };

export function ChecksTable({ rows }: { rows: CheckRowView[] }) {
  return (
    <Table caption="Every check with its current compliance">
      <thead>
        <tr>
          <Th>Check</Th>
          <Th>Severity</Th>
          <Th>Category</Th>
          <Th className="w-1/4">Compliance</Th>
          <Th className="text-right">Passing</Th>
          <Th className="text-right">Failing</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((row) => (
          <tr key={row.checkId}>
            <Td>
              <Link href={`/checks/${row.checkId}`} className="font-medium hover:underline">
                {row.title}
              </Link>
              <div className="font-mono text-xs text-slate-500">
                {row.checkId} {row.seed ? <Badge>checklist</Badge> : null}
              </div>
            </Td>
            <Td>
              <SeverityBadge severity={row.severity} />
            </Td>
            <Td className="text-xs">{row.category}</Td>
            <Td>
              <div className="flex items-center gap-2">
                <ProgressBar value={row.compliance} label={`${row.title} compliance`} />
                <span
                  className="w-10 text-right text-sm font-medium tabular-nums"
                  data-testid={`compliance-${row.checkId}`}
                >
                  {row.compliance === null ? "–" : `${Math.round(row.compliance)}%`}
                </span>
              </div>
            </Td>
            <Td className="text-right tabular-nums">{row.passed}</Td>
            <Td className="text-right tabular-nums">{row.failed}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
