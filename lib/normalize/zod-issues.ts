import type { z } from "zod";
import type { InputError } from "@/lib/domain/facts";
import { describeType, formatFieldPath, valueAt } from "./field-path";

export interface ErrorOrigin {
  source: string;
  document?: number;
}

const MAX_ERRORS_PER_OBJECT = 20;

/**
 * Turns zod issues into InputErrors (`field` = the path, `message` = what is wrong; shown as `field: message`).
 * Messages are built from types only: zod messages could echo an input, which may hold a secret.
 */
export function issuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  origin: ErrorOrigin,
  prefix: readonly PropertyKey[] = [],
): InputError[] {
  return issues.slice(0, MAX_ERRORS_PER_OBJECT).map((issue) => {
    const relative = issue.path as PropertyKey[];
    const field = formatFieldPath([...prefix, ...relative]);
    const detail = describeIssue(issue, valueAt(input, relative));
    return field === "" ? { ...origin, message: detail } : { ...origin, field, message: detail };
  });
}

function describeIssue(issue: z.core.$ZodIssue, actual: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      if (actual === undefined) return `required (expected ${issue.expected})`;
      return `expected ${expectedName(issue.expected)}, got ${describeType(actual)}`;
    case "too_small":
      return issue.origin === "array" ? `expected at least ${String(issue.minimum)} item(s)` : "must not be empty";
    case "invalid_union":
      return `expected ${unionExpectation(issue)}, got ${describeType(actual)}`;
    case "invalid_value":
      return "has a value that is not allowed";
    default:
      return `is not valid (${issue.code})`;
  }
}

function expectedName(expected: string): string {
  return expected === "record" ? "object" : expected;
}

function unionExpectation(issue: z.core.$ZodIssueInvalidUnion): string {
  const names = issue.errors.flatMap((branch) =>
    branch
      .filter((i) => i.code === "invalid_type" && i.path.length === 0)
      .map((i) => (i as z.core.$ZodIssueInvalidType).expected),
  );
  return names.length > 0 ? [...new Set(names)].join(" or ") : "a different value";
}
