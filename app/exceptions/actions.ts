"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import type { ExceptionFormState } from "@/components/exceptions/exception-form";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { requireRole } from "@/lib/auth/session";
import { exceptionScopeText } from "@/lib/format/exception-scope";
import { exceptionOutsideAccess } from "@/lib/data/exception-access";
import { getDb, type Exception } from "@/lib/db";
import type { Access } from "@/lib/scope/access-scope";
import { recordAudit, type AuditAction } from "@/lib/services/audit";
import {
  applyExceptionNow,
  createException,
  exceptionInputSchema,
  extendException,
  revokeException,
} from "@/lib/services/exceptions";

const endOfDay = z.iso.date().transform((day) => new Date(`${day}T23:59:59Z`));

async function audit(actor: string, action: AuditAction, exceptionId: string, detail: Record<string, string | null>) {
  await recordAudit(getDb(), {
    actor,
    action,
    target: exceptionId,
    detail,
    source: requestMetaFrom(await headers()).ip,
  });
}

/** What an exception covers, for the audit log: its check and scope, never just its id. */
async function coverageOf(exception: Exception): Promise<string> {
  const targetName = exception.targetId
    ? ((await getDb().target.findUnique({ where: { id: exception.targetId }, select: { name: true } }))?.name ?? null)
    : null;
  return `${exception.checkId} on ${exceptionScopeText({ ...exception, targetName })}`;
}

function refresh() {
  revalidatePath("/exceptions");
  revalidatePath("/violations");
}

export async function addException(_state: ExceptionFormState, formData: FormData): Promise<ExceptionFormState> {
  const user = await requireRole("security");
  const field = (name: string) => formData.get(name) ?? undefined;
  const expiry = endOfDay.safeParse(field("expiresAt"));
  if (!expiry.success) return { error: "expiresAt: pick an expiry date", created: false };
  const parsed = exceptionInputSchema.safeParse({
    checkId: field("checkId"),
    targetId: field("targetId") || null,
    namespace: field("namespace"),
    workload: field("workload"),
    container: field("container"),
    image: field("image"),
    reason: field("reason"),
    owner: field("owner"),
    expiresAt: expiry.data,
    createdBy: user.email,
  });
  if (!parsed.success) {
    return { error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), created: false };
  }
  if (parsed.data.expiresAt.getTime() <= Date.now())
    return { error: "expiresAt: must be in the future", created: false };
  const outside = await exceptionOutsideAccess(user.access, parsed.data);
  if (outside) return { error: outside, created: false };
  const db = getDb();
  const exception = await createException(db, parsed.data);
  const marked = await applyExceptionNow(db, exception);
  await audit(user.email, "exception.created", exception.id, {
    checkId: exception.checkId,
    namespace: exception.namespace,
    workload: exception.workload,
    container: exception.container,
    image: exception.image,
    findings: String(marked),
  });
  refresh();
  return { error: null, created: true };
}

const idSchema = z.object({ exceptionId: z.uuid() });

/**
 * Only a dashboard exception inside the caller's access changes here: one kept in a file changes in the file
 * (`rampart exceptions apply`, or the next apply undoes it), and a wider one would change other teams' findings.
 */
async function isChangeable(exceptionId: string, access: Access): Promise<boolean> {
  const row = await getDb().exception.findUnique({ where: { id: exceptionId } });
  return row !== null && row.fileKey === null && (await exceptionOutsideAccess(access, row)) === null;
}

export async function revoke(formData: FormData): Promise<void> {
  const user = await requireRole("security");
  const { exceptionId } = idSchema.parse({ exceptionId: formData.get("exceptionId") });
  if (!(await isChangeable(exceptionId, user.access))) return;
  const revoked = await revokeException(getDb(), { exceptionId, revokedBy: user.email });
  await audit(user.email, "exception.revoked", exceptionId, { covers: await coverageOf(revoked) });
  refresh();
}

export async function extend(formData: FormData): Promise<void> {
  const user = await requireRole("security");
  const { exceptionId } = idSchema.parse({ exceptionId: formData.get("exceptionId") });
  if (!(await isChangeable(exceptionId, user.access))) return;
  const expiry = endOfDay.safeParse(formData.get("expiresAt"));
  // A malformed date (NUL, not a day) leaves the exception as it was instead of failing the page.
  if (!expiry.success) return;
  const expiresAt = expiry.data;
  // The date field only offers later days; a stale page or a crafted post asking for an earlier one changes nothing.
  const extended = await extendException(getDb(), { exceptionId, expiresAt }).catch(() => null);
  if (!extended) return;
  await audit(user.email, "exception.extended", exceptionId, {
    covers: await coverageOf(extended),
    expiresAt: expiresAt.toISOString(),
  });
  refresh();
}
