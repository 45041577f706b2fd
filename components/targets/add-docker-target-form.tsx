"use client";

import { startTransition, useActionState, useEffect, useRef, type FormEvent } from "react";
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

/** A PEM file input with a paste box beside it; the upload wins when both are given. */
function PemField({ name, label, error }: { name: string; label: string; error: string | undefined }) {
  return (
    <div className="text-sm">
      <label className="block">
        <span className="font-medium text-slate-700">{label.charAt(0).toUpperCase() + label.slice(1)} file</span>
        <input
          type="file"
          name={`${name}Upload`}
          accept=".pem,.crt,.key,text/plain"
          aria-invalid={error ? true : undefined}
          className="mt-1 block w-full text-xs"
        />
      </label>
      <label className="mt-1 block">
        <span className="text-xs text-slate-500">or paste the {label} (PEM)</span>
        <textarea
          name={name}
          rows={2}
          autoComplete="off"
          placeholder="-----BEGIN …-----"
          aria-invalid={error ? true : undefined}
          className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 font-mono text-xs aria-invalid:border-red-500"
        />
      </label>
      {error ? <span className="mt-1 block text-xs text-red-700">{error}</span> : null}
    </div>
  );
}

export function AddDockerTargetForm({ action }: { action: AddTargetAction }) {
  const [state, formAction, isPending] = useActionState(action, INITIAL_ADD_TARGET_STATE);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.addedName) formRef.current?.reset();
  }, [state]);
  // Submitted by hand so React does not reset the form: files chosen before "Test connection" stay for "Add".
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const formData = new FormData(event.currentTarget, submitter);
    startTransition(() => formAction(formData));
  };
  return (
    <form
      ref={formRef}
      onSubmit={onSubmit}
      aria-label="Add a Docker target"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 className="text-base font-semibold">Add a Docker host</h2>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
        <Field name="name" label="Name" placeholder="build-host-1" required state={state} />
        <Field
          name="url"
          label="Docker URL"
          placeholder="unix:///var/run/docker.sock"
          hint="unix:///path/to/docker.sock or tcp://host:2376"
          required
          state={state}
        />
      </div>
      <fieldset className="grid grid-cols-1 gap-3 md:grid-cols-3">
        <legend className="mb-1 text-sm font-medium text-slate-700">
          TLS for tcp:// (ca.pem, cert.pem, key.pem): upload or paste; stored encrypted, never shown again
        </legend>
        <PemField name="tlsCa" label="CA certificate" error={state.fieldErrors.tlsCa} />
        <PemField name="tlsCert" label="client certificate" error={state.fieldErrors.tlsCert} />
        <PemField name="tlsKey" label="client key" error={state.fieldErrors.tlsKey} />
      </fieldset>
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
