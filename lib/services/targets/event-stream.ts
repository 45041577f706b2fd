import type { Db } from "@/lib/db";

/** Whether a worker follows the target's events between polls; `polling` says since when and why not. */
export interface EventStreamStatus {
  state: "live" | "polling";
  since: string;
  reason?: string;
}

/** Written by the worker that holds the lease (or just lost it), so the Targets page can say how fresh it is. */
export async function setEventStreamStatus(
  db: Db,
  input: { targetId: string; state: EventStreamStatus["state"]; reason?: string; now?: Date },
): Promise<void> {
  const status: EventStreamStatus = {
    state: input.state,
    since: (input.now ?? new Date()).toISOString(),
    ...(input.reason ? { reason: input.reason.slice(0, 300) } : {}),
  };
  await db.target.updateMany({ where: { id: input.targetId }, data: { eventStream: { ...status } } });
}
