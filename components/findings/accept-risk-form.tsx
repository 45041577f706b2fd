"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ACCEPT_RISK_FORM } from "./violations-table";

export interface AcceptRiskState {
  error: string | null;
  accepted: number;
}

const FIELD = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The selected rows' checkboxes belong to this form through their `form` attribute. */
export function AcceptRiskForm({
  action,
}: {
  action: (state: AcceptRiskState, data: FormData) => Promise<AcceptRiskState>;
}) {
  const [state, formAction, isPending] = useActionState(action, { error: null, accepted: 0 });
  const [selected, setSelected] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.accepted > 0) formRef.current?.querySelector("dialog")?.close();
  }, [state]);
  const countSelected = () =>
    setSelected(document.querySelectorAll(`input[form="${ACCEPT_RISK_FORM}"][name="findingId"]:checked`).length);
  return (
    <form
      ref={formRef}
      id={ACCEPT_RISK_FORM}
      action={formAction}
      onFocusCapture={countSelected}
      className="flex items-center gap-3"
    >
      <Dialog
        title="Accept the risk of the selected findings"
        openLabel="Accept risk of selected…"
        openVariant="secondary"
      >
        <p className="mb-3 text-sm text-slate-700">
          {selected} finding{selected === 1 ? "" : "s"} selected. Each gets an exception scoped to its check, target,
          namespace, workload and container; it is shown as excepted and left out of scores until it expires.
        </p>
        <div className="space-y-3">
          <label className="block text-sm font-medium text-slate-800">
            Reason
            <textarea name="reason" required maxLength={2000} rows={3} className={FIELD} />
          </label>
          <label className="block text-sm font-medium text-slate-800">
            Owner
            <input name="owner" required maxLength={200} className={FIELD} placeholder="team or person" />
          </label>
          <label className="block text-sm font-medium text-slate-800">
            Expires on
            <input name="expiresAt" type="date" required min={inDays(1)} defaultValue={inDays(30)} className={FIELD} />
          </label>
          <Button type="submit" disabled={isPending}>
            {isPending ? "Accepting…" : "Accept risk"}
          </Button>
        </div>
      </Dialog>
      <p role="status" className="text-sm">
        {state.error ? <span className="text-red-700">{state.error}</span> : null}
        {state.accepted > 0 ? (
          <span className="text-emerald-800">
            Accepted the risk of {state.accepted} finding{state.accepted === 1 ? "" : "s"}.
          </span>
        ) : null}
      </p>
    </form>
  );
}
