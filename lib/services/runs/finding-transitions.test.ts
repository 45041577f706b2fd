import { describe, expect, it } from "vitest";
import type { StoredResult } from "@/lib/domain/stored-result";
import { planFindingChange, type ExistingFinding, type FindingStatus } from "./finding-transitions";

function result(status: StoredResult["status"], excepted = false): StoredResult {
  return {
    id: "check-b",
    status,
    severity: "high",
    message: `check-b ${status}`,
    fieldPath: "spec",
    excepted,
    exceptionId: null,
  };
}

function finding(status: FindingStatus): ExistingFinding {
  return {
    id: "f1",
    containerId: "c1",
    checkId: "check-b",
    status,
    exceptionId: null,
    message: "check-b fail",
    severity: "high",
    fieldPath: "spec",
  };
}

describe("planFindingChange", () => {
  it.each([
    ["open", result("pass"), "resolved"],
    ["open", result("not-applicable"), "resolved"],
    ["open", result("fail", true), "excepted"],
    ["excepted", result("fail"), "unexcepted"],
    ["excepted", result("pass"), "resolved"],
    ["resolved", result("fail"), "reopened"],
    ["resolved", result("fail", true), "excepted"],
  ] as const)("turns a %s finding with a %o result into event %s", (status, r, event) => {
    expect(planFindingChange(r, finding(status))).toMatchObject({ type: "update", id: "f1", event });
  });

  it("opens a new failure without an event (firstSeenAt says it) and ignores a new pass", () => {
    expect(planFindingChange(result("fail"), undefined)).toEqual({
      type: "create",
      state: expect.objectContaining({ status: "open" }),
    });
    expect(planFindingChange(result("fail", true), undefined)).toMatchObject({
      type: "create",
      event: "excepted",
      state: { status: "excepted" },
    });
    expect(planFindingChange(result("pass"), undefined)).toBeUndefined();
  });

  it("leaves a finding alone when nothing changed or the data was missing", () => {
    expect(planFindingChange(result("fail"), finding("open"))).toBeUndefined();
    expect(planFindingChange(result("not-evaluated"), finding("open"))).toBeUndefined();
    expect(planFindingChange(result("pass"), finding("resolved"))).toBeUndefined();
  });

  it("refreshes changed evidence of an open finding without an event", () => {
    const change = planFindingChange({ ...result("fail"), message: "check-b fail: new value" }, finding("open"));
    expect(change).toEqual({
      type: "update",
      id: "f1",
      state: expect.objectContaining({ message: "check-b fail: new value" }),
      event: undefined,
    });
  });
});
