import { describe, expect, it } from "vitest";
import { exceptionApplies, type ExceptionRule, type ExceptionScope } from "./exceptions";

const now = new Date("2026-06-01T00:00:00Z");
const scope: ExceptionScope = {
  checkId: "run-as-non-root",
  targetId: "t-1",
  namespace: "shop",
  workloadKind: "Deployment",
  workload: "api",
  container: "app",
  image: "registry.local:5000/acme/api:1.4",
};
const rule = (overrides: Partial<ExceptionRule> = {}): ExceptionRule => ({
  id: "e-1",
  checkId: "run-as-non-root",
  reason: "legacy image",
  expiresAt: "2026-07-01T00:00:00Z",
  ...overrides,
});

describe("exceptionApplies", () => {
  it("applies a check-wide rule to any scope until it expires", () => {
    expect(exceptionApplies(rule(), scope, now)).toBe(true);
    expect(exceptionApplies(rule({ expiresAt: new Date("2026-06-01T00:00:00Z") }), scope, now)).toBe(false);
    expect(exceptionApplies(rule({ expiresAt: "2026-05-31T23:59:59Z" }), scope, now)).toBe(false);
  });

  it("needs the same check id", () => {
    expect(exceptionApplies(rule({ checkId: "not-privileged" }), scope, now)).toBe(false);
  });

  it("stops applying once revoked", () => {
    expect(exceptionApplies(rule({ revokedAt: "2026-05-01T00:00:00Z" }), scope, now)).toBe(false);
    expect(exceptionApplies(rule({ revokedAt: "2026-06-15T00:00:00Z" }), scope, now)).toBe(true);
  });

  it("matches every scope field that is set", () => {
    expect(
      exceptionApplies(rule({ targetId: "t-1", namespace: "shop", workload: "api", container: "app" }), scope, now),
    ).toBe(true);
    expect(exceptionApplies(rule({ targetId: "t-2" }), scope, now)).toBe(false);
    expect(exceptionApplies(rule({ namespace: "payments" }), scope, now)).toBe(false);
    expect(exceptionApplies(rule({ workload: "web" }), scope, now)).toBe(false);
    expect(exceptionApplies(rule({ container: "sidecar" }), scope, now)).toBe(false);
  });

  it("treats null and empty scope fields as unset", () => {
    expect(exceptionApplies(rule({ namespace: null, workload: "", image: null }), scope, now)).toBe(true);
  });

  it("matches a workload by name or Kind/name", () => {
    expect(exceptionApplies(rule({ workload: "Deployment/api" }), scope, now)).toBe(true);
    expect(exceptionApplies(rule({ workload: "StatefulSet/api" }), scope, now)).toBe(false);
  });

  it("matches an image exactly, or a repository without tag across tags", () => {
    expect(exceptionApplies(rule({ image: "registry.local:5000/acme/api:1.4" }), scope, now)).toBe(true);
    expect(exceptionApplies(rule({ image: "registry.local:5000/acme/api" }), scope, now)).toBe(true);
    expect(exceptionApplies(rule({ image: "registry.local:5000/acme/api:1.5" }), scope, now)).toBe(false);
    expect(exceptionApplies(rule({ image: "registry.local:5000/acme/ap" }), scope, now)).toBe(false);
    const pinned = { ...scope, image: `acme/api@sha256:${"a".repeat(64)}` };
    expect(exceptionApplies(rule({ image: "acme/api" }), pinned, now)).toBe(true);
  });
});
