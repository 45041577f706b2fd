import { targetHref } from "@/lib/scope/fleet-scope";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import type { FleetFilter } from "@/lib/scope/fleet-scope";
import type { TargetRow } from "@/lib/data/targets";
import { violationsHref } from "@/lib/scope/violation-query";
import { intervalLabel } from "@/components/targets/interval-form";
import { RunStatusBadge } from "@/components/targets/run-status-badge";

/**
 * Each target's numbers in the page's scope; the counts link to the findings that make them. Plain links, not
 * next/link: three per target, hundreds of client components on a big fleet's overview.
 */
export function TargetHealthTable({ targets, now, scope }: { targets: TargetRow[]; now: string; scope: FleetFilter }) {
  return (
    <Table caption="Targets with score, containers, open critical and high findings and last successful poll">
      <thead>
        <tr>
          <Th>Target</Th>
          <Th className="text-right">Score</Th>
          <Th className="text-right">Containers</Th>
          <Th className="text-right">Critical</Th>
          <Th className="text-right">High</Th>
          <Th>Last successful poll</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {targets.map((target) => (
          <tr key={target.id}>
            <Td className="whitespace-nowrap">
              <a href={targetHref(target.name)} className="font-medium hover:underline">
                {target.name}
              </a>{" "}
              <span className="text-xs text-slate-500">{target.platform}</span>{" "}
              {target.isDemo ? <Badge tone="sky">demo</Badge> : null}
            </Td>
            <Td className="text-right font-medium tabular-nums">
              {target.score === null ? "–" : Math.round(target.score)}
            </Td>
            <Td className="text-right tabular-nums">{target.containers}</Td>
            <Td className="text-right tabular-nums">
              <a
                href={violationsHref({ ...scope, target: target.name, severity: "critical" })}
                className={target.openCritical > 0 ? "font-semibold text-red-700 hover:underline" : "hover:underline"}
                aria-label={`${target.openCritical} open critical findings on ${target.name}`}
              >
                {target.openCritical}
              </a>
            </Td>
            <Td className="text-right tabular-nums">
              <a
                href={violationsHref({ ...scope, target: target.name, severity: "high" })}
                className={target.openHigh > 0 ? "text-orange-700 hover:underline" : "hover:underline"}
                aria-label={`${target.openHigh} open high findings on ${target.name}`}
              >
                {target.openHigh}
              </a>
            </Td>
            <Td>
              <Time value={target.lastSuccessAt} now={now} />{" "}
              {target.lastRun?.status === "failed" ? <RunStatusBadge status="failed" /> : null}{" "}
              {target.isStale ? (
                <span
                  title={`no successful poll for more than three intervals (${intervalLabel(target.intervalSeconds)})`}
                >
                  <Badge tone="red">stale</Badge>
                </span>
              ) : null}
              {!target.enabled ? <Badge>polling off</Badge> : null}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
