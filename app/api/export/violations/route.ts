import { describeRejectedQuery, parseViolationQuery } from "@/lib/scope/violation-query";
import { requireApiRole } from "@/lib/auth/session";
import { violationsCsv } from "@/lib/data/violations";

/** The violations table's current filter as CSV, every page, streamed so a large fleet never sits in memory. */
export async function GET(request: Request): Promise<Response> {
  const auth = await requireApiRole(request, "engineer");
  if (auth instanceof Response) return auth;
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const rejected = describeRejectedQuery(params);
  if (rejected) {
    return new Response(`${rejected}\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  const { page: _page, ...filter } = parseViolationQuery(params);
  const lines = violationsCsv({ ...filter, access: auth.access });
  // The header and first batch are read before the status line, so a failing query answers 500, not a cut-off CSV.
  const first: string[] = [];
  for (let i = 0; i < 2; i += 1) {
    const next = await lines.next();
    if (!next.done) first.push(next.value);
  }
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of first) controller.enqueue(encoder.encode(chunk));
    },
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
