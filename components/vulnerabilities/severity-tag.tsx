import { Badge, type Tone } from "@/components/ui/badge";
import type { ReportSeverity } from "@/lib/reports/model";

const TONE: Record<ReportSeverity, Tone> = {
  CRITICAL: "red",
  HIGH: "orange",
  MEDIUM: "amber",
  LOW: "sky",
  UNKNOWN: "slate",
};

export function SeverityTag({ severity }: { severity: ReportSeverity }) {
  return <Badge tone={TONE[severity]}>{severity.toLowerCase()}</Badge>;
}

/** Only web links from a report become links; anything else is shown as text. */
export function safeLink(link: string | null): string | null {
  return link && /^https?:\/\//i.test(link) ? link : null;
}
