import { describe, expect, it, vi } from "vitest";
import { defineCheck, fail, pass, type CheckDefinition } from "@/lib/checks/define-check";
import type { WorkloadInput } from "@/lib/domain/facts";
import { normalizeDockerContainer } from "@/lib/normalize/docker";
import { normalizeKubernetesWorkload } from "@/lib/normalize/kubernetes";
import { containerScore } from "@/lib/scoring";
import { evaluateWorkload } from "./index";

// These tests pass their own checks; the real catalog is exercised by the scan tests.
vi.mock("@/lib/checks/registry", () => ({ CHECKS: [] }));

function fakeCheck(
  id: string,
  severity: CheckDefinition["severity"],
  judge: (image: string) => boolean,
): CheckDefinition {
  return defineCheck({
    id,
    title: id,
    severity,
    category: "privileges",
    seed: false,
    rationale: "test",
    threat: "test",
    references: {},
    fixSummary: `fix ${id}`,
    platforms: {
      kubernetes: {
        judged: "test",
        evaluate: (f) =>
          judge(f.image)
            ? pass("ok")
            : fail(`bad image ${f.image}`, { fieldPath: "spec.template.spec.containers[0].image" }),
        fix: () => ({ container: { image: "fixed" } }),
      },
      docker: {
        judged: "test",
        evaluate: (f) => (judge(f.image) ? pass("ok") : fail(`bad image ${f.image}`, { fieldPath: "Config.Image" })),
        fix: () => ({ add: ["--fixed"] }),
      },
    },
  });
}

const pinned = fakeCheck("pinned", "high", (image) => image.includes("@sha256:"));
const notLatest = fakeCheck("not-latest", "low", (image) => !image.endsWith(":latest"));
const throwing = defineCheck({
  ...pinned,
  id: "throws",
  platforms: {
    ...pinned.platforms,
    kubernetes: {
      judged: "test",
      evaluate: () => {
        throw new Error("secret value hunter2 leaked");
      },
    },
  },
});
const CHECKS = [pinned, notLatest, throwing];

function deployment(
  annotations: { object?: Record<string, string>; template?: Record<string, string> } = {},
): WorkloadInput {
  const object = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "api", namespace: "shop", annotations: annotations.object },
    spec: {
      template: {
        metadata: { labels: { app: "api" }, annotations: annotations.template },
        spec: {
          containers: [
            { name: "app", image: "acme/api:latest", securityContext: { privileged: true } },
            { name: "proxy", image: `acme/proxy@sha256:${"b".repeat(64)}` },
          ],
        },
      },
    },
  };
  const { input, errors } = normalizeKubernetesWorkload(object, {
    source: "api.yaml#0",
    document: 0,
    networkPolicies: { value: [] },
  });
  if (!input) throw new Error(JSON.stringify(errors));
  return input;
}

const now = new Date("2026-06-01T00:00:00Z");

describe("evaluateWorkload", () => {
  it("runs every check on every container with id and severity", () => {
    const evaluation = evaluateWorkload(deployment(), { checks: CHECKS, now });
    expect(evaluation.containers.map((c) => c.name)).toEqual(["app", "proxy"]);
    for (const container of evaluation.containers) {
      expect(container.checks.map((c) => [c.checkId, c.severity])).toEqual([
        ["pinned", "high"],
        ["not-latest", "low"],
        ["throws", "high"],
      ]);
    }
    const [app, proxy] = evaluation.containers;
    expect(app?.checks.map((c) => c.status)).toEqual(["fail", "fail", "not-evaluated"]);
    expect(proxy?.checks.map((c) => c.status)).toEqual(["pass", "pass", "not-evaluated"]);
  });

  it("turns a throwing check into not-evaluated without quoting its error message", () => {
    const result = evaluateWorkload(deployment(), { checks: CHECKS, now }).containers[0]?.checks[2];
    expect(result?.status).toBe("not-evaluated");
    expect(result?.message).toContain("could not be evaluated");
    expect(result?.message).not.toContain("hunter2");
  });

  it("gives failing results a remediation for the platform, and passing ones none", () => {
    const [app, proxy] = evaluateWorkload(deployment(), { checks: CHECKS, now }).containers;
    expect(app?.checks[0]?.remediation?.summary).toBe("fix pinned");
    expect(app?.checks[0]?.remediation?.kubectl).toContain("kubectl");
    expect(proxy?.checks[0]?.remediation).toBeUndefined();
    expect(
      evaluateWorkload(deployment(), { checks: CHECKS, now, remediation: false }).containers[0]?.checks[0]?.remediation,
    ).toBeUndefined();
  });

  it("renders remediation on first read, visible to spread and JSON like a plain field", () => {
    const result = evaluateWorkload(deployment(), { checks: CHECKS, now }).containers[0]?.checks[0];
    expect(Object.keys(result ?? {})).toContain("remediation");
    expect({ ...result }.remediation?.summary).toBe("fix pinned");
    expect(JSON.parse(JSON.stringify(result)).remediation.summary).toBe("fix pinned");
    expect(result?.remediation).toBe(result?.remediation);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
  });

  it("gives a failing check without a fix its summary at once, with the same keys, order and JSON as a lazy fix", () => {
    const { fix: _fix, ...withoutFix } = pinned.platforms.kubernetes!;
    const summaryOnly = defineCheck({ ...pinned, id: "summary-only", platforms: { kubernetes: withoutFix } });
    const [lazy, eager] = evaluateWorkload(deployment(), { checks: [pinned, summaryOnly], now }).containers[0]!.checks;
    expect(eager?.status).toBe("fail");
    expect(eager?.remediation).toEqual({ summary: "fix pinned" });
    expect(Object.keys(eager ?? {})).toEqual(Object.keys(lazy ?? {}));
    expect(JSON.parse(JSON.stringify(eager))).toEqual({
      ...JSON.parse(JSON.stringify(lazy)),
      checkId: "summary-only",
      remediation: { summary: "fix pinned" },
    });
    expect(Object.getPrototypeOf(eager)).toBe(Object.prototype);
  });

  it("scores containers with the scoring formula", () => {
    const [app, proxy] = evaluateWorkload(deployment(), { checks: CHECKS, now }).containers;
    expect(app?.score).toBe(0);
    expect(proxy?.score).toBe(100);
    expect(app?.score).toBe(containerScore(app?.checks ?? []));
  });

  it("adds Pod Security verdicts for Kubernetes", () => {
    const evaluation = evaluateWorkload(deployment(), { checks: CHECKS, now });
    expect(evaluation.podSecurity?.baseline.allowed).toBe(false);
    expect(evaluation.podSecurity?.baseline.violations).toContain("privileged");
    expect(evaluation.source).toBe("api.yaml#0");
  });

  it("marks annotated checks excepted on the object or the pod template, keeping the status", () => {
    for (const annotations of [
      { object: { "rampart.dev/exempt-pinned": "vendor image" } },
      { template: { "rampart.dev/exempt-pinned": "vendor image" } },
    ]) {
      const [app] = evaluateWorkload(deployment(annotations), { checks: CHECKS, now }).containers;
      expect(app?.checks[0]).toMatchObject({
        status: "fail",
        excepted: { source: "annotation", reason: "vendor image" },
      });
      expect(app?.checks[1]?.excepted).toBeUndefined();
      // pinned (high) left out: only not-latest (low, failing) counts
      expect(app?.score).toBe(0);
    }
    const [app] = evaluateWorkload(deployment({ object: { "rampart.dev/exempt-not-latest": "ok" } }), {
      checks: CHECKS,
      now,
    }).containers;
    expect(app?.score).toBe(0);
    expect(app?.checks[1]?.excepted?.reason).toBe("ok");
  });

  it("applies exception rules whose scope matches and which have not expired", () => {
    const rule = {
      id: "e1",
      checkId: "pinned",
      namespace: "shop",
      container: "app",
      reason: "accepted",
      expiresAt: "2026-07-01T00:00:00Z",
    };
    const [app, proxy] = evaluateWorkload(deployment(), { checks: CHECKS, now, exceptions: [rule] }).containers;
    expect(app?.checks[0]?.excepted).toEqual({ source: "exception", reason: "accepted", exceptionId: "e1" });
    expect(proxy?.checks[0]?.excepted).toBeUndefined();
    const expired = evaluateWorkload(deployment(), {
      checks: CHECKS,
      now: new Date("2026-08-01T00:00:00Z"),
      exceptions: [rule],
    });
    expect(expired.containers[0]?.checks[0]?.excepted).toBeUndefined();
    const elsewhere = evaluateWorkload(deployment(), {
      checks: CHECKS,
      now,
      exceptions: [{ ...rule, namespace: "payments" }],
    });
    expect(elsewhere.containers[0]?.checks[0]?.excepted).toBeUndefined();
  });

  it("evaluates Docker containers without Pod Security", () => {
    const container = {
      Id: "c".repeat(64),
      Name: "/web",
      Image: "sha256:" + "d".repeat(64),
      Config: { User: "", Image: "nginx:latest", Env: [], Labels: {} },
      HostConfig: {},
    };
    const { facts } = normalizeDockerContainer({ container }, { source: "inspect.json#0" });
    if (!facts) throw new Error("docker fixture did not normalize");
    const input: WorkloadInput = { workload: facts.workload, source: facts.source, labels: {}, containers: [facts] };
    const evaluation = evaluateWorkload(input, { checks: CHECKS, now });
    expect(evaluation.podSecurity).toBeUndefined();
    expect(evaluation.containers[0]?.checks.map((c) => c.status)).toEqual(["fail", "fail", "fail"]);
    expect(evaluation.containers[0]?.checks[0]?.remediation?.dockerRun?.add).toEqual(["--fixed"]);
  });
});
