"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import type { AcceptRiskState } from "@/components/findings/accept-risk-form";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { requireRole } from "@/lib/auth/session";
import { countFindingsOutsideAccess } from "@/lib/data/exception-access";
import { getDb } from "@/lib/db";
import { recordAudit } from "@/lib/services/audit";
import { acceptFindingsRisk } from "@/lib/services/exceptions";
import { plainText } from "@/lib/validation/plain-text";

const acceptRiskSchema = z.object({
  findingIds: z.array(z.uuid()).min(1, "select at least one open finding").max(500),
  reason: plainText({ multiline: true }).trim().min(1, "give a reason").max(2000),
  owner: plainText().trim().min(1, "name an owner").max(200),
  expiresAt: z.iso.date().transform((day) => new Date(`${day}T23:59:59Z`)),
});

export async function acceptRisk(_state: AcceptRiskState, formData: FormData): Promise<AcceptRiskState> {
  const user = await requireRole("security");
  const parsed = acceptRiskSchema.safeParse({
    findingIds: formData.getAll("findingId"),
    reason: formData.get("reason"),
    owner: formData.get("owner"),
    expiresAt: formData.get("expiresAt"),
  });
  if (!parsed.success) return { error: parsed.error.issues.map((i) => i.message).join("; "), accepted: 0 };
  if (parsed.data.expiresAt.getTime() <= Date.now()) return { error: "the expiry must be in the future", accepted: 0 };
  const outside = await countFindingsOutsideAccess(parsed.data.findingIds, user.access);
  if (outside > 0)
    return {
      error: `${outside} of the selected findings ${outside === 1 ? "is" : "are"} not among those you may see`,
      accepted: 0,
    };
  const db = getDb();
  const created = await acceptFindingsRisk(db, { ...parsed.data, createdBy: user.email });
  const source = requestMetaFrom(await headers()).ip;
  for (const exception of created) {
    await recordAudit(db, {
      actor: user.email,
      action: "exception.created",
      target: exception.id,
      detail: {
        checkId: exception.checkId,
        workload: exception.workload,
        container: exception.container,
        from: "violations",
      },
      source,
    });
  }
  revalidatePath("/violations");
  revalidatePath("/exceptions");
  return { error: null, accepted: created.length };
}
