"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import type { AcceptVulnerabilityState } from "@/components/vulnerabilities/accept-vulnerability-form";
import type { UploadOutcome, UploadState } from "@/components/vulnerabilities/report-upload-form";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { visibleText } from "@/lib/format/visible-text";
import { MAX_BODY_BYTES } from "@/lib/http/post-guard";
import { readReports, ReportError } from "@/lib/reports";
import {
  createVulnerabilityException,
  ingestReports,
  revokeVulnerabilityException,
  vulnerabilityExceptionInputSchema,
} from "@/lib/services/reports";

const MAX_FILES = 20;

/** The file's name as shown: visible characters only, and short. */
const nameOf = (file: File, i: number) => visibleText(file.name || `file ${i + 1}`).slice(0, 120);

/**
 * Reads each uploaded file with the report readers and stores what they accept through the ingest service,
 * one file at a time: a refused file does not stop the others. Refusals carry the reader's error (file, field,
 * reason), never the file's text.
 */
export async function uploadReports(_state: UploadState, formData: FormData): Promise<UploadState> {
  const user = await requireRole("engineer");
  const files = formData.getAll("reports").filter((f): f is File => f instanceof File && f.size > 0);
  if (files.length === 0) return { error: "Choose one or more report files.", outcomes: [] };
  if (files.length > MAX_FILES) return { error: `At most ${MAX_FILES} files per upload.`, outcomes: [] };
  const source = requestMetaFrom(await headers()).ip ?? null;
  const outcomes: UploadOutcome[] = [];
  for (const [i, file] of files.entries()) {
    const name = nameOf(file, i);
    if (file.size > MAX_BODY_BYTES) {
      outcomes.push({ file: name, status: "refused", detail: `larger than ${MAX_BODY_BYTES} bytes` });
      continue;
    }
    try {
      const reports = readReports(name, await file.text());
      const stored = await ingestReports(getDb(), reports, { via: "upload", actor: { email: user.email, source } });
      const fresh = stored.filter((r) => r.status !== "unchanged").length;
      const vulnerabilities = stored.reduce((n, r) => n + r.vulnerabilities, 0);
      outcomes.push({
        file: name,
        status: fresh > 0 ? "stored" : "already stored",
        detail: `${stored.length} report${stored.length === 1 ? "" : "s"}, ${vulnerabilities} vulnerabilit${vulnerabilities === 1 ? "y" : "ies"}`,
      });
    } catch (error) {
      if (!(error instanceof ReportError)) throw error;
      outcomes.push({ file: name, status: "refused", detail: visibleText(error.message) });
    }
  }
  revalidatePath("/vulnerabilities");
  return { error: null, outcomes };
}

/** Every page that shows vulnerabilities as open or excepted. */
function refreshPages() {
  revalidatePath("/vulnerabilities");
  revalidatePath("/workloads/[workloadId]", "page");
}

/** A day picked in the form lasts to its end (UTC), as exceptions of checks do. */
const endOfDay = z.iso.date().transform((day) => new Date(`${day}T23:59:59Z`));

/**
 * Accepts one vulnerability's risk through the service the API uses (audited there): everywhere, or only for an
 * image (reference, repository or digest) or a workload (in a namespace). Reason, owner and a future expiry are
 * required; each refusal names its field.
 */
export async function acceptVulnerability(
  _state: AcceptVulnerabilityState,
  formData: FormData,
): Promise<AcceptVulnerabilityState> {
  const user = await requireRole("security");
  const field = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : undefined;
  };
  const expiry = endOfDay.safeParse(field("expiresAt"));
  if (!expiry.success) return { error: "Expires on: pick a day", accepted: null };
  if (expiry.data.getTime() <= Date.now()) return { error: "Expires on: must be in the future", accepted: null };
  const parsed = vulnerabilityExceptionInputSchema.safeParse({
    vulnerabilityId: field("vulnerabilityId"),
    image: field("image"),
    namespace: field("namespace"),
    workload: field("workload"),
    reason: field("reason"),
    owner: field("owner"),
    expiresAt: expiry.data,
  });
  if (!parsed.success)
    return { error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), accepted: null };
  const source = requestMetaFrom(await headers()).ip ?? null;
  const created = await createVulnerabilityException(getDb(), parsed.data, { email: user.email, source });
  refreshPages();
  return { error: null, accepted: created.vulnerabilityId };
}

/** Revokes at once (audited by the service); a malformed or unknown id changes nothing. */
export async function revokeVulnerability(formData: FormData): Promise<void> {
  const user = await requireRole("security");
  const id = z.uuid().safeParse(formData.get("exceptionId"));
  if (!id.success) return;
  const db = getDb();
  if (!(await db.vulnerabilityException.findFirst({ where: { id: id.data, revokedAt: null } }))) return;
  await revokeVulnerabilityException(db, id.data, { email: user.email, source: requestMetaFrom(await headers()).ip });
  refreshPages();
}
