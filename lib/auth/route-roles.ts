import type { Role } from "./roles";

export type RouteKind = "page" | "route" | "action";

export interface RouteRule {
  /** Repository-relative path; `*` matches within one folder, `**` across folders. */
  path: string;
  kind?: RouteKind;
  /** The least role every export must require; `public` for sign-in and first-run setup only. */
  role: Role | "public";
  /** Exports that need a higher role than the file's. */
  exports?: Record<string, Role>;
}

/**
 * The role each page, route handler and server action must at least require; the first matching rule wins.
 * `route-guard.test.ts` reads every such file in app/ and fails when a check is missing or too low.
 */
export const ROUTE_RULES: readonly RouteRule[] = [
  { path: "app/sign-in/**", role: "public" },
  { path: "app/setup/**", role: "public" },
  { path: "app/api/auth/oidc/**", role: "public" },
  // Probes for load balancers and the kubelet: they say "ok" or "not ready" in fixed words, never why.
  { path: "app/healthz/**", kind: "route", role: "public" },
  { path: "app/readyz/**", kind: "route", role: "public" },
  { path: "app/admin/**", role: "admin" },
  { path: "app/api/v1/reports/**", kind: "route", role: "engineer" },
  {
    path: "app/api/v1/vulnerability-exceptions/**",
    kind: "route",
    role: "viewer",
    exports: { POST: "security", DELETE: "security" },
  },
  { path: "app/api/v1/**", kind: "route", role: "viewer" },
  { path: "app/targets/**", kind: "action", role: "admin" },
  { path: "app/targets/**", kind: "page", role: "viewer" },
  { path: "app/page.tsx", kind: "page", role: "viewer" },
  { path: "app/trends/**", kind: "page", role: "viewer" },
  { path: "app/checks/**", kind: "page", role: "viewer" },
  { path: "app/settings/**", role: "admin" },
  { path: "app/**/exceptions/**", kind: "action", role: "security" },
  { path: "app/violations/**", kind: "action", role: "security" },
  {
    path: "app/vulnerabilities/**",
    kind: "action",
    role: "engineer",
    exports: { acceptVulnerability: "security", revokeVulnerability: "security" },
  },
  { path: "app/**/exceptions/**", kind: "page", role: "viewer" },
  { path: "app/**/export*/**", role: "engineer" },
  { path: "app/**/remediation/**", kind: "action", role: "engineer" },
  { path: "app/**", kind: "page", role: "viewer" },
  { path: "app/**", kind: "route", role: "viewer" },
  // An action nobody has classified yet is assumed to change something: engineer at least.
  { path: "app/**", kind: "action", role: "engineer" },
];

function globToRegExp(glob: string): RegExp {
  const pattern = glob
    .split("/")
    .map((part) => (part === "**" ? "(?:.*)" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")))
    .join("/")
    .replace(/\/\(\?:\.\*\)/g, "(?:/.*)?");
  return new RegExp(`^${pattern}$`);
}

export function ruleFor(file: string, kind: RouteKind): RouteRule | undefined {
  return ROUTE_RULES.find((rule) => (!rule.kind || rule.kind === kind) && globToRegExp(rule.path).test(file));
}

/** The URL of a page or route file, with dynamic segments filled by `fill`; route groups dropped. */
export function urlOfRouteFile(file: string, fill: (segment: string) => string): string {
  const parts = file.split("/").slice(1, -1);
  const url = parts
    .filter((part) => !/^\(.*\)$/.test(part) && !part.startsWith("@"))
    .map((part) => (/^\[.*\]$/.test(part) ? fill(part.replace(/^\[+\.{0,3}|\]+$/g, "")) : part));
  return `/${url.join("/")}`;
}
