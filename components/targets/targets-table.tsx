import Link from "next/link";
import { targetHref } from "@/lib/scope/fleet-scope";
import type { TargetRow } from "@/lib/data/targets";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { visibleText } from "@/lib/format/visible-text";
import { DeleteTargetForm } from "./delete-target-form";
import { intervalLabel } from "./interval-form";
import { PollNowButton } from "./poll-now-button";
import { RunStatusBadge } from "./run-status-badge";

export type FormAction = (formData: FormData) => Promise<void>;

export interface TargetActions {
  poll: FormAction;
  setEnabled: FormAction;
  setIncludeStopped: FormAction;
  remove: FormAction;
}

function TargetButtons({ target, actions }: { target: TargetRow; actions: TargetActions }) {
  return (
    <div className="flex flex-wrap gap-1.5">
      <PollNowButton
        targetId={target.id}
        name={target.name}
        isEnabled={target.enabled}
        lastRun={target.lastRun}
        action={actions.poll}
      />
      <form action={actions.setEnabled}>
        <input type="hidden" name="targetId" value={target.id} />
        <input type="hidden" name="enabled" value={target.enabled ? "false" : "true"} />
        <Button size="sm" variant="secondary" aria-label={`${target.enabled ? "Disable" : "Enable"} ${target.name}`}>
          {target.enabled ? "Disable" : "Enable"}
        </Button>
      </form>
      {target.platform === "docker" ? (
        <form action={actions.setIncludeStopped}>
          <input type="hidden" name="targetId" value={target.id} />
          <input type="hidden" name="includeStopped" value={target.includeStopped ? "false" : "true"} />
          <Button
            size="sm"
            variant="secondary"
            aria-label={`${target.includeStopped ? "Judge only running containers of" : "Also judge stopped containers of"} ${target.name}`}
          >
            {target.includeStopped ? "Running only" : "Include stopped"}
          </Button>
        </form>
      ) : null}
      <DeleteTargetForm targetId={target.id} name={target.name} action={actions.remove} />
    </div>
  );
}

/** Live = a worker follows the target's events between polls; otherwise new containers wait for the next poll. */
function EventStreamNote({ target }: { target: TargetRow }) {
  const stream = target.eventStream;
  if (!target.enabled || !stream) return null;
  if (stream.isLive)
    return (
      <div className="mt-1 text-slate-500" role="status" aria-label={`${target.name} events`}>
        <Badge tone="green">live</Badge> following events since <Time value={stream.since} />
      </div>
    );
  return (
    <div className="mt-1 max-w-56 break-words text-slate-500" role="status" aria-label={`${target.name} events`}>
      <Badge tone="amber">polling only</Badge> since <Time value={stream.since} />
      {stream.reason ? `: ${visibleText(stream.reason)}` : null}
    </div>
  );
}

export function TargetsTable({
  targets,
  actions,
  canAdmin,
}: {
  targets: TargetRow[];
  actions: TargetActions;
  canAdmin: boolean;
}) {
  return (
    <Table caption="Targets">
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Platform</Th>
          <Th>URL</Th>
          <Th>Polling</Th>
          <Th>Last run</Th>
          <Th className="text-right">Containers</Th>
          <Th className="text-right">Score</Th>
          {canAdmin ? <Th>Actions</Th> : null}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {targets.map((target) => (
          <tr key={target.id}>
            <Td label="Name" className="whitespace-nowrap">
              <Link href={targetHref(target.name)} className="font-medium hover:underline">
                {target.name}
              </Link>
            </Td>
            <Td label="Platform">{target.platform}</Td>
            <Td label="URL" className="max-w-56 min-w-40 font-mono text-xs break-all">
              {target.url}
              {target.context ? <div className="text-slate-500">context {target.context}</div> : null}
              <div className="mt-0.5 flex gap-1 font-sans">
                {target.isDemo ? <Badge tone="sky">demo</Badge> : null}
                {target.hasCredentials ? <Badge>credentials set</Badge> : null}
              </div>
            </Td>
            <Td label="Polling" className="text-xs">
              {target.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>}
              <div className="mt-1 whitespace-nowrap text-slate-500">{intervalLabel(target.intervalSeconds)}</div>
              <EventStreamNote target={target} />
            </Td>
            <Td label="Last run" className="max-w-xs">
              <RunStatusBadge status={target.lastRun?.status ?? null} />{" "}
              {target.isStale ? <Badge tone="red">stale</Badge> : null}
              {target.lastRun ? (
                <div className="mt-1 text-xs text-slate-500">
                  <Time value={target.lastRun.finishedAt ?? target.lastRun.startedAt} />
                </div>
              ) : null}
              {target.lastRun?.error ? (
                <p className="mt-1 text-xs break-words text-red-700" role="note">
                  {visibleText(target.lastRun.error)}
                </p>
              ) : null}
            </Td>
            <Td label="Containers" className="text-right tabular-nums">
              {target.containers}
              {target.platform === "docker" ? (
                <div className="text-xs whitespace-nowrap text-slate-500">
                  {target.includeStopped ? "running and stopped" : "running only"}
                </div>
              ) : null}
            </Td>
            <Td label="Score" className="text-right font-medium tabular-nums">
              {target.score === null ? "–" : Math.round(target.score)}
            </Td>
            {canAdmin ? (
              <Td label="Actions">
                <TargetButtons target={target} actions={actions} />
              </Td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
