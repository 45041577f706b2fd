import type { Db } from "@/lib/db";

export async function startRun(
  db: Db,
  input: { targetId: string; now?: Date },
): Promise<{ runId: string; startedAt: Date }> {
  const run = await db.collectionRun.create({
    data: { targetId: input.targetId, status: "running", startedAt: input.now ?? new Date() },
  });
  return { runId: run.id, startedAt: run.startedAt };
}
