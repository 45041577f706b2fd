import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { PendingButton } from "./demo-button";

/** What a new user sees before any target is polled: add a real target, or look around with a demo fleet. */
export function DemoEmptyState({
  canAdmin,
  loadDemo,
}: {
  canAdmin: boolean;
  loadDemo: (formData: FormData) => Promise<void>;
}) {
  return (
    <EmptyState title="Nothing polled yet">
      <p>
        Add a Docker host or a Kubernetes cluster and Rampart polls it on its own schedule; the overview fills in after
        the first run.
      </p>
      <div className="mt-4 flex flex-wrap items-center justify-center gap-3">
        <Link
          href="/targets"
          className="rounded-md bg-slate-900 px-3.5 py-2 text-sm font-medium text-white hover:bg-slate-700"
        >
          Add a target
        </Link>
        {canAdmin ? (
          <form action={loadDemo}>
            <PendingButton variant="secondary" pendingText="Loading demo fleet… (about a minute)">
              Load demo fleet
            </PendingButton>
          </form>
        ) : null}
      </div>
      {canAdmin ? (
        <p className="mt-3 text-xs text-slate-500">
          The demo simulates three clusters and two Docker hosts with 90 days of history (about a minute); its targets
          are named demo-… and are removed with one button on the Targets page.
        </p>
      ) : (
        <p className="mt-3 text-xs text-slate-500">An admin can add targets or load a demo fleet.</p>
      )}
    </EmptyState>
  );
}
