import Link from "next/link";
import { Table, Td, Th } from "@/components/ui/table";
import type { ImageWorkloadRow } from "@/lib/data/image-workloads";
import { visibleText } from "@/lib/format/visible-text";

/** The workloads running the image now, each linked to its page; "not running" when none. */
export function ImageWorkloads({ rows, limit }: { rows: ImageWorkloadRow[]; limit: number }) {
  return (
    <section aria-labelledby="running" className="mb-6">
      <h2 id="running" className="mb-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">
        Running in
      </h2>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">Not running: no current container runs this image.</p>
      ) : (
        <>
          <Table caption="Workloads running this image">
            <thead>
              <tr>
                <Th>Workload</Th>
                <Th>Target</Th>
                <Th>Namespace</Th>
                <Th>Container</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={`${r.workloadId}-${r.container}`}>
                  <Td label="Workload" className="break-all">
                    <Link href={`/workloads/${r.workloadId}`} className="underline">
                      {r.kind} {visibleText(r.workload)}
                    </Link>
                  </Td>
                  <Td label="Target" className="break-all">
                    {visibleText(r.targetName)}
                  </Td>
                  <Td label="Namespace" className="break-all">
                    {r.namespace ? visibleText(r.namespace) : "–"}
                  </Td>
                  <Td label="Container" className="break-all">
                    {visibleText(r.container)}
                    <span className="block font-mono text-xs text-slate-600">{visibleText(r.image)}</span>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
          {rows.length >= limit ? <p className="mt-2 text-sm text-slate-600">The first {limit} shown.</p> : null}
        </>
      )}
    </section>
  );
}
