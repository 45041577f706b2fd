export const API_TOKEN_PREFIX = "rpt";

/** The bearer value of an `Authorization` header, or null. */
export function bearerToken(header: string | null): string | null {
  const match = header ? /^Bearer\s+([A-Za-z0-9_-]{10,200})\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}
