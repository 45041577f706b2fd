import type { RunStatus } from "@/lib/data/targets";
import { Badge, type Tone } from "@/components/ui/badge";

const RUN_STATUS_TONE: Record<RunStatus, Tone> = {
  succeeded: "green",
  partial: "amber",
  failed: "red",
  running: "sky",
};

export function RunStatusBadge({ status }: { status: RunStatus | null }) {
  if (status === null) return <Badge>not polled yet</Badge>;
  return <Badge tone={RUN_STATUS_TONE[status]}>{status}</Badge>;
}
