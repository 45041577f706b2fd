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
import { MAX_UPLOAD_FILE_BYTES } from "@/lib/http/post-guard";
import { readReports, ReportError } from "@/lib/reports";
import { isWholeFleet } from "@/lib/scope/access-scope";
import {
  createVulnerabilityException,
  FLEET_WIDE_ONLY,
  ingestReports,
  revokeVulnerabilityException,
  vulnerabilityExceptionInputSchema,
} from "@/lib/services/reports";

const MAX_FILES = 20;

/** The file's name as shown: visible characters only, and short. */
const nameOf = (file: File, i: number) => visibleText(file.name || `file ${i + 1}`).slice(0, 120);

type Actor = { email: string; source: string | null };

/**
 * One uploaded file through the report readers and the ingest service the API uses. Its size is checked before a
 * byte of it is read; a refusal carries the reader's error (file, field, reason), never the file's text.
 */
async function ingestUpload(file: File, i: number, actor: Actor): Promise<UploadOutcome> {
  const name = nameOf(file, i);
  if (file.size > MAX_UPLOAD_FILE_BYTES)
    return { file: name, status: "refused", detail: `${name}: larger than ${MAX_UPLOAD_FILE_BYTES / 1024} KB` };
  try {
    const reports = readReports(name, await file.text());
    const stored = await ingestReports(getDb(), reports, { via: "upload", actor });
    const fresh = stored.filter((r) => r.status !== "unchanged").length;
    const vulnerabilities = stored.reduce((n, r) => n + r.vulnerabilities, 0);
    const secrets = stored.reduce((n, r) => n + r.secrets, 0);
    return {
      file: name,
      status: fresh > 0 ? "ingested" : "duplicate",
      detail: [
        `${stored.length} report${stored.length === 1 ? "" : "s"}`,
        `${vulnerabilities} vulnerabilit${vulnerabilities === 1 ? "y" : "ies"}`,
        ...(secrets > 0 ? [`${secrets} secret${secrets === 1 ? "" : "s"}`] : []),
      ].join(", "),
    };
  } catch (error) {
    if (!(error instanceof ReportError)) throw error;
    return { file: name, status: "refused", detail: visibleText(error.message) };
  }
}

async function actorOf(user: { email: string }): Promise<Actor> {
  return { email: user.email, source: requestMetaFrom(await headers()).ip ?? null };
}

/** The form posted without JavaScript: every file in one request (their sum under the action body limit). */
export async function uploadReports(_state: UploadState, formData: FormData): Promise<UploadState> {
  const by = await actorOf(await requireRole("engineer"));
  const files = formData.getAll("reports").filter((f): f is File => f instanceof File && f.size > 0);
  if (files.length === 0) return { error: "Choose one or more report files.", outcomes: [] };
  if (files.length > MAX_FILES) return { error: `At most ${MAX_FILES} files per upload.`, outcomes: [] };
  const outcomes: UploadOutcome[] = [];
  for (const [i, file] of files.entries()) outcomes.push(await ingestUpload(file, i, by));
  revalidatePath("/vulnerabilities");
  return { error: null, outcomes };
}

/** The drop zone's call: one file per request, so each may use the whole body limit. */
export async function uploadReport(formData: FormData): Promise<UploadOutcome> {
  const by = await actorOf(await requireRole("engineer"));
  const file = formData.get("report");
  if (!(file instanceof File) || file.size === 0)
    return { file: "(no file)", status: "refused", detail: "the request holds no report file" };
  const outcome = await ingestUpload(file, 0, by);
  if (outcome.status === "ingested") revalidatePath("/vulnerabilities");
  return outcome;
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
  if (!isWholeFleet(user.access)) return { error: FLEET_WIDE_ONLY, accepted: null };
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
  const created = await createVulnerabilityException(getDb(), parsed.data, {
    email: user.email,
    source,
    access: user.access,
  });
  refreshPages();
  return { error: null, accepted: created.vulnerabilityId };
}

/** Revokes at once (audited by the service); a malformed or unknown id changes nothing. */
export async function revokeVulnerability(formData: FormData): Promise<void> {
  const user = await requireRole("security");
  if (!isWholeFleet(user.access)) return;
  const id = z.uuid().safeParse(formData.get("exceptionId"));
  if (!id.success) return;
  const db = getDb();
  if (!(await db.vulnerabilityException.findFirst({ where: { id: id.data, revokedAt: null } }))) return;
  await revokeVulnerabilityException(db, id.data, {
    email: user.email,
    source: requestMetaFrom(await headers()).ip,
    access: user.access,
  });
  refreshPages();
}
