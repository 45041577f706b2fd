import { CHECKS } from "@/lib/checks/registry";
import { evaluateFacts, type CheckDefinition } from "@/lib/checks/define-check";
import { imageDigestsOf, type ContainerFacts, type WorkloadInput } from "@/lib/domain/facts";
import type {
  CheckOutcome,
  CheckResult,
  ContainerEvaluation,
  Excepted,
  Remediation,
  WorkloadEvaluation,
  WorkloadFix,
} from "@/lib/domain/result";
import { evaluatePodSecurity } from "@/lib/pss";
import { combineFixes, renderRemediation } from "@/lib/remediation";
import { containerScore } from "@/lib/scoring";
import { EXEMPT_ANNOTATION_PREFIX, ruleExemption, type ExceptionRule, type ExceptionScope } from "./exceptions";

export { exceptionApplies, type ExceptionRule, type ExceptionScope } from "./exceptions";

export interface EvaluateOptions {
  exceptions?: readonly ExceptionRule[];
  now?: Date;
  /** Target the workload was polled from, for exceptions scoped to a target. */
  targetId?: string;
  /** The checks to run; all of CHECKS by default. */
  checks?: readonly CheckDefinition[];
  /** Render a remediation for each failing result (default true). */
  remediation?: boolean;
}

/** Runs every check on every container of one workload, plus Pod Security for Kubernetes. Pure. */
export function evaluateWorkload(input: WorkloadInput, options: EvaluateOptions = {}): WorkloadEvaluation {
  const context: Context = {
    checks: options.checks ?? CHECKS,
    rules: options.exceptions ?? [],
    now: options.now ?? new Date(),
    targetId: options.targetId,
    exemptions: annotationExemptions(input),
    remediation: options.remediation ?? true,
  };
  const evaluation: WorkloadEvaluation = {
    workload: input.workload,
    source: input.source,
    containers: input.containers.map((facts) => evaluateContainer(facts, context)),
  };
  if (input.line !== undefined) evaluation.line = input.line;
  if (Object.keys(input.labels).length > 0) evaluation.labels = input.labels;
  if (input.namespaceLabels) evaluation.namespaceLabels = input.namespaceLabels;
  const first = input.containers[0];
  if (first?.platform === "kubernetes" && first.replicas !== undefined) evaluation.replicas = first.replicas;
  if (input.workload.platform === "kubernetes" && input.pod) evaluation.podSecurity = evaluatePodSecurity(input.pod);
  if (context.remediation && evaluation.containers.some((c) => c.checks.some(isOpenFailure))) {
    Object.defineProperty(evaluation, FIX, { value: input, writable: true });
    Object.defineProperty(evaluation, "remediation", WORKLOAD_FIX_ACCESSOR);
  }
  return evaluation;
}

function isOpenFailure(result: CheckResult): boolean {
  return result.status === "fail" && result.excepted === undefined;
}

type LazyEvaluation = WorkloadEvaluation & { [FIX]: WorkloadInput | WorkloadFix | undefined };

/** The combined fix, like a result's fix, renders on first read: only its readers pay for it. */
const WORKLOAD_FIX_ACCESSOR: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: LazyEvaluation): WorkloadFix | undefined {
    const pending = this[FIX];
    if (pending === undefined || "closes" in pending) return pending;
    const rendered = safeCombinedFix(this, pending);
    this[FIX] = rendered;
    return rendered;
  },
  set(this: LazyEvaluation, value: WorkloadFix | undefined) {
    this[FIX] = value;
  },
};

function safeCombinedFix(evaluation: WorkloadEvaluation, input: WorkloadInput): WorkloadFix | undefined {
  const fixes = evaluation.containers.flatMap((container) =>
    container.checks
      .filter(isOpenFailure)
      .flatMap((result) =>
        result.remediation
          ? [{ container: container.name, checkId: result.checkId, remediation: result.remediation }]
          : [],
      ),
  );
  try {
    return combineFixes(input, fixes);
  } catch {
    return undefined;
  }
}

interface Context {
  checks: readonly CheckDefinition[];
  rules: readonly ExceptionRule[];
  now: Date;
  targetId: string | undefined;
  exemptions: Map<string, string> | undefined;
  remediation: boolean;
}

function evaluateContainer(facts: ContainerFacts, context: Context): ContainerEvaluation {
  const checks = context.checks.map((check) => evaluateCheck(check, facts, context));
  const evaluation: ContainerEvaluation = {
    name: facts.name,
    image: facts.image,
    score: containerScore(checks),
    checks,
  };
  if (facts.imageDigest !== undefined) evaluation.imageDigest = facts.imageDigest;
  const digests = imageDigestsOf(facts);
  if (digests.length) evaluation.imageDigests = digests.map((d) => d.digest);
  return evaluation;
}

function evaluateCheck(check: CheckDefinition, facts: ContainerFacts, context: Context): CheckResult {
  const outcome = runCheck(check, facts);
  const result =
    outcome.status === "fail" && context.remediation
      ? failingResult(outcome, check, facts)
      : plainResult(outcome, check);
  if (context.exemptions === undefined && context.rules.length === 0) return result;
  const excepted = exemptionFor(check.id, facts, context);
  if (excepted) result.excepted = excepted;
  return result;
}

// Every result is built by this literal with fixed keys (absent fields hold undefined), so readers (scoring,
// output, storage) see two object shapes instead of dozens; JSON omits the undefined fields.
function plainResult(outcome: CheckOutcome, check: CheckDefinition): CheckResult {
  return {
    checkId: check.id,
    severity: check.severity,
    status: outcome.status,
    message: outcome.message,
    fieldPath: outcome.fieldPath,
    detail: outcome.detail,
  };
}

/** A failing result of a check without a fix on the facts' platform: plainResult's keys, then its remediation. */
function summaryResult(outcome: CheckOutcome, check: CheckDefinition, facts: ContainerFacts): CheckResult {
  return {
    checkId: check.id,
    severity: check.severity,
    status: outcome.status,
    message: outcome.message,
    fieldPath: outcome.fieldPath,
    detail: outcome.detail,
    remediation: safeRemediation(check, facts),
  };
}

/** A failing result's fix, until it is first read. */
class PendingFix {
  constructor(
    readonly check: CheckDefinition,
    readonly facts: ContainerFacts,
  ) {}
}

const FIX = Symbol("fix");
type LazyResult = CheckResult & { [FIX]: PendingFix | Remediation | undefined };

/**
 * Rendering a fix costs more than judging the check, and most consumers read few of them: `remediation` is an
 * own enumerable accessor, shared by all results, that renders on first read and keeps the value. Results stay
 * plain objects (spread, JSON, React props) that see an ordinary field.
 */
const REMEDIATION_ACCESSOR: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: LazyResult): Remediation | undefined {
    const fix = this[FIX];
    if (!(fix instanceof PendingFix)) return fix;
    const rendered = safeRemediation(fix.check, fix.facts);
    this[FIX] = rendered;
    return rendered;
  },
  set(this: LazyResult, value: Remediation | undefined) {
    this[FIX] = value;
  },
};

function failingResult(outcome: CheckOutcome, check: CheckDefinition, facts: ContainerFacts): CheckResult {
  // Without a fix as data on this platform the remediation is the check's summary alone: cheaper to give at once
  // than to define the lazy accessor (which costs more than rendering it), in the same key order.
  if (!check.platforms[facts.platform]?.fix) return summaryResult(outcome, check, facts);
  const result = plainResult(outcome, check);
  Object.defineProperty(result, FIX, { value: new PendingFix(check, facts), writable: true });
  return Object.defineProperty(result, "remediation", REMEDIATION_ACCESSOR);
}

function runCheck(check: CheckDefinition, facts: ContainerFacts): CheckOutcome {
  try {
    return evaluateFacts(check, facts);
  } catch (error) {
    return { status: "not-evaluated", message: `the check could not be evaluated: ${describeError(error)}` };
  }
}

function safeRemediation(check: CheckDefinition, facts: ContainerFacts): Remediation | undefined {
  try {
    return renderRemediation(check, facts);
  } catch {
    return undefined;
  }
}

// Engine-made TypeErrors name properties, never values; any other message could quote input data.
function describeError(error: unknown): string {
  if (error instanceof TypeError || error instanceof ReferenceError) return `${error.name}: ${error.message}`;
  return error instanceof Error ? error.name : "unknown error";
}

function exemptionFor(checkId: string, facts: ContainerFacts, context: Context): Excepted | undefined {
  const reason = context.exemptions?.get(checkId);
  if (reason !== undefined) return { source: "annotation", reason };
  if (context.rules.length === 0) return undefined;
  const scope: ExceptionScope = {
    checkId,
    namespace: facts.workload.namespace,
    workloadKind: facts.workload.kind,
    workload: facts.workload.name,
    container: facts.name,
    image: facts.image,
  };
  if (context.targetId !== undefined) scope.targetId = context.targetId;
  return ruleExemption(context.rules, scope, context.now);
}

/** `rampart.dev/exempt-<check-id>` annotations of the object and of its pod template; the object's win. */
function annotationExemptions(input: WorkloadInput): Map<string, string> | undefined {
  if (input.workload.platform !== "kubernetes") return undefined;
  let found: Map<string, string> | undefined;
  for (const annotations of [input.pod?.metadata?.annotations, objectAnnotations(input.object)]) {
    if (!annotations) continue;
    for (const [key, value] of Object.entries(annotations)) {
      if (!key.startsWith(EXEMPT_ANNOTATION_PREFIX) || typeof value !== "string") continue;
      found ??= new Map();
      found.set(key.slice(EXEMPT_ANNOTATION_PREFIX.length), value);
    }
  }
  return found;
}

function objectAnnotations(object: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const metadata = object?.metadata;
  if (typeof metadata !== "object" || metadata === null) return undefined;
  const annotations = (metadata as { annotations?: unknown }).annotations;
  return typeof annotations === "object" && annotations !== null ? (annotations as Record<string, unknown>) : undefined;
}
