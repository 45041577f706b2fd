import type { z } from "zod";

const NO_STORE = { "Cache-Control": "no-store" };

export function ok(body: unknown): Response {
  return Response.json(body, { headers: NO_STORE });
}

/** Names the rejected parameters and why, never echoing their values back. */
export function badRequest(error: z.ZodError): Response {
  const issues = error.issues.map((issue) => ({ parameter: issue.path.join("."), problem: issue.message }));
  return Response.json({ error: "invalid query parameters", issues }, { status: 400, headers: NO_STORE });
}

/** Query parameters as an object, the first value of each; unknown ones are rejected by the strict schemas. */
export function queryOf(request: Request): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of new URL(request.url).searchParams) if (!(key in params)) params[key] = value;
  return params;
}
