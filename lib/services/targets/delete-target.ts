import type { Db } from "@/lib/db";

/** Removes the target with its runs, workloads, containers and findings (cascade). */
export async function deleteTarget(db: Db, targetId: string): Promise<void> {
  await db.target.delete({ where: { id: targetId } });
}
