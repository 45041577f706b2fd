import { Prisma, type Db } from "@/lib/db";

/** Whether a worker follows the target's events between polls; `polling` says since when and why not. */
export interface EventStreamStatus {
  state: "live" | "polling";
  since: string;
  reason?: string;
}

/**
 * Written by the worker that holds the lease (or just lost it), so the Targets page can say how fresh it is. Polling
 * for the same reason is not written again: a target without events would otherwise cost a row write per poll.
 */
export async function setEventStreamStatus(
  db: Db,
  input: { targetId: string; state: EventStreamStatus["state"]; reason?: string; now?: Date },
): Promise<void> {
  const reason = input.reason?.slice(0, 300);
  const status: EventStreamStatus = {
    state: input.state,
    since: (input.now ?? new Date()).toISOString(),
    ...(reason ? { reason } : {}),
  };
  await db.$executeRaw(Prisma.sql`
    UPDATE "Target" SET "eventStream" = ${JSON.stringify(status)}::jsonb
    WHERE "id" = ${input.targetId}::uuid AND (${input.state} = 'live' OR "eventStream" IS NULL
      OR "eventStream"->>'state' IS DISTINCT FROM ${input.state}
      OR "eventStream"->>'reason' IS DISTINCT FROM ${reason ?? null}::text)`);
}
