"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { RunStatus } from "@/lib/data/targets";
import { Button } from "@/components/ui/button";

type Phase = "queued" | "running" | "done";

const PHASE_TEXT: Record<Phase, string> = { queued: "Queued…", running: "Polling…", done: "Done" };

/**
 * Poll now, then say what happens: queued until a worker starts the run, running, then done with the run's
 * status. The page's server data is refreshed every 1.5 s meanwhile, so the run shown is the stored one.
 */
export function PollNowButton({
  targetId,
  name,
  isEnabled,
  lastRun,
  action,
}: {
  targetId: string;
  name: string;
  isEnabled: boolean;
  lastRun: { id: string; status: RunStatus } | null;
  action: (formData: FormData) => Promise<void>;
}) {
  const router = useRouter();
  const [asked, setAsked] = useState<{ afterRunId: string | null } | null>(null);
  const isNewRun = asked !== null && lastRun !== null && lastRun.id !== asked.afterRunId;
  const phase: Phase | null =
    asked === null ? null : !isNewRun ? "queued" : lastRun?.status === "running" ? "running" : "done";
  useEffect(() => {
    if (phase !== "queued" && phase !== "running") return;
    const timer = setInterval(() => router.refresh(), 1_500);
    return () => clearInterval(timer);
  }, [phase, router]);
  return (
    <form
      action={async (formData) => {
        setAsked({ afterRunId: lastRun?.id ?? null });
        await action(formData);
      }}
      className="inline-flex items-center gap-1.5"
    >
      <input type="hidden" name="targetId" value={targetId} />
      <Button
        size="sm"
        variant="secondary"
        disabled={!isEnabled || phase === "queued" || phase === "running"}
        aria-label={`Poll ${name} now`}
      >
        Poll now
      </Button>
      {phase ? (
        <span role="status" aria-label={`Poll of ${name}`} className="text-xs whitespace-nowrap text-slate-600">
          {phase === "done" && lastRun ? `Done: ${lastRun.status}` : PHASE_TEXT[phase]}
        </span>
      ) : null}
    </form>
  );
}
