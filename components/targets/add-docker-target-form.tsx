"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";

export interface AddTargetState {
  error: string | null;
  /** Field name → message, from validation. */
  fieldErrors: Record<string, string>;
  addedName: string | null;
  /** What was typed, given back after a rejected submit so nothing has to be typed again. */
  values: Record<string, string>;
  /** Result of "Test connection": what answered, or the collector's exact error. */
  connection: { ok: boolean; message: string } | null;
}

export const INITIAL_ADD_TARGET_STATE: AddTargetState = {
  error: null,
  fieldErrors: {},
  addedName: null,
  values: {},
  connection: null,
};

export type AddTargetAction = (state: AddTargetState, formData: FormData) => Promise<AddTargetState>;

export interface FieldProps {
  name: string;
  label: string;
  state: AddTargetState;
  placeholder?: string;
  hint?: string;
  required?: boolean;
}

export function Field({ name, label, state, placeholder, hint, required }: FieldProps) {
  const error = state.fieldErrors[name];
  return (
    <label className="block text-sm">
      <span className="font-medium text-slate-700">{label}</span>
      <input
        name={name}
        defaultValue={state.values[name] ?? ""}
        placeholder={placeholder}
        required={required}
        aria-invalid={error ? true : undefined}
        className="mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 font-mono text-sm focus:border-slate-500 focus:outline-none aria-invalid:border-red-500"
      />
      {error ? <span className="mt-1 block text-xs text-red-700">{error}</span> : null}
      {!error && hint ? <span className="mt-1 block text-xs text-slate-500">{hint}</span> : null}
    </label>
  );
}

/** The messages under an add-target form: validation, connection test, and success. */
export function FormOutcome({ state }: { state: AddTargetState }) {
  return (
    <>
      {state.error ? (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      {state.connection ? (
        <p
          role="status"
          className={state.connection.ok ? "text-sm text-emerald-700" : "text-sm break-words text-red-700"}
        >
          {state.connection.ok ? "Connected: " : "Connection failed: "}
          <span className="font-mono">{state.connection.message}</span>
        </p>
      ) : null}
      {state.addedName ? (
        <p role="status" className="text-sm text-emerald-700">
          Added {state.addedName}; it will be polled shortly.
        </p>
      ) : null}
    </>
  );
}

export function AddDockerTargetForm({ action }: { action: AddTargetAction }) {
  const [state, formAction, isPending] = useActionState(action, INITIAL_ADD_TARGET_STATE);
  return (
    <form
      action={formAction}
      aria-label="Add a Docker target"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 className="text-base font-semibold">Add a Docker host</h2>
      <div className="grid gap-3 md:grid-cols-2">
        <Field name="name" label="Name" placeholder="build-host-1" required state={state} />
        <Field
          name="url"
          label="Docker URL"
          placeholder="unix:///var/run/docker.sock"
          hint="unix:///path/to/docker.sock or tcp://host:2376"
          required
          state={state}
        />
        <Field name="tlsCaFile" label="TLS CA file" placeholder="/etc/rampart/docker/ca.pem" state={state} />
        <Field
          name="tlsCertFile"
          label="TLS client certificate file"
          placeholder="/etc/rampart/docker/cert.pem"
          state={state}
        />
        <Field name="tlsKeyFile" label="TLS client key file" placeholder="/etc/rampart/docker/key.pem" state={state} />
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          name="includeStopped"
          value="true"
          defaultChecked={state.values.includeStopped === "true"}
          className="size-4"
        />
        Also judge stopped containers
      </label>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={isPending}>
          {isPending ? "Working…" : "Add target"}
        </Button>
        <Button type="submit" name="intent" value="test" variant="secondary" disabled={isPending}>
          Test connection
        </Button>
      </div>
      <FormOutcome state={state} />
    </form>
  );
}
