import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Age } from "./age";

export interface TargetHealthView {
  id: string;
  name: string;
  platform: string;
  enabled: boolean;
  isDemo: boolean;
  containers: number;
  score: number | null;
  openCritical: number;
  openHigh: number;
  lastSuccessAt: string | null;
  isStale: boolean;
  intervalSeconds: number;
}

export function TargetHealthTable({ targets, now }: { targets: TargetHealthView[]; now: string }) {
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
              <Link href={`/targets/${target.id}`} className="font-medium hover:underline">
                {target.name}
              </Link>{" "}
              <span className="text-xs text-slate-500">{target.platform}</span>{" "}
              {target.isDemo ? <Badge tone="sky">demo</Badge> : null}
            </Td>
            <Td className="text-right font-medium tabular-nums">
              {target.score === null ? "–" : Math.round(target.score)}
            </Td>
            <Td className="text-right tabular-nums">{target.containers}</Td>
            <Td className="text-right tabular-nums">
              <span className={target.openCritical > 0 ? "font-semibold text-red-700" : undefined}>
                {target.openCritical}
              </span>
            </Td>
            <Td className="text-right tabular-nums">
              <span className={target.openHigh > 0 ? "text-orange-700" : undefined}>{target.openHigh}</span>
            </Td>
            <Td>
              <Age value={target.lastSuccessAt} now={now} />{" "}
              {target.isStale ? (
                <span title={`no successful poll for more than 3 × ${target.intervalSeconds} s`}>
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
