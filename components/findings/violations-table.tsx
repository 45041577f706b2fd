import type { ViolationRow } from "@/lib/data/violations";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { SeverityBadge } from "./severity-badge";

export function ViolationsTable({ rows }: { rows: ViolationRow[] }) {
  return (
    <Table caption="Open violations">
      <thead>
        <tr>
          <Th>Severity</Th>
          <Th>Check</Th>
          <Th>Target</Th>
          <Th>Workload</Th>
          <Th>Container</Th>
          <Th>Finding</Th>
          <Th>First seen</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((row) => (
          <tr key={row.id}>
            <Td>
              <SeverityBadge severity={row.severity} />
              {row.isExcepted ? (
                <span className="ml-1">
                  <Badge>excepted</Badge>
                </span>
              ) : null}
            </Td>
            <Td className="font-mono text-xs whitespace-nowrap">{row.checkId}</Td>
            <Td className="whitespace-nowrap">{row.targetName}</Td>
            <Td className="whitespace-nowrap">
              {row.namespace ? <span className="text-slate-500">{row.namespace}/</span> : null}
              {row.workloadName}
              <div className="text-xs text-slate-500">{row.workloadKind}</div>
            </Td>
            <Td className="whitespace-nowrap">
              {row.containerName}
              <div className="max-w-48 truncate text-xs text-slate-500" title={row.image}>
                {row.image}
              </div>
            </Td>
            <Td className="max-w-md">
              {row.message}
              {row.fieldPath ? <div className="font-mono text-xs break-all text-slate-500">{row.fieldPath}</div> : null}
            </Td>
            <Td>
              <Time value={row.firstSeenAt} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
