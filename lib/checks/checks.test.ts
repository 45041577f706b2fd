import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PLATFORMS, type ContainerFacts, type FactsOf, type Platform } from "@/lib/domain/facts";
import { evaluateFacts, fixFacts, type CheckDefinition, type FixByPlatform } from "./define-check";
import { CHECK_CATALOG } from "./catalog";
import { CHECKS, CHECK_IDS, getCheck } from "./registry";
import { applyDockerfileFix, applyKubernetesFix } from "./testing/apply-fix";
import { SECURE_FACTS, secureKubernetesFacts } from "./testing/baseline";

// One test for every check, read from the registry: no check ids or counts here.

const PLANTED = ["planted-secret-value", "AKIAPLANTEDSECRET789", "eyJzdWIiOiJwbGFudGVkIn0"];
const JUDGED: readonly string[] = ["pass", "fail"];

/** How each platform's fix is proven on a fail example; a new platform needs one. */
const PROVE_FIX: { [P in Platform]: (check: CheckDefinition, facts: FactsOf<P>, fix: FixByPlatform[P]) => void } = {
  kubernetes(check, facts, fix) {
    expectClosedAlone(check, facts, applyKubernetesFix(facts, fix), fix);
  },
  dockerfile(check, facts, fix) {
    expectClosedAlone(check, facts, applyDockerfileFix(facts, fix), fix);
  },
  docker(check, facts, fix) {
    // A daemon without seccomp is fixed outside the container's settings.
    if (evaluateFacts(check, facts).fieldPath?.startsWith("Info.")) return;
    const size =
      (fix.add?.length ?? 0) +
      (fix.remove?.length ?? 0) +
      Object.keys(fix.compose ?? {}).length +
      (fix.dockerfile?.length ?? 0);
    expect(size, check.id).toBeGreaterThan(0);
  },
};

/** The fixed facts pass the check, and nothing that passed before fails. */
function expectClosedAlone(check: CheckDefinition, facts: ContainerFacts, fixed: ContainerFacts, fix: object): void {
  expect(evaluateFacts(check, fixed), JSON.stringify(fix)).toMatchObject({ status: "pass" });
  for (const other of CHECKS) {
    if (evaluateFacts(other, facts).status === "pass")
      expect(evaluateFacts(other, fixed).status, `${other.id} after fixing ${check.id}`).toBe("pass");
  }
}

function proveFixesOn<P extends Platform>(check: CheckDefinition, platform: P): number {
  const entry = check.platforms[platform];
  let proven = 0;
  for (const facts of entry?.examples?.fail ?? []) {
    const fix = entry?.fix?.(facts);
    if (!fix) continue;
    PROVE_FIX[platform](check, facts, fix);
    proven += 1;
  }
  return proven;
}

function examples(check: CheckDefinition, platform: Platform): { pass: ContainerFacts[]; fail: ContainerFacts[] } {
  return check.platforms[platform]?.examples ?? { pass: [], fail: [] };
}

function allExamples(): ContainerFacts[] {
  return CHECKS.flatMap((check) =>
    PLATFORMS.flatMap((platform) => [...examples(check, platform).pass, ...examples(check, platform).fail]),
  );
}

describe.each(CHECKS.map((check) => [check.id, check] as const))("%s", (_id, check) => {
  for (const platform of PLATFORMS) {
    const entry = check.platforms[platform];
    if (!entry) {
      it(`is not applicable on ${platform}, with a sentence and a message`, () => {
        const outcome = evaluateFacts(check, SECURE_FACTS[platform]());
        expect(outcome.status).toBe("not-applicable");
        expect(outcome.message.length).toBeGreaterThan(10);
        expect(check.judged[platform]).toMatch(/^Not applicable: .{10}/);
      });
      continue;
    }
    if (!entry.examples) {
      it(`is neither pass nor fail on ${platform}, whatever the facts, and has no fix there`, () => {
        expect(JUDGED).not.toContain(evaluateFacts(check, SECURE_FACTS[platform]()).status);
        expect(entry.fix).toBeUndefined();
      });
      continue;
    }
    it(`has ${platform} pass examples that pass`, () => {
      expect(examples(check, platform).pass.length).toBeGreaterThan(0);
      for (const facts of examples(check, platform).pass) {
        const outcome = evaluateFacts(check, facts);
        expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: "pass" });
      }
    });
    it(`has ${platform} fail examples that fail with a field path and a message`, () => {
      expect(examples(check, platform).fail.length).toBeGreaterThan(0);
      for (const facts of examples(check, platform).fail) {
        const outcome = evaluateFacts(check, facts);
        expect(outcome.status, JSON.stringify(outcome)).toBe("fail");
        expect(outcome.fieldPath).toMatch(/^[A-Za-z]/);
        expect(outcome.message.length).toBeGreaterThan(10);
      }
    });
    if (entry.fix) {
      it(`fixes every ${platform} fail example (proven the platform's way)`, () => {
        expect(proveFixesOn(check, platform)).toBeGreaterThan(0);
      });
    }
  }

  it("has a fix on every platform it judges from examples, or on none (fixed outside the workload)", () => {
    // A failure inside an image read from its registry is fixed by rebuilding it: no workload patch can.
    const inImage = (platform: Platform) =>
      examples(check, platform).fail.every((f) => evaluateFacts(check, f).fieldPath?.startsWith("ImageConfig."));
    const judged = PLATFORMS.filter((platform) => check.platforms[platform]?.examples && !inImage(platform));
    const fixed = judged.filter((platform) => check.platforms[platform]?.fix);
    expect(fixed.length === 0 || fixed.length === judged.length, fixed.join()).toBe(true);
  });
});

describe("secure baselines", () => {
  it.each(PLATFORMS)("%s baseline passes every check with examples there, and no other", (platform) => {
    for (const check of CHECKS) {
      const status = evaluateFacts(check, SECURE_FACTS[platform]()).status;
      if (check.platforms[platform]?.examples) expect(status, check.id).toBe("pass");
      else expect(JUDGED, check.id).not.toContain(status);
    }
  });

  it("tweaks do not leak between baselines", () => {
    secureKubernetesFacts((f) => (f.pod.spec.hostNetwork = true));
    expect(secureKubernetesFacts().pod.spec.hostNetwork).toBeUndefined();
    const facts = secureKubernetesFacts({ container: { image: "nginx" } });
    expect(facts.pod.spec.containers[0]?.image).toBe("nginx");
    expect(facts.image).toBe("nginx");
  });
});

describe("secret values never reach messages or fixes", () => {
  it("no outcome, detail or fix of any check on any example contains a planted value", () => {
    const texts = allExamples().flatMap((facts) =>
      CHECKS.flatMap((check) => {
        const outcome = evaluateFacts(check, facts);
        return [outcome.message, outcome.detail ?? "", JSON.stringify(fixFacts(check, facts) ?? {})];
      }),
    );
    expect(texts.length).toBeGreaterThan(100);
    expect(JSON.stringify(allExamples())).toContain(PLANTED[0]);
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
      expect(Object.keys(meta.judged), meta.id).toEqual([...PLATFORMS]);
      expect(meta.rationale.split(/\.\s/).length, meta.id).toBeGreaterThanOrEqual(2);
      expect(meta.remediationSummary.length).toBeGreaterThan(20);
    }
  });
});
