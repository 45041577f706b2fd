import "server-only";
import { headers } from "next/headers";
import { getDb } from "@/lib/db";
import { recordAudit, type AuditEntry } from "@/lib/services/audit";
import { requestMetaFrom } from "./request-meta";
import type { SessionUser } from "./session-store";

/** Records an action of the signed-in user, from this request's client address. */
export async function auditRequest(user: SessionUser, entry: Omit<AuditEntry, "actor" | "source">): Promise<void> {
  await recordAudit(getDb(), { ...entry, actor: user.email, source: requestMetaFrom(await headers()).ip });
}
