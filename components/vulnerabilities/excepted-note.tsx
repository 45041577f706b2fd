import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import type { ExceptedBy } from "@/lib/data/vulnerability-excepted";
import { visibleText } from "@/lib/format/visible-text";

const VEX_STATUS: Record<string, string> = { not_affected: "not affected", fixed: "fixed" };

/** Why a vulnerability does not count as open: the VEX statement's justification, or the accepted risk. */
export function ExceptedNote({ by }: { by: ExceptedBy }) {
  if (by.kind === "vex")
    return (
      <span className="text-xs text-slate-700">
        <Badge tone="green">excepted</Badge> VEX: {VEX_STATUS[by.status] ?? visibleText(by.status)}
        {by.justification ? <>, {visibleText(by.justification).replaceAll("_", " ")}</> : null}
      </span>
    );
  return (
    <span className="text-xs text-slate-700">
      <Badge tone="green">excepted</Badge> risk accepted: {visibleText(by.reason)} (owner {visibleText(by.owner)},
      expires <Time value={by.expiresAt} />)
    </span>
  );
}
