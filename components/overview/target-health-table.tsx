"use client";
import { targetHref } from "@/lib/scope/fleet-scope";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import type { TargetRow } from "@/lib/data/targets";
import { intervalLabel } from "@/components/targets/interval-form";
import { RunStatusBadge } from "@/components/targets/run-status-badge";

/** What the table shows of a target, with the links to its open critical and high findings in the page's scope. */
export type TargetHealthRow = Pick<
  TargetRow,
  | "id"
  | "name"
  | "platform"
  | "isDemo"
  | "score"
  | "containers"
  | "openCritical"
  | "openHigh"
  | "lastSuccessAt"
  | "isStale"
  | "intervalSeconds"
  | "enabled"
> & { lastRunFailed: boolean; criticalHref: string; highHref: string };

/**
 * Each target's numbers in the page's scope; the counts link to the findings that make them. A client component drawn
 * from compact rows, so a big fleet's table (200 targets on the page benchmark) is sent once as data rather than as
 * server-rendered markup twice (HTML and RSC payload); plain links, not a next/link per count.
 */
export function TargetHealthTable({ targets, now }: { targets: TargetHealthRow[]; now: string }) {
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
                href={target.criticalHref}
                className={target.openCritical > 0 ? "font-semibold text-red-700 hover:underline" : "hover:underline"}
                aria-label={`${target.openCritical} open critical findings on ${target.name}`}
              >
                {target.openCritical}
              </a>
            </Td>
            <Td className="text-right tabular-nums">
              <a
                href={target.highHref}
                className={target.openHigh > 0 ? "text-orange-700 hover:underline" : "hover:underline"}
                aria-label={`${target.openHigh} open high findings on ${target.name}`}
              >
                {target.openHigh}
              </a>
            </Td>
            <Td>
              <Time value={target.lastSuccessAt} now={now} />{" "}
              {target.lastRunFailed ? <RunStatusBadge status="failed" /> : null}{" "}
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
