import type { Severity } from "@/lib/domain/severity";
import { Badge, type Tone } from "@/components/ui/badge";

export const SEVERITY_TONE: Record<Severity, Tone> = {
  critical: "red",
  high: "orange",
  medium: "amber",
  low: "sky",
};

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge tone={SEVERITY_TONE[severity]}>{severity}</Badge>;
}
