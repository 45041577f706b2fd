import Link from "next/link";
import { Table, Td, Th } from "@/components/ui/table";
import type { FailingWorkload } from "@/lib/data/checks";
import { visibleName, visibleText } from "@/lib/format/visible-text";

export function FailingWorkloads({ rows, total }: { rows: FailingWorkload[]; total: number }) {
  if (rows.length === 0) return <p className="text-sm text-slate-500">No current workload fails this check.</p>;
  return (
    <>
      <Table caption="Workloads failing this check">
        <thead>
          <tr>
            <Th>Workload</Th>
            <Th>Target</Th>
            <Th className="text-right">Containers</Th>
            <Th>Evidence</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.workloadId}>
              <Td>
                <Link href={`/workloads/${row.workloadId}`} className="font-medium hover:underline">
                  {visibleName(row.name, row.namespace)}
                </Link>
                <div className="text-xs text-slate-500">{row.kind}</div>
              </Td>
              <Td className="text-xs">{visibleText(row.targetName)}</Td>
              <Td className="text-right tabular-nums">{row.containers}</Td>
              <Td className="max-w-md text-xs break-words">{visibleText(row.message)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <p className="mt-2 text-xs text-slate-500">
        {rows.length} workload(s) shown; {total} open finding(s) of this check in all.
      </p>
    </>
  );
}
