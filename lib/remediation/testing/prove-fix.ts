// Test support only: applies every failing result's remediation to its object and evaluates again.
import { parse } from "yaml";
import { evaluateFacts, type CheckDefinition } from "@/lib/checks/define-check";
import type { KubernetesContainerFacts, WorkloadInput } from "@/lib/domain/facts";
import type { NetworkPolicy } from "@/lib/domain/kubernetes";
import type { Status } from "@/lib/domain/severity";
import { normalizeKubernetesWorkload, type KubernetesContext } from "@/lib/normalize/kubernetes";
import { DIGEST_PLACEHOLDER } from "@/lib/checks/support/images";
import { evaluateWorkload } from "@/lib/evaluate";
import { renderRemediation } from "../index";
import { applyStrategicMergePatch } from "../strategic-merge";

type Statuses = Map<string, Status>;

export interface ProofReport {
  /** Patches that close their finding as rendered. */
  proven: number;
  /** Patches that close it but hold a placeholder to fill in (an image digest that is not known yet). */
  templated: number;
  /** Proven patches by check id, for the summary. */
  byCheck: Record<string, number>;
  problems: string[];
}

const PLACEHOLDER = /<[a-z][a-z-]*>/;
/** What a user pastes over the digest placeholder: any valid digest closes the check, so a sample one proves it. */
const SAMPLE_DIGEST = `sha256:${"5".repeat(64)}`;

function parsePatch(text: string): Record<string, unknown> {
  return parse(text.replaceAll(DIGEST_PLACEHOLDER, SAMPLE_DIGEST)) as Record<string, unknown>;
}

function containerKey(facts: KubernetesContainerFacts): string {
  return `${facts.list}/${facts.name}`;
}

function normalize(object: unknown, context: KubernetesContext): WorkloadInput {
  const { input, errors } = normalizeKubernetesWorkload(object, context);
  if (!input) throw new Error(`${context.source} does not normalize: ${errors.map((e) => e.message).join("; ")}`);
  return input;
}

function kubernetesFacts(input: WorkloadInput): KubernetesContainerFacts[] {
  return input.containers.filter((f): f is KubernetesContainerFacts => f.platform === "kubernetes");
}

/** `containerKey` → check id → status. */
function evaluateAll(input: WorkloadInput, checks: readonly CheckDefinition[]): Map<string, Statuses> {
  return new Map(
    kubernetesFacts(input).map((facts) => [
      containerKey(facts),
      new Map(checks.map((check) => [check.id, evaluateFacts(check, facts).status])),
    ]),
  );
}

function regressions(before: Map<string, Statuses>, after: Map<string, Statuses>): string[] {
  const found: string[] = [];
  for (const [container, statuses] of before) {
    for (const [checkId, status] of statuses) {
      const now = after.get(container)?.get(checkId);
      if (status === "pass" && now !== "pass") found.push(`${container} ${checkId} pass→${now ?? "missing"}`);
    }
  }
  return found;
}

function patchedContext(context: KubernetesContext, manifest: string | undefined): KubernetesContext {
  if (!manifest || "unavailable" in context.networkPolicies) return context;
  const created = parse(manifest) as NetworkPolicy;
  return { ...context, networkPolicies: { value: [...context.networkPolicies.value, created] } };
}

/** For every failing result of `object`: render, apply, re-evaluate, and report what did not close. */
export function proveFixes(
  object: Record<string, unknown>,
  context: KubernetesContext,
  checks: readonly CheckDefinition[],
): ProofReport {
  const input = normalize(object, context);
  const before = evaluateAll(input, checks);
  const report: ProofReport = { proven: 0, templated: 0, byCheck: {}, problems: [] };
  for (const facts of kubernetesFacts(input)) {
    for (const check of checks) {
      if (before.get(containerKey(facts))?.get(check.id) !== "fail") continue;
      const label = `${context.source} ${containerKey(facts)} ${check.id}`;
      const remediation = renderRemediation(check, facts);
      if (!remediation.kubernetesPatch && !remediation.kubernetesManifest) {
        report.problems.push(`${label}: no patch or manifest`);
        continue;
      }
      const patch = remediation.kubernetesPatch ? parsePatch(remediation.kubernetesPatch) : {};
      const after = evaluateAll(
        normalize(applyStrategicMergePatch(object, patch), patchedContext(context, remediation.kubernetesManifest)),
        checks,
      );
      const status = after.get(containerKey(facts))?.get(check.id);
      const broken = regressions(before, after);
      if (status !== "pass") report.problems.push(`${label}: still ${status ?? "missing"} after the patch`);
      if (broken.length > 0) report.problems.push(`${label}: the patch broke ${broken.join(", ")}`);
      if (status !== "pass" || broken.length > 0) continue;
      if (PLACEHOLDER.test(remediation.kubernetesPatch ?? "")) {
        report.templated += 1;
      } else {
        report.proven += 1;
        report.byCheck[check.id] = (report.byCheck[check.id] ?? 0) + 1;
      }
    }
  }
  return report;
}

const MAX_ROUNDS = 3;

interface Round {
  object: Record<string, unknown>;
  context: KubernetesContext;
  applied: string[];
}

/** Applies every complete fix of every failing result of one evaluation (patches in turn, all manifests). */
function applyRound(
  object: Record<string, unknown>,
  context: KubernetesContext,
  checks: readonly CheckDefinition[],
): Round {
  const round: Round = { object, context, applied: [] };
  for (const facts of kubernetesFacts(normalize(object, context))) {
    for (const check of checks) {
      if (evaluateFacts(check, facts).status !== "fail") continue;
      const remediation = renderRemediation(check, facts);
      if (PLACEHOLDER.test(remediation.kubernetesPatch ?? "")) continue;
      if (remediation.kubernetesPatch) {
        round.object = applyStrategicMergePatch(
          round.object,
          parse(remediation.kubernetesPatch) as Record<string, unknown>,
        );
      }
      round.context = patchedContext(round.context, remediation.kubernetesManifest);
      if (remediation.kubernetesPatch || remediation.kubernetesManifest)
        round.applied.push(`${containerKey(facts)} ${check.id}`);
    }
  }
  return round;
}

export interface TogetherReport {
  /** Rounds of "apply every fix shown, evaluate again" until nothing fixable fails; 1 when fixes never collide. */
  rounds: number;
  problems: string[];
}

/**
 * Applies every rendered fix of the object at once, then again on what still fails (as a user re-scanning
 * would), up to three rounds: every finding with a complete fix must close, and nothing that passed may fail.
 */
export function proveAllFixesTogether(
  object: Record<string, unknown>,
  context: KubernetesContext,
  checks: readonly CheckDefinition[],
): TogetherReport {
  const before = evaluateAll(normalize(object, context), checks);
  let current: Round = { object, context, applied: [] };
  let expectedToClose: string[] = [];
  let rounds = 0;
  while (rounds < MAX_ROUNDS) {
    const next = applyRound(current.object, current.context, checks);
    if (next.applied.length === 0) break;
    if (rounds === 0) expectedToClose = next.applied;
    current = next;
    rounds += 1;
  }
  const after = evaluateAll(normalize(current.object, current.context), checks);
  const stillFailing = expectedToClose.filter((key) => {
    const [container = "", checkId = ""] = key.split(" ");
    return after.get(container)?.get(checkId) !== "pass";
  });
  const problems = [
    ...stillFailing.map((key) => `${context.source} ${key}: still failing after ${rounds} rounds of every fix`),
    ...regressions(before, after).map((broken) => `${context.source} every fix applied broke ${broken}`),
  ];
  return { rounds: Math.max(rounds, 1), problems };
}

export interface CombinedReport {
  /** Failing results the combined fix closed. */
  closed: number;
  /** The fix holds a digest placeholder (proven with a sample digest in its place). */
  templated: boolean;
  problems: string[];
}

/** Statuses by `container checkId`, the combined fix's naming. */
function statusesByName(input: WorkloadInput, checks: readonly CheckDefinition[]): Map<string, Status> {
  const statuses = new Map<string, Status>();
  for (const facts of kubernetesFacts(input)) {
    for (const check of checks) statuses.set(`${facts.name} ${check.id}`, evaluateFacts(check, facts).status);
  }
  return statuses;
}

/**
 * Applies the workload's combined fix once (the patch, or a bare Pod's edited manifest, and its NetworkPolicies)
 * and evaluates again: every result it names must pass and nothing that passed may fail.
 */
export function proveCombinedFix(
  object: Record<string, unknown>,
  context: KubernetesContext,
  checks: readonly CheckDefinition[],
): CombinedReport {
  const input = normalize(object, context);
  const evaluation = evaluateWorkload(input, { checks });
  const failing = evaluation.containers.flatMap((c) =>
    c.checks.filter((r) => r.status === "fail" && !r.excepted && r.remediation).map((r) => ({ c, r })),
  );
  const fix = evaluation.remediation;
  const report: CombinedReport = { closed: 0, templated: false, problems: [] };
  if (!fix) {
    if (failing.some(({ r }) => r.remediation?.kubernetesPatch || r.remediation?.kubernetesManifest))
      report.problems.push(`${context.source}: fixable failures but no combined fix`);
    return report;
  }
  const text = fix.podManifest ?? fix.kubernetesPatch ?? "";
  report.templated = PLACEHOLDER.test(text);
  let fixed = object;
  if (fix.podManifest) fixed = parsePatch(fix.podManifest);
  else if (fix.kubernetesPatch) fixed = applyStrategicMergePatch(object, parsePatch(fix.kubernetesPatch));
  let fixedContext = context;
  for (const manifest of (fix.kubernetesManifest ?? "").split(/^---\n/m).filter(Boolean))
    fixedContext = patchedContext(fixedContext, manifest);
  const before = statusesByName(input, checks);
  const after = statusesByName(normalize(fixed, fixedContext), checks);
  for (const key of fix.closes) {
    if (after.get(key) === "pass") report.closed += 1;
    else report.problems.push(`${context.source} ${key}: still ${after.get(key) ?? "missing"} after the combined fix`);
  }
  for (const [key, status] of before) {
    if (status === "pass" && after.get(key) !== "pass")
      report.problems.push(`${context.source} the combined fix broke ${key} pass→${after.get(key) ?? "missing"}`);
  }
  return report;
}
