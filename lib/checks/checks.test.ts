import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckDefinition } from "./define-check";
import type { ContainerFacts, DockerContainerFacts, KubernetesContainerFacts } from "@/lib/domain/facts";
import type { CheckOutcome } from "@/lib/domain/result";
import { CHECK_CATALOG } from "./catalog";
import { CHECKS, CHECK_IDS, getCheck } from "./registry";
import { applyKubernetesFix } from "./testing/apply-fix";
import { secureDockerFacts, secureKubernetesFacts } from "./testing/baseline";

const PLANTED = ["planted-secret-value", "AKIAPLANTEDSECRET789", "eyJzdWIiOiJwbGFudGVkIn0"];
/** Checks whose outcome on one platform is fixed by design, with that outcome. */
const CONSTANT: Record<string, { platform: "kubernetes" | "docker"; status: CheckOutcome["status"] }> = {
  "no-secrets-in-image": { platform: "kubernetes", status: "not-evaluated" },
  "no-service-account-token": { platform: "docker", status: "not-applicable" },
};

function evaluate(check: CheckDefinition, facts: ContainerFacts): CheckOutcome {
  return facts.platform === "kubernetes" ? check.kubernetes(facts) : check.docker(facts);
}

function allExamples(): ContainerFacts[] {
  return CHECKS.flatMap((c) => [
    ...(c.examples.kubernetes?.pass ?? []),
    ...(c.examples.kubernetes?.fail ?? []),
    ...(c.examples.docker?.pass ?? []),
    ...(c.examples.docker?.fail ?? []),
  ]);
}

describe.each(CHECKS.map((check) => [check.id, check] as const))("%s", (_id, check) => {
  for (const platform of ["kubernetes", "docker"] as const) {
    const examples = check.examples[platform];
    if (CONSTANT[check.id]?.platform === platform) {
      it(`is ${CONSTANT[check.id]?.status} on ${platform} and has no ${platform} examples`, () => {
        const facts = platform === "kubernetes" ? secureKubernetesFacts() : secureDockerFacts();
        expect(evaluate(check, facts).status).toBe(CONSTANT[check.id]?.status);
        expect(examples).toBeUndefined();
      });
      continue;
    }
    it(`has ${platform} pass examples that pass`, () => {
      expect(examples?.pass.length).toBeGreaterThan(0);
      for (const facts of examples?.pass ?? [])
        expect(evaluate(check, facts), JSON.stringify(evaluate(check, facts))).toMatchObject({ status: "pass" });
    });
    it(`has ${platform} fail examples that fail with a field path and a message`, () => {
      expect(examples?.fail.length).toBeGreaterThan(0);
      for (const facts of examples?.fail ?? []) {
        const outcome = evaluate(check, facts);
        expect(outcome.status, JSON.stringify(outcome)).toBe("fail");
        expect(outcome.fieldPath).toMatch(/^[A-Za-z]/);
        expect(outcome.message.length).toBeGreaterThan(10);
      }
    });
  }

  it("fixes every Kubernetes fail example without breaking another check", () => {
    for (const facts of check.examples.kubernetes?.fail ?? []) {
      const fix = check.remediation.kubernetes;
      // A check without a patch is fixed outside the workload (a rebuild), on every platform alike.
      if (!fix) {
        expect(check.remediation.docker, check.id).toBeUndefined();
        continue;
      }
      const fixed = applyKubernetesFix(facts, fix(facts));
      expect(check.kubernetes(fixed), JSON.stringify(fix(facts))).toMatchObject({ status: "pass" });
      for (const other of CHECKS) {
        if (other.kubernetes(facts).status === "pass")
          expect(other.kubernetes(fixed).status, `${other.id} after fixing ${check.id}`).toBe("pass");
      }
    }
  });

  it("offers a Docker fix for every Docker fail example caused by the container", () => {
    for (const facts of check.examples.docker?.fail ?? []) {
      const fix = check.remediation.docker?.(facts as DockerContainerFacts);
      // Vulnerabilities (a rebuild) and a daemon without seccomp are fixed outside the container's settings.
      if (!check.remediation.docker) {
        expect(check.remediation.kubernetes, check.id).toBeUndefined();
        continue;
      }
      if (evaluate(check, facts).fieldPath?.startsWith("Info.")) continue;
      const size =
        (fix?.add?.length ?? 0) +
        (fix?.remove?.length ?? 0) +
        Object.keys(fix?.compose ?? {}).length +
        (fix?.dockerfile?.length ?? 0);
      expect(size, check.id).toBeGreaterThan(0);
    }
  });
});

describe("secure baselines", () => {
  it.each([
    ["kubernetes", secureKubernetesFacts()],
    ["docker", secureDockerFacts()],
  ] as const)("%s baseline passes every check that applies", (platform, facts) => {
    for (const check of CHECKS) {
      const expected = CONSTANT[check.id]?.platform === platform ? CONSTANT[check.id]?.status : "pass";
      expect(evaluate(check, facts).status, check.id).toBe(expected);
    }
  });

  it("tweaks do not leak between baselines", () => {
    secureKubernetesFacts((f) => (f.pod.spec.hostNetwork = true));
    expect(secureKubernetesFacts().pod.spec.hostNetwork).toBeUndefined();
    const facts: KubernetesContainerFacts = secureKubernetesFacts({ container: { image: "nginx" } });
    expect(facts.pod.spec.containers[0]?.image).toBe("nginx");
    expect(facts.image).toBe("nginx");
  });
});

describe("secret values never reach messages or fixes", () => {
  it("no outcome, detail or fix of any check on any example contains a planted value", () => {
    const texts = allExamples().flatMap((facts) =>
      CHECKS.flatMap((check) => {
        const outcome = evaluate(check, facts);
        const fix =
          facts.platform === "kubernetes" ? check.remediation.kubernetes?.(facts) : check.remediation.docker?.(facts);
        return [outcome.message, outcome.detail ?? "", JSON.stringify(fix ?? {})];
      }),
    );
    expect(texts.length).toBeGreaterThan(100);
    for (const text of texts) for (const planted of PLANTED) expect(text).not.toContain(planted);
  });
});

/** Rows of CHECKS.md's two tables: id, severity and whether it is in the seed table. */
function parseChecksMarkdown(markdown: string): { id: string; severity: string; seed: boolean }[] {
  const hardeningAt = markdown.indexOf("## Hardening");
  const rows: { id: string; severity: string; seed: boolean }[] = [];
  for (const match of markdown.matchAll(
    /^\|\s*(?:\d+\s*\|\s*)?`([a-z0-9-]+)`\s*\|\s*(critical|high|medium|low)\s*\|/gm,
  )) {
    rows.push({ id: match[1] ?? "", severity: match[2] ?? "", seed: (match.index ?? 0) < hardeningAt });
  }
  return rows;
}

describe("registry and catalog", () => {
  const contract = path.resolve(import.meta.dirname, "../../../shared/CHECKS.md");

  it("matches the ids, order, severities and seed flags of CHECKS.md", () => {
    if (!existsSync(contract)) {
      expect(process.env.RAMPART_REQUIRE_ALL, `${contract} is missing`).not.toBe("1");
      return;
    }
    const rows = parseChecksMarkdown(readFileSync(contract, "utf8"));
    expect(rows.length).toBeGreaterThan(0);
    expect(CHECKS.map((c) => ({ id: c.id, severity: c.severity, seed: c.seed }))).toEqual(rows);
  });

  it("has unique ids reachable through getCheck", () => {
    expect(new Set(CHECK_IDS).size).toBe(CHECKS.length);
    for (const id of CHECK_IDS) expect(getCheck(id)?.id).toBe(id);
    expect(getCheck("no-such-check")).toBeUndefined();
  });

  it("catalog is plain data matching the registry", () => {
    expect(JSON.parse(JSON.stringify(CHECK_CATALOG))).toEqual(CHECK_CATALOG);
    expect(CHECK_CATALOG.map((m) => m.id)).toEqual(CHECK_IDS);
    for (const meta of CHECK_CATALOG) {
      expect(meta.rationale.split(/\.\s/).length, meta.id).toBeGreaterThanOrEqual(2);
      expect(meta.remediationSummary.length).toBeGreaterThan(20);
    }
  });
});
