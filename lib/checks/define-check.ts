import { PLATFORM_LABEL, PLATFORMS, type ContainerFacts, type FactsOf, type Platform } from "@/lib/domain/facts";
import type { CheckOutcome } from "@/lib/domain/result";
import type { Severity } from "@/lib/domain/severity";

// A check is metadata plus one entry per platform it judges, dispatched by evaluateFacts and renderRemediation.
// A new platform: its name in Platform and PLATFORM_LABEL and its facts type (lib/domain/facts.ts), its fix type
// here and a renderer in lib/remediation, a fix prover in checks.test.ts (the compiler asks for each), then entries.

/** Control ids each framework gives what the check judges (lib/frameworks lists every control of each). */
export interface CheckReferences {
  cisDocker?: string[];
  /** CIS Kubernetes Benchmark v1.12.0 ids. */
  cisKubernetes?: string[];
  /** NSA/CISA Kubernetes Hardening Guidance headings, by lib/frameworks/nsa-cisa.ts ids. */
  nsaCisa?: string[];
  podSecurity?: string[];
  polaris?: string[];
  kubescape?: string[];
}

/**
 * The fix for one failing result, as data. Renderers in lib/remediation turn it into
 * a strategic-merge patch + kubectl command, docker run flags, Compose keys and Dockerfile lines.
 */
export interface KubernetesFix {
  /** Merged into the container (by name) in the owner's pod spec. `null` deletes a field. */
  container?: Record<string, unknown>;
  /** Merged into the pod spec. */
  pod?: Record<string, unknown>;
  /** Merged into the pod (template) metadata, e.g. annotations. */
  podMetadata?: Record<string, unknown>;
  /** A separate object to create, e.g. a NetworkPolicy. */
  manifest?: Record<string, unknown>;
  /** What a reader must know before applying it (appended to the summary), e.g. file ownership for a new UID. */
  note?: string;
}

export interface DockerFix {
  add?: string[];
  remove?: string[];
  compose?: Record<string, unknown>;
  dockerfile?: string[];
}

/** Edits of a Dockerfile's instructions: `at` replaces (or with `line: null` removes) one, without `at` appends. */
export interface DockerfileFix {
  edits: { at?: number; line: string | null }[];
}

// Compiles only while every Platform has a fix type.
type FixRecord<T extends Record<Platform, object>> = T;
export type FixByPlatform = FixRecord<{ kubernetes: KubernetesFix; docker: DockerFix; dockerfile: DockerfileFix }>;

/** Everything a check says about one platform. A new platform is one more entry per check. */
export interface PlatformCheck<P extends Platform> {
  /** How it is judged on this platform, one sentence, for the catalog page and SARIF. */
  judged: string;
  evaluate: (facts: FactsOf<P>) => CheckOutcome;
  /** The fix as data; without one, the fix summary alone is shown (e.g. a rebuild). */
  fix?: (facts: FactsOf<P>) => FixByPlatform[P];
  /** For the shared test: a secure baseline with one change applied. Without examples the outcome is constant. */
  examples?: { pass: FactsOf<P>[]; fail: FactsOf<P>[] };
}

export type CheckPlatforms = { [P in Platform]?: PlatformCheck<P> };
type Evaluators = { [P in Platform]: (facts: FactsOf<P>) => CheckOutcome };

/** What a check file passes to defineCheck. A platform without an entry is not applicable there. */
export interface CheckSpec {
  id: string;
  title: string;
  severity: Severity;
  category:
    "identity" | "filesystem" | "privileges" | "isolation" | "supply-chain" | "secrets" | "network" | "resources";
  /** Is it in the seed table of CHECKS.md? */
  seed: boolean;
  rationale: string;
  threat: string;
  references: CheckReferences;
  /** One-line fix for people, on every platform. */
  fixSummary: string;
  /** Where its evidence comes from when not from the container itself: the catalog page says how to feed it. */
  evidence?: "scanner-reports";
  /** Own wording for platforms without an entry, instead of the generated one. */
  notApplicable?: { [P in Platform]?: { judged: string; message: string } };
  platforms: CheckPlatforms;
}

export interface CheckDefinition extends CheckSpec {
  /** Every platform's sentence, generated where the check does not apply. */
  judged: Record<Platform, string>;
  /** Every platform's evaluator, generated where the check does not apply: what evaluateFacts calls. */
  evaluators: Evaluators;
}

function notApplicableOn(spec: CheckSpec, platform: Platform): { judged: string; message: string } {
  const label = PLATFORM_LABEL[platform];
  return (
    spec.notApplicable?.[platform] ?? {
      judged: `Not applicable: the check has no rule for ${label}.`,
      message: `${spec.title}: not applicable to ${label}`,
    }
  );
}

export function defineCheck(spec: CheckSpec): CheckDefinition {
  const judged = {} as Record<Platform, string>;
  const evaluators = {} as Record<Platform, (facts: never) => CheckOutcome>;
  for (const platform of PLATFORMS) {
    const entry = spec.platforms[platform];
    if (entry) {
      judged[platform] = entry.judged;
      evaluators[platform] = entry.evaluate;
      continue;
    }
    const fallback = notApplicableOn(spec, platform);
    judged[platform] = fallback.judged;
    evaluators[platform] = () => notApplicable(fallback.message);
  }
  // One literal with fixed keys, so every check has the same shape for the engine's property loads.
  return {
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    category: spec.category,
    seed: spec.seed,
    rationale: spec.rationale,
    threat: spec.threat,
    references: spec.references,
    fixSummary: spec.fixSummary,
    evidence: spec.evidence,
    notApplicable: spec.notApplicable,
    platforms: spec.platforms,
    judged,
    evaluators: evaluators as Evaluators,
  };
}

function evaluateOn<P extends Platform>(check: CheckDefinition, platform: P, facts: FactsOf<P>): CheckOutcome {
  return check.evaluators[platform](facts);
}

/** The one place a check meets a platform: the entry for the facts' platform, else not-applicable. */
export function evaluateFacts(check: CheckDefinition, facts: ContainerFacts): CheckOutcome {
  return evaluateOn(check, facts.platform, facts);
}

function fixOn<P extends Platform>(
  check: CheckDefinition,
  platform: P,
  facts: FactsOf<P>,
): FixByPlatform[P] | undefined {
  return check.platforms[platform]?.fix?.(facts);
}

/** The fix as data for these facts' platform, or undefined when the check has none there. */
export function fixFacts(check: CheckDefinition, facts: ContainerFacts): FixByPlatform[Platform] | undefined {
  return fixOn(check, facts.platform, facts);
}

export function pass(message: string, options: { fieldPath?: string; detail?: string } = {}): CheckOutcome {
  return { status: "pass", message, ...options };
}

export function fail(message: string, options: { fieldPath: string; detail?: string }): CheckOutcome {
  return { status: "fail", message, ...options };
}

export function notApplicable(message: string): CheckOutcome {
  return { status: "not-applicable", message };
}

export function notEvaluated(message: string): CheckOutcome {
  return { status: "not-evaluated", message };
}
