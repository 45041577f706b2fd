import { requireApiRole } from "@/lib/auth/session";
import { complianceMatrixCsv, getComplianceMatrix, MATRIX_AXES, type MatrixAxis } from "@/lib/data/compliance-matrix";

/** The compliance matrix of `?by=target|team|namespace` (targets by default) as CSV, one line per cell. */
export async function GET(request: Request): Promise<Response> {
  const auth = await requireApiRole(request, "engineer");
  if (auth instanceof Response) return auth;
  const by = new URL(request.url).searchParams.get("by") ?? "target";
  if (!(MATRIX_AXES as readonly string[]).includes(by)) {
    return new Response(`"by" must be one of ${MATRIX_AXES.join(", ")}.\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  const csv = complianceMatrixCsv(await getComplianceMatrix(by as MatrixAxis, auth.access));
  const day = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="rampart-compliance-${by}-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
