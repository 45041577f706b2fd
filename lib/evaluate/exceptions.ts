import type { Excepted } from "@/lib/domain/result";

/** A reviewer's accepted risk (CHECKS.md "Exceptions"); unset scope fields match anything. */
export interface ExceptionRule {
  id: string;
  checkId: string;
  targetId?: string | null;
  namespace?: string | null;
  /** Workload name, or `Kind/name` to match one kind only. */
  workload?: string | null;
  container?: string | null;
  /** Image reference; without tag or digest it matches every tag and digest of that repository. */
  image?: string | null;
  reason: string;
  owner?: string;
  expiresAt: Date | string;
  revokedAt?: Date | string | null;
}

/** Where one check result lives, to match against a rule's scope. */
export interface ExceptionScope {
  checkId: string;
  targetId?: string;
  namespace: string;
  workloadKind: string;
  workload: string;
  container: string;
  image: string;
}

export const EXEMPT_ANNOTATION_PREFIX = "rampart.dev/exempt-";

function matchesWorkload(rule: string, scope: ExceptionScope): boolean {
  return rule === scope.workload || rule === `${scope.workloadKind}/${scope.workload}`;
}

function repository(image: string): string {
  const at = image.indexOf("@");
  const withoutDigest = at === -1 ? image : image.slice(0, at);
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  // A colon before the last slash is a registry port, not a tag.
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

function matchesImage(rule: string, image: string): boolean {
  if (rule === image) return true;
  return repository(rule) === rule && repository(image) === rule;
}

function isUnset(value: string | null | undefined): value is null | undefined | "" {
  return value === undefined || value === null || value === "";
}

/** True when the rule covers this result and has neither expired nor been revoked at `now`. */
export function exceptionApplies(rule: ExceptionRule, scope: ExceptionScope, now: Date): boolean {
  if (rule.checkId !== scope.checkId) return false;
  if (new Date(rule.expiresAt).getTime() <= now.getTime()) return false;
  if (rule.revokedAt && new Date(rule.revokedAt).getTime() <= now.getTime()) return false;
  if (!isUnset(rule.targetId) && rule.targetId !== scope.targetId) return false;
  if (!isUnset(rule.namespace) && rule.namespace !== scope.namespace) return false;
  if (!isUnset(rule.workload) && !matchesWorkload(rule.workload, scope)) return false;
  if (!isUnset(rule.container) && rule.container !== scope.container) return false;
  if (!isUnset(rule.image) && !matchesImage(rule.image, scope.image)) return false;
  return true;
}

/** The first applying rule as an `excepted` marker, or undefined. */
export function ruleExemption(rules: readonly ExceptionRule[], scope: ExceptionScope, now: Date): Excepted | undefined {
  for (const rule of rules) {
    if (exceptionApplies(rule, scope, now)) return { source: "exception", reason: rule.reason, exceptionId: rule.id };
  }
  return undefined;
}
