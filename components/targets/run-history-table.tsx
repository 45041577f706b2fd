import type { RunSummary } from "@/lib/data/targets";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { RunStatusBadge } from "./run-status-badge";
import { visibleText } from "@/lib/format/visible-text";

function duration(run: RunSummary): string {
  if (!run.finishedAt) return "–";
  const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function RunHistoryTable({ runs }: { runs: RunSummary[] }) {
  return (
    <Table caption="Run history, newest first">
      <thead>
        <tr>
          <Th>Started</Th>
          <Th>Status</Th>
          <Th className="text-right">Took</Th>
          <Th className="text-right">Containers</Th>
          <Th className="text-right">Opened</Th>
          <Th className="text-right">Resolved</Th>
          <Th>Error and warnings</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {runs.map((run) => (
          <tr key={run.id}>
            <Td>
              <Time value={run.startedAt} />
            </Td>
            <Td>
              <RunStatusBadge status={run.status} />
            </Td>
            <Td className="text-right tabular-nums">{duration(run)}</Td>
            <Td className="text-right tabular-nums">{run.containers}</Td>
            <Td className="text-right tabular-nums">{run.findingsOpened}</Td>
            <Td className="text-right tabular-nums">{run.findingsResolved}</Td>
            <Td className="max-w-md text-xs">
              {run.error ? <p className="break-words text-red-700">{visibleText(run.error)}</p> : null}
              {run.warnings.map((warning) => (
                <p key={warning} className="break-words text-amber-800">
                  {visibleText(warning)}
                </p>
              ))}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
