"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";

export interface ExceptionFormState {
  error: string | null;
  created: boolean;
}

const FIELD = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
const LABEL = "block text-sm font-medium text-slate-800";

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

function Text({ name, label, hint }: { name: string; label: string; hint: string }) {
  return (
    <label className={LABEL}>
      {label}
      <input name={name} aria-label={label} maxLength={500} placeholder={hint} className={FIELD} />
    </label>
  );
}

export function ExceptionForm(props: {
  checks: { id: string; title: string }[];
  targets: { id: string; name: string }[];
  action: (state: ExceptionFormState, data: FormData) => Promise<ExceptionFormState>;
}) {
  const [state, formAction, isPending] = useActionState(props.action, { error: null, created: false });
  return (
    <form
      action={formAction}
      aria-label="Accept a risk"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
    >
      <p className="text-sm text-slate-700">
        The check is required; every other scope field left empty matches anything. Workload takes a name or
        <span className="font-mono"> Kind/name</span>; an image without tag or digest covers all of its tags.
      </p>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
        <label className={LABEL}>
          Check
          <select name="checkId" aria-label="Check" required className={FIELD} defaultValue="">
            <option value="" disabled>
              choose a check
            </option>
            {props.checks.map((c) => (
              <option key={c.id} value={c.id}>
                {c.id} — {c.title}
              </option>
            ))}
          </select>
        </label>
        <label className={LABEL}>
          Target
          <select name="targetId" aria-label="Target" className={FIELD} defaultValue="">
            <option value="">any target</option>
            {props.targets.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <Text name="namespace" label="Namespace" hint="any namespace" />
        <Text name="workload" label="Workload" hint="any workload, e.g. Deployment/api" />
        <Text name="container" label="Container" hint="any container" />
        <Text name="image" label="Image" hint="any image, e.g. ghcr.io/acme/api" />
      </div>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
        <label className={`${LABEL} md:col-span-3`}>
          Reason
          <textarea name="reason" required maxLength={2000} rows={2} className={FIELD} />
        </label>
        <label className={LABEL}>
          Owner
          <input name="owner" required maxLength={200} placeholder="team or person" className={FIELD} />
        </label>
        <label className={LABEL}>
          Expires on
          <input name="expiresAt" type="date" required min={inDays(1)} defaultValue={inDays(90)} className={FIELD} />
        </label>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={isPending}>
          {isPending ? "Saving…" : "Accept risk"}
        </Button>
        <p role="status" className="text-sm">
          {state.error ? <span className="text-red-700">{state.error}</span> : null}
          {state.created && !state.error ? <span className="text-emerald-800">Exception created.</span> : null}
        </p>
      </div>
    </form>
  );
}
