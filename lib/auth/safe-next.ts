/** A same-site path to return to after sign-in; anything else (absolute URLs, `//host`, `/\host`) becomes `/`. */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || value.length > 2000) return "/";
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  if (/[\u0000-\u001f]/.test(value)) return "/";
  return value;
}

export function signInPath(next: string): string {
  const safe = safeNextPath(next);
  return safe === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(safe)}`;
}
