import { describe, expect, it } from "vitest";
import { fail, pass } from "@/lib/checks/define-check";
import type { KubernetesContainerFacts } from "@/lib/domain/facts";
import { checkWith, type TestFixes } from "./testing/facts";
import { proveAllFixesTogether, proveFixes } from "./testing/prove-fix";

// The closes test's machinery must be able to say no: a fix that does not close, or that breaks
// another passing check, is reported.

const readOnly = (fixes: TestFixes) =>
  checkWith(fixes, {
    id: "read-only",
    kubernetes: (f) =>
      f.container.securityContext?.readOnlyRootFilesystem === true ? pass("ro") : fail("rw", { fieldPath: "x" }),
  });

const unprivilegedRule = (f: KubernetesContainerFacts) =>
  f.container.securityContext?.privileged === true ? fail("privileged", { fieldPath: "x" }) : pass("ok");
const unprivileged = checkWith({ summary: "s" }, { id: "unprivileged", kubernetes: unprivilegedRule });

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "api", namespace: "shop" },
  spec: {
    selector: { matchLabels: { app: "api" } },
    template: {
      metadata: { labels: { app: "api" } },
      spec: {
        containers: [
          { name: "api", image: "api:1" },
          { name: "side", image: "side:1" },
        ],
      },
    },
  },
};

const context = { source: "test#0", networkPolicies: { value: [] } };

describe("proveFixes", () => {
  it("counts a fix that closes its finding for each failing container", () => {
    const check = readOnly({
      summary: "s",
      kubernetes: () => ({ container: { securityContext: { readOnlyRootFilesystem: true } } }),
    });
    expect(proveFixes(deployment, context, [check, unprivileged])).toEqual({
      proven: 2,
      templated: 0,
      byCheck: { "read-only": 2 },
      problems: [],
    });
  });

  it("counts a patch with a placeholder apart from the proven ones", () => {
    const check = checkWith(
      { summary: "s", kubernetes: () => ({ container: { image: "api@sha256:<digest>" } }) },
      {
        id: "read-only",
        kubernetes: (f) => (f.container.image?.includes("@") ? pass("ok") : fail("no", { fieldPath: "x" })),
      },
    );
    expect(proveFixes(deployment, context, [check])).toMatchObject({ proven: 0, templated: 2, problems: [] });
  });

  it("reports a fix that does not close its finding", () => {
    const check = readOnly({
      summary: "s",
      kubernetes: () => ({ container: { securityContext: { readOnlyRootFilesystem: false } } }),
    });
    const report = proveFixes(deployment, context, [check]);
    expect(report.proven).toBe(0);
    expect(report.problems).toEqual([
      "test#0 containers/api read-only: still fail after the patch",
      "test#0 containers/side read-only: still fail after the patch",
    ]);
  });

  it("reports a fix that breaks a check that passed", () => {
    const check = readOnly({
      summary: "s",
      kubernetes: () => ({ container: { securityContext: { readOnlyRootFilesystem: true, privileged: true } } }),
    });
    const report = proveFixes(deployment, context, [check, unprivileged]);
    expect(report.problems).toContain(
      "test#0 containers/api read-only: the patch broke containers/api unprivileged pass→fail",
    );
  });

  it("reports a failing result without any Kubernetes fix", () => {
    const report = proveFixes(deployment, context, [readOnly({ summary: "s" })]);
    expect(report.problems).toHaveLength(2);
    expect(report.problems[0]).toMatch(/no patch or manifest$/);
  });
});

describe("proveAllFixesTogether", () => {
  it("accepts fixes that close their findings together", () => {
    const check = readOnly({
      summary: "s",
      kubernetes: () => ({ container: { securityContext: { readOnlyRootFilesystem: true } } }),
    });
    expect(proveAllFixesTogether(deployment, context, [check, unprivileged])).toEqual({ rounds: 1, problems: [] });
  });

  it("needs a second round when a later fix undoes an earlier one once", () => {
    const clobbering = readOnly({
      summary: "s",
      kubernetes: () => ({ container: { securityContext: { readOnlyRootFilesystem: true, privileged: true } } }),
    });
    const fixingPrivileged = checkWith(
      { summary: "s", kubernetes: () => ({ container: { securityContext: { privileged: false } } }) },
      { id: "unprivileged", kubernetes: unprivilegedRule },
    );
    expect(proveAllFixesTogether(deployment, context, [fixingPrivileged, clobbering])).toEqual({
      rounds: 2,
      problems: [],
    });
  });

  it("reports fixes that keep undoing each other", () => {
    const privilegedDeployment = structuredClone(deployment);
    const [api] = privilegedDeployment.spec.template.spec.containers;
    Object.assign(api ?? {}, { securityContext: { privileged: true } });
    const clobbering = readOnly({
      summary: "s",
      kubernetes: () => ({ container: { securityContext: { readOnlyRootFilesystem: true, privileged: true } } }),
    });
    const fixingPrivileged = checkWith(
      {
        summary: "s",
        kubernetes: () => ({ container: { securityContext: { privileged: false, readOnlyRootFilesystem: false } } }),
      },
      { id: "unprivileged", kubernetes: unprivilegedRule },
    );
    expect(proveAllFixesTogether(privilegedDeployment, context, [fixingPrivileged, clobbering]).problems).toEqual([
      "test#0 containers/api unprivileged: still failing after 3 rounds of every fix",
      "test#0 every fix applied broke containers/side unprivileged pass→fail",
    ]);
  });
});
