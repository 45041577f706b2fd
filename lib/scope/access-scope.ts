import { z } from "zod";
import { plainText } from "@/lib/validation/plain-text";

/**
 * What a user or an API token may see, as stored on its row: a workload is inside when its target is listed, or
 * its target and namespace are, or its team (label, else its namespace's) is. Null in the database = whole fleet.
 */
export interface AccessScope {
  /** Target ids. */
  targets: string[];
  namespaces: { targetId: string; namespace: string }[];
  teams: string[];
}

/**
 * What one request may see: inside every one of `limits` (the user's scope, and its token's when called with
 * one), so a token never sees more than its owner. No limit = the whole fleet.
 */
export interface Access {
  limits: AccessScope[];
}

export const WHOLE_FLEET: Access = { limits: [] };

export const MAX_SCOPE_ENTRIES = 100;

const name = (max: number) => plainText().trim().min(1).max(max);

export const accessScopeSchema = z.object({
  targets: z.array(z.uuid()).max(MAX_SCOPE_ENTRIES).default([]),
  namespaces: z
    .array(z.object({ targetId: z.uuid(), namespace: name(253) }))
    .max(MAX_SCOPE_ENTRIES)
    .default([]),
  teams: z.array(name(200)).max(MAX_SCOPE_ENTRIES).default([]),
});

export function isEmptyScope(scope: AccessScope): boolean {
  return scope.targets.length === 0 && scope.namespaces.length === 0 && scope.teams.length === 0;
}

/** The value to store: null for "whole fleet", duplicates dropped. */
export function storedScope(scope: AccessScope): AccessScope | null {
  if (isEmptyScope(scope)) return null;
  const pairs = new Map(scope.namespaces.map((n) => [`${n.targetId}/${n.namespace}`, n]));
  return { targets: [...new Set(scope.targets)], namespaces: [...pairs.values()], teams: [...new Set(scope.teams)] };
}

/**
 * A stored scope as a limit: null is no limit; anything unreadable is a limit that matches nothing (an empty
 * scope), so a damaged row shows nothing rather than the whole fleet.
 */
function limitOf(stored: unknown): AccessScope | null {
  if (stored === null || stored === undefined) return null;
  const parsed = accessScopeSchema.safeParse(stored);
  return parsed.success ? parsed.data : { targets: [], namespaces: [], teams: [] };
}

/** The access of a request from the stored scopes of its user and (when called with one) its token. */
export function accessOf(...stored: unknown[]): Access {
  return { limits: stored.map(limitOf).filter((limit) => limit !== null) };
}

export function isWholeFleet(access: Access): boolean {
  return access.limits.length === 0;
}

/** A stored scope in words, targets by name ("a deleted target" once gone): for admin pages and the audit log. */
export function describeScope(stored: unknown, names: ReadonlyMap<string, string>): string {
  if (stored === null || stored === undefined) return "whole fleet";
  const parsed = accessScopeSchema.safeParse(stored);
  if (!parsed.success) return "nothing (unreadable scope)";
  const name = (id: string) => names.get(id) ?? "a deleted target";
  const parts = [
    ...parsed.data.targets.map((id) => `target ${name(id)}`),
    ...parsed.data.namespaces.map((n) => `namespace ${name(n.targetId)}/${n.namespace}`),
    ...parsed.data.teams.map((team) => `team ${team}`),
  ];
  return parts.length === 0 ? "nothing" : parts.join(", ");
}
