"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";

type Outcome = { ok: boolean; message: string } | null;

export function TestConnectionButton({
  targetId,
  name,
  action,
}: {
  targetId: string;
  name: string;
  action: (state: Outcome, formData: FormData) => Promise<Outcome>;
}) {
  const [outcome, formAction, isPending] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-1">
      <input type="hidden" name="targetId" value={targetId} />
      <Button size="sm" variant="secondary" disabled={isPending} aria-label={`Test connection to ${name}`}>
        {isPending ? "Testing…" : "Test connection"}
      </Button>
      {outcome ? (
        <p role="status" className={outcome.ok ? "text-xs text-emerald-700" : "text-xs break-words text-red-700"}>
          {outcome.ok ? "Connected: " : "Failed: "}
          <span className="font-mono">{outcome.message}</span>
        </p>
      ) : null}
    </form>
  );
}
