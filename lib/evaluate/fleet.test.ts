import { describe, expect, it } from "vitest";
import { evaluateFleet, generateFleetJson } from "@/lib/bench/engine";
import { CHECKS } from "@/lib/checks/registry";
import { normalizeKubernetesWorkload } from "@/lib/normalize/kubernetes";
import { evaluateWorkload } from "./index";

// The benchmark's generated fleet doubles as a broad robustness test: varied specs, every check, no crash.
describe("evaluation over a generated fleet", () => {
  const docs = JSON.parse(generateFleetJson(1500, 3)) as Parameters<typeof evaluateFleet>[0];

  it("normalizes and evaluates exactly the requested number of containers", () => {
    const tally = evaluateFleet(docs, true);
    expect(tally.containers).toBe(1500);
    expect(tally.failed).toBeGreaterThan(0);
    expect(tally.fixes).toBe(tally.failed);
  });

  it("never needs the throwing-check fallback and judges every check on every container", () => {
    for (const [document, doc] of docs.entries()) {
      if (doc.platform !== "kubernetes") continue;
      const { input } = normalizeKubernetesWorkload(doc.object, {
        source: `fleet#${document}`,
        document,
        networkPolicies: { value: [] },
      });
      if (!input) throw new Error(`fleet#${document} did not normalize`);
      for (const container of evaluateWorkload(input).containers) {
        expect(container.checks.map((c) => c.checkId)).toEqual(CHECKS.map((c) => c.id));
        const crashed = container.checks.filter((c) => c.message.startsWith("the check could not be evaluated"));
        expect(crashed).toEqual([]);
      }
    }
  });
});
