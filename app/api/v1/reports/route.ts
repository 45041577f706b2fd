import { requireApiRole } from "@/lib/auth/session";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { getDb } from "@/lib/db";
import { MAX_REPORT_UPLOAD_BYTES } from "@/lib/http/post-guard";
import { readCapped, readReports, ReportError } from "@/lib/reports";
import { ingestReports } from "@/lib/services/reports";

const NO_STORE = { "Cache-Control": "no-store" };
const BODY = "request body";

function refuse(status: number, error: string): Response {
  return Response.json({ error }, { status, headers: NO_STORE });
}

/**
 * Ingests one report file (Trivy, Grype, CycloneDX, trivy-operator, OpenVEX) sent as the body. Idempotent: the same
 * report again answers 200 with status `unchanged`; a new one 201. A report that cannot be read is refused whole.
 */
export async function POST(request: Request): Promise<Response> {
  const user = await requireApiRole(request, "engineer");
  if (user instanceof Response) return user;
  const length = Number(request.headers.get("content-length") ?? "NaN");
  // The proxy would cut a longer body without a word: only a body whose length is known is taken.
  if (!Number.isFinite(length)) return refuse(411, "a Content-Length header is required");
  if (length > MAX_REPORT_UPLOAD_BYTES) return refuse(413, `reports are limited to ${MAX_REPORT_UPLOAD_BYTES} bytes`);
  if (!request.body) return refuse(400, "the body is empty");
  try {
    const text = await readCapped(request.body as unknown as AsyncIterable<Buffer>, BODY, MAX_REPORT_UPLOAD_BYTES);
    if (Buffer.byteLength(text) !== length) return refuse(400, "the body is shorter than its Content-Length");
    const reports = readReports(BODY, text);
    const source = requestMetaFrom(request.headers).ip ?? null;
    const stored = await ingestReports(getDb(), reports, { via: "api", actor: { email: user.email, source } });
    const body = {
      reports: stored.map((r, i) => ({
        ...r,
        format: reports[i]?.format,
        scanner: reports[i]?.scanner,
        digests: reports[i]?.digests,
      })),
    };
    const created = stored.some((r) => r.status !== "unchanged");
    return Response.json(body, { status: created ? 201 : 200, headers: NO_STORE });
  } catch (error) {
    if (error instanceof ReportError) return refuse(error.reason.startsWith("larger than") ? 413 : 400, error.message);
    throw error;
  }
}
