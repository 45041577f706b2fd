import { describe, expect, it } from "vitest";
import { exceptionInputSchema } from "./create-exception";

const base = {
  checkId: "run-as-non-root",
  reason: "legacy image,\nrebuild planned",
  owner: "team-a",
  expiresAt: new Date("2030-01-01T00:00:00Z"),
  createdBy: "alice",
};

function problems(input: Record<string, unknown>): string[] {
  const parsed = exceptionInputSchema.safeParse({ ...base, ...input });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("exceptionInputSchema", () => {
  it("accepts a multi-line reason", () => {
    expect(problems({})).toEqual([]);
  });

  it("refuses NUL and other control characters in the reason and owner with a message", () => {
    expect(problems({ reason: "ok\u0000" })).toEqual(["reason: must not contain control characters such as NUL"]);
    expect(problems({ owner: "team\u001B[31m" })).toEqual(["owner: must not contain control characters such as NUL"]);
  });

  it("refuses NUL in a scope but keeps other characters a collected name may hold", () => {
    expect(problems({ workload: "Deployment/we\u0000b" })).toEqual([
      "workload: must not contain control characters such as NUL",
    ]);
    expect(problems({ workload: "Deployment/evil\u202Egpj", container: "tab\there" })).toEqual([]);
  });
});
