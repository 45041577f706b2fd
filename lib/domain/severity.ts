export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 10, high: 6, medium: 3, low: 1 };

export const STATUSES = ["pass", "fail", "not-applicable", "not-evaluated"] as const;
export type Status = (typeof STATUSES)[number];

export function isSeverityAtLeast(severity: Severity, floor: Severity): boolean {
  return SEVERITY_WEIGHT[severity] >= SEVERITY_WEIGHT[floor];
}
