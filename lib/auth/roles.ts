import { z } from "zod";

/** Lowest to highest: each role can do everything the ones before it can. */
export const ROLES = ["viewer", "engineer", "security", "admin"] as const;

export type Role = (typeof ROLES)[number];

export const roleSchema = z.enum(ROLES);

export const ROLE_RANK: Record<Role, number> = { viewer: 0, engineer: 1, security: 2, admin: 3 };

export const ROLE_DESCRIPTION: Record<Role, string> = {
  viewer: "read everything",
  engineer: "read, remediation and exports",
  security: "plus exceptions and accepting risk",
  admin: "plus targets, users, tokens and settings",
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function hasRole(actual: Role, required: Role): boolean {
  return ROLE_RANK[actual] >= ROLE_RANK[required];
}

/** The lower of two roles: a token never grants more than its owner currently has. */
export function lowerRole(a: Role, b: Role): Role {
  return ROLE_RANK[a] <= ROLE_RANK[b] ? a : b;
}

/** Unknown stored values fall to the lowest role rather than failing open. */
export function toRole(value: string): Role {
  return isRole(value) ? value : "viewer";
}
