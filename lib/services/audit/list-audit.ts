import type { Db } from "@/lib/db";
import { z } from "zod";

export const auditFilterSchema = z.object({
  actor: z
    .string()
    .trim()
    .max(320)
    .optional()
    .transform((value) => value || undefined),
  action: z
    .string()
    .trim()
    .max(64)
    .optional()
    .transform((value) => value || undefined),
  target: z
    .string()
    .trim()
    .max(320)
    .optional()
    .transform((value) => value || undefined),
  since: z.iso
    .date()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  until: z.iso
    .date()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

export type AuditFilter = z.infer<typeof auditFilterSchema>;

export interface AuditRow {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: string;
  source: string | null;
}

export const AUDIT_PAGE_SIZE = 50;

/** Newest first; actor and target match as substrings, action as a prefix (`sign-in` finds every sign-in). */
export async function listAuditEntries(db: Db, filter: AuditFilter): Promise<{ rows: AuditRow[]; total: number }> {
  const where = {
    ...(filter.actor ? { actor: { contains: filter.actor, mode: "insensitive" as const } } : {}),
    ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    ...(filter.target ? { target: { contains: filter.target, mode: "insensitive" as const } } : {}),
    ...(filter.since || filter.until
      ? {
          at: {
            ...(filter.since ? { gte: new Date(`${filter.since}T00:00:00Z`) } : {}),
            ...(filter.until ? { lt: new Date(new Date(`${filter.until}T00:00:00Z`).getTime() + 86_400_000) } : {}),
          },
        }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db.auditLog.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: AUDIT_PAGE_SIZE,
      skip: (filter.page - 1) * AUDIT_PAGE_SIZE,
    }),
    db.auditLog.count({ where }),
  ]);
  return {
    total,
    rows: rows.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      actor: row.actor,
      action: row.action,
      target: row.target,
      detail: JSON.stringify(row.detail),
      source: row.source,
    })),
  };
}
