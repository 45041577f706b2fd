import type { TargetRow } from "@/lib/data/targets";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
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
    <div className="flex gap-1.5">
      <form action={actions.poll}>
        <input type="hidden" name="targetId" value={target.id} />
        <Button size="sm" variant="secondary" disabled={!target.enabled} aria-label={`Poll ${target.name} now`}>
          Poll now
        </Button>
      </form>
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
      <form action={actions.remove}>
        <input type="hidden" name="targetId" value={target.id} />
        <Button size="sm" variant="danger" aria-label={`Delete ${target.name}`}>
          Delete
        </Button>
      </form>
    </div>
  );
}

export function TargetsTable({ targets, actions }: { targets: TargetRow[]; actions: TargetActions }) {
  return (
    <Table caption="Targets">
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Platform</Th>
          <Th>URL</Th>
          <Th>Enabled</Th>
          <Th>Last run</Th>
          <Th>Containers</Th>
          <Th>Actions</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {targets.map((target) => (
          <tr key={target.id}>
            <Td className="font-medium whitespace-nowrap">{target.name}</Td>
            <Td>{target.platform}</Td>
            <Td className="font-mono text-xs break-all">{target.url}</Td>
            <Td>{target.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>}</Td>
            <Td className="max-w-sm">
              <RunStatusBadge status={target.lastRun?.status ?? null} />
              {target.lastRun ? (
                <div className="mt-1 text-xs text-slate-500">
                  <Time value={target.lastRun.finishedAt ?? target.lastRun.startedAt} />
                </div>
              ) : null}
              {target.lastRun?.error ? (
                <p className="mt-1 text-xs break-words text-red-700" role="note">
                  {target.lastRun.error}
                </p>
              ) : null}
            </Td>
            <Td>
              {target.containers}
              {target.platform === "docker" ? (
                <div className="text-xs whitespace-nowrap text-slate-500">
                  {target.includeStopped ? "running and stopped" : "running only"}
                </div>
              ) : null}
            </Td>
            <Td>
              <TargetButtons target={target} actions={actions} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
