"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";

export interface AddTargetState {
  error: string | null;
  /** Field name → message, from validation. */
  fieldErrors: Record<string, string>;
  addedName: string | null;
}

export const INITIAL_ADD_TARGET_STATE: AddTargetState = { error: null, fieldErrors: {}, addedName: null };

type AddTargetAction = (state: AddTargetState, formData: FormData) => Promise<AddTargetState>;

function Field(props: { name: string; label: string; placeholder?: string; hint?: string; error?: string; required?: boolean }) {
  const { name, label, placeholder, hint, error, required } = props;
  return (
    <label className="block text-sm">
      <span className="font-medium text-slate-700">{label}</span>
      <input
        name={name}
        placeholder={placeholder}
        required={required}
        aria-invalid={error ? true : undefined}
        className="mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 font-mono text-sm focus:border-slate-500 focus:outline-none"
      />
      {error ? <span className="mt-1 block text-xs text-red-700">{error}</span> : null}
      {!error && hint ? <span className="mt-1 block text-xs text-slate-500">{hint}</span> : null}
    </label>
  );
}

export function AddDockerTargetForm({ action }: { action: AddTargetAction }) {
  const [state, formAction, isPending] = useActionState(action, INITIAL_ADD_TARGET_STATE);
  const errors = state.fieldErrors;
  return (
    <form action={formAction} aria-label="Add a Docker target" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="text-base font-semibold">Add a Docker host</h2>
      <div className="grid gap-3 md:grid-cols-2">
        <Field name="name" label="Name" placeholder="build-host-1" required error={errors.name} />
        <Field
          name="url"
          label="Docker URL"
          placeholder="unix:///var/run/docker.sock"
          hint="unix:///path/to/docker.sock or tcp://host:2376"
          required
          error={errors.url}
        />
        <Field name="tlsCaFile" label="TLS CA file" placeholder="/etc/rampart/docker/ca.pem" error={errors.tlsCaFile} />
        <Field name="tlsCertFile" label="TLS client certificate file" placeholder="/etc/rampart/docker/cert.pem" error={errors.tlsCertFile} />
        <Field name="tlsKeyFile" label="TLS client key file" placeholder="/etc/rampart/docker/key.pem" error={errors.tlsKeyFile} />
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={isPending}>
          {isPending ? "Adding…" : "Add target"}
        </Button>
        {state.error ? (
          <p role="alert" className="text-sm text-red-700">
            {state.error}
          </p>
        ) : null}
        {state.addedName ? (
          <p role="status" className="text-sm text-emerald-700">
            Added {state.addedName}; it will be polled shortly.
          </p>
        ) : null}
      </div>
    </form>
  );
}
