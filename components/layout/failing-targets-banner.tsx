import Link from "next/link";
import type { FailingTarget } from "@/lib/data/targets";
import { visibleText } from "@/lib/format/visible-text";

/** Shown on every page while any enabled target's last poll failed, naming them, so a silent outage is seen. */
export function FailingTargetsBanner({ targets }: { targets: FailingTarget[] }) {
  if (targets.length === 0) return null;
  const names = targets.slice(0, 3).map((t) => visibleText(t.name));
  const more = targets.length > 3 ? ` and ${targets.length - 3} more` : "";
  return (
    <section
      aria-label="Failing targets"
      className="mb-4 rounded-lg border border-red-200 bg-red-50 px-4 py-2 text-sm text-red-800"
    >
      {targets.length === 1 ? "A target's" : `${targets.length} targets'`} last poll failed: {names.join(", ")}
      {more}. Their findings are as of their last successful poll.{" "}
      <Link href="/targets" className="font-medium underline">
        See Targets
      </Link>
    </section>
  );
}
