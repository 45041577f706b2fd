// Test support only: reads the shared PSS conformance corpus that lives beside the repository.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import type { PodTemplate } from "@/lib/domain/kubernetes";

const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
export const PSS_CORPUS_DIR = path.resolve(REPO_ROOT, "../shared/corpus/pss");

export interface PssFixture {
  file: string;
  level: "baseline" | "restricted";
  expected: "pass" | "fail";
  failing_checks: string[];
  pod: PodTemplate;
}

export interface PssCorpus {
  checksPerLevel: { baseline: string[]; restricted: string[] };
  fixtures: PssFixture[];
}

export function isPssCorpusPresent(): boolean {
  return existsSync(path.join(PSS_CORPUS_DIR, "expected.json"));
}

/** When the corpus is absent, CI (`RAMPART_REQUIRE_ALL=1`) must fail; elsewhere the tests skip with this line. */
export const PSS_CORPUS_MISSING = `PSS corpus not found: expected ${PSS_CORPUS_DIR}/expected.json (the shared conformance fixtures)`;

export function isCorpusRequired(): boolean {
  return process.env.RAMPART_REQUIRE_ALL === "1";
}

export function loadPssCorpus(): PssCorpus {
  const expected = JSON.parse(readFileSync(path.join(PSS_CORPUS_DIR, "expected.json"), "utf8")) as {
    checks_per_level: PssCorpus["checksPerLevel"];
    fixtures: Omit<PssFixture, "pod">[];
  };
  const fixtures = expected.fixtures.map((fixture) => ({
    ...fixture,
    pod: parse(readFileSync(path.join(PSS_CORPUS_DIR, fixture.file), "utf8")) as PodTemplate,
  }));
  return { checksPerLevel: expected.checks_per_level, fixtures };
}
