import type { CheckDefinition, CheckReferences } from "./define-check";
import type { Platform } from "@/lib/domain/facts";
import type { Severity } from "@/lib/domain/severity";
import { CHECKS } from "./registry";

/** What the UI shows about a check: plain data, no evaluators or remediation functions. */
export interface CheckMeta {
  id: string;
  title: string;
  severity: Severity;
  category: CheckDefinition["category"];
  seed: boolean;
  rationale: string;
  threat: string;
  references: CheckReferences;
  /** How it is judged on each platform (a generated sentence where it does not apply). */
  judged: Record<Platform, string>;
  remediationSummary: string;
  evidence: CheckDefinition["evidence"] | null;
}

export function toCheckMeta(check: CheckDefinition): CheckMeta {
  return {
    id: check.id,
    title: check.title,
    severity: check.severity,
    category: check.category,
    seed: check.seed,
    rationale: check.rationale,
    threat: check.threat,
    references: structuredClone(check.references),
    judged: { ...check.judged },
    remediationSummary: check.fixSummary,
    evidence: check.evidence ?? null,
  };
}

export const CHECK_CATALOG: readonly CheckMeta[] = CHECKS.map(toCheckMeta);

export function getCheckMeta(id: string): CheckMeta | undefined {
  return CHECK_CATALOG.find((meta) => meta.id === id);
}
