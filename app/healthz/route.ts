/** Liveness: the web process answers. Nothing else is checked, so a database outage does not restart it. */
export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
