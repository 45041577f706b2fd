import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CHECKS } from "@/lib/checks/registry";
import { normalizeKubernetesWorkload, type KubernetesContext } from "@/lib/normalize/kubernetes";
import { isCorpusRequired, isPssCorpusPresent, loadPssCorpus, PSS_CORPUS_MISSING } from "@/lib/pss/testing/pss-corpus";
import { loadManifestSet, type ManifestSet } from "./testing/manifest-cases";
import { proveAllFixesTogether, proveCombinedFix, proveFixes } from "./testing/prove-fix";

// The promise of CHECKS.md: applying a failing result's Kubernetes patch and evaluating again makes
// that check pass, and breaks no check that passed before, on every manifest we can find.

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const OWN_TESTDATA = path.join(import.meta.dirname, "testdata");
const REALISTIC = path.join(REPO_ROOT, "lib/manifests/testdata/realistic");

const proven: Record<string, number> = {};
const templated: Record<string, number> = {};
const byCheck: Record<string, Record<string, number>> = {};
/** Combined fixes proven by set: workloads, and failing results they closed at once. */
const combined: Record<string, { workloads: number; closed: number; templated: number }> = {};
/** Objects whose fixes, applied all at once, undo one another and need a second pass. */
const needingRounds: string[] = [];
afterAll(() => {
  const total = Object.values(proven).reduce((sum, n) => sum + n, 0);
  const withPlaceholder = Object.values(templated).reduce((sum, n) => sum + n, 0);
  console.info(
    `remediation patches proven to close their finding: ${total} ${JSON.stringify(proven)}; ` +
      `closing but holding a digest placeholder: ${withPlaceholder}; by set and check: ${JSON.stringify(byCheck)}`,
  );
  console.info(`combined fixes proven (one patch per workload): ${JSON.stringify(combined)}`);
  if (needingRounds.length > 0) console.info(`fixes that collide when applied together: ${needingRounds.join(", ")}`);
});

/** Realistic folders may hold deliberately broken manifests (for input-error tests): those are not fixtures here. */
function normalizes(source: string, object: unknown, set: ManifestSet): boolean {
  return (
    normalizeKubernetesWorkload(object, { source, networkPolicies: { value: set.networkPolicies } }).input !== undefined
  );
}

function proveSet(name: string, set: ManifestSet): void {
  for (const { source, object } of set.cases) {
    it(`${name}: ${source}`, () => {
      const context: KubernetesContext = { source, networkPolicies: { value: set.networkPolicies } };
      const report = proveFixes(object, context, CHECKS);
      expect(report.problems).toEqual([]);
      const together = proveAllFixesTogether(object, context, CHECKS);
      expect(together.problems).toEqual([]);
      const one = proveCombinedFix(object, context, CHECKS);
      expect(one.problems).toEqual([]);
      const tally = (combined[name] ??= { workloads: 0, closed: 0, templated: 0 });
      if (one.closed > 0) tally.workloads += 1;
      if (one.templated) tally.templated += 1;
      tally.closed += one.closed;
      if (together.rounds > 1) needingRounds.push(`${name}:${source} (${together.rounds} rounds)`);
      proven[name] = (proven[name] ?? 0) + report.proven;
      templated[name] = (templated[name] ?? 0) + report.templated;
      const counts = (byCheck[name] ??= {});
      for (const [id, n] of Object.entries(report.byCheck)) counts[id] = (counts[id] ?? 0) + n;
    });
  }
}

describe("remediation patches close their findings", () => {
  it("the PSS corpus is present, or not required (RAMPART_REQUIRE_ALL unset)", () => {
    expect(isPssCorpusPresent() || !isCorpusRequired(), PSS_CORPUS_MISSING).toBe(true);
  });

  describe("own test manifests", () => {
    const set = loadManifestSet(OWN_TESTDATA);
    it("cover every workload kind", () => {
      const kinds = new Set(set.cases.map((c) => c.object.kind));
      expect([...kinds].sort()).toEqual(["CronJob", "DaemonSet", "Deployment", "Job", "Pod", "StatefulSet"]);
    });
    proveSet("own", set);
  });

  if (isPssCorpusPresent()) {
    describe("PSS corpus fixtures", () => {
      const cases = loadPssCorpus().fixtures.map((f) => ({ source: f.file, object: { kind: "Pod", ...f.pod } }));
      proveSet("pss", { cases, networkPolicies: [] });
    });
  } else {
    console.warn(`skipping remediation proofs on the PSS corpus: ${PSS_CORPUS_MISSING}`);
  }

  // Written by the manifests reader's tests; used as they are, whatever they hold.
  if (existsSync(REALISTIC)) {
    describe("realistic manifests", () => {
      const set = loadManifestSet(REALISTIC);
      const usable = set.cases.filter((c) => normalizes(c.source, c.object, set));
      const left = set.cases.filter((c) => !usable.includes(c)).map((c) => c.source);
      if (left.length > 0) console.info(`realistic workloads that do not normalize, left out: ${left.join(", ")}`);
      proveSet("realistic", { ...set, cases: usable });
    });
  }

  it("proved patches on the own manifests, digests from status and a created NetworkPolicy included", () => {
    const own = byCheck.own ?? {};
    expect(proven.own ?? 0).toBeGreaterThan(0);
    expect(own["image-pinned-by-digest"] ?? 0, "a running digest from status pins the image").toBeGreaterThan(0);
    expect(own["image-tag-not-mutable"] ?? 0, "a running digest replaces a latest tag").toBeGreaterThan(0);
    expect(own["network-isolation"] ?? 0, "a created NetworkPolicy closes network-isolation").toBeGreaterThan(0);
    expect(combined.own?.workloads, "every own manifest has a combined fix").toBe(6);
  });
});
