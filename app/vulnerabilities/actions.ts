"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import type { UploadOutcome, UploadState } from "@/components/vulnerabilities/report-upload-form";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { visibleText } from "@/lib/format/visible-text";
import { MAX_BODY_BYTES } from "@/lib/http/post-guard";
import { readReports, ReportError } from "@/lib/reports";
import { ingestReports } from "@/lib/services/reports";

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
