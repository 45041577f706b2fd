import { parseViolationQuery } from "@/app/violations/query";
import { requireApiRole } from "@/lib/auth/session";
import { violationsCsv } from "@/lib/data/violations";

/** The violations table's current filter as CSV, every page, streamed so a large fleet never sits in memory. */
export async function GET(request: Request): Promise<Response> {
  const auth = await requireApiRole(request, "engineer");
  if (auth instanceof Response) return auth;
  const { page: _page, ...filter } = parseViolationQuery(Object.fromEntries(new URL(request.url).searchParams));
  const lines = violationsCsv(filter);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="rampart-violations-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
