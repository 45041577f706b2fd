import type { Db } from "@/lib/db";
import { storableText } from "./storable-text";

/** Ends a run as failed and counts it on its target (/metrics). Nothing is marked gone: only a complete, successful run may do that. */
export async function failRun(db: Db, input: { runId: string; error: string; now?: Date }): Promise<void> {
  await db.$transaction(async (tx) => {
    const run = await tx.collectionRun.update({
      where: { id: input.runId },
      data: { status: "failed", finishedAt: input.now ?? new Date(), error: storableText(input.error).slice(0, 2000) },
    });
    await tx.target.update({ where: { id: run.targetId }, data: { runFailures: { increment: 1 } } });
  });
}
