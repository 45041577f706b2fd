"use client";

import { startTransition, useActionState, useEffect, useRef, useState, type ChangeEvent, type FormEvent } from "react";
import { parse } from "yaml";
import { Button } from "@/components/ui/button";
import { Field, FormOutcome, INITIAL_ADD_TARGET_STATE, type AddTargetAction } from "./add-docker-target-form";

type Mode = "kubeconfig" | "token";

/** Context names of a kubeconfig, read in the browser only to offer the picker; nothing is sent until submit. */
function contextsOf(text: string): { names: string[]; current: string | null } {
  try {
    const config = parse(text) as { contexts?: { name?: unknown }[]; "current-context"?: unknown };
    const names = (config.contexts ?? []).map((c) => c.name).filter((n): n is string => typeof n === "string");
    const current = typeof config["current-context"] === "string" ? config["current-context"] : null;
    return { names, current };
  } catch {
    return { names: [], current: null };
  }
}

function ErrorText({ message }: { message: string | undefined }) {
  return message ? <span className="mt-1 block text-xs text-red-700">{message}</span> : null;
}

function KubeconfigFields({ errors }: { errors: Record<string, string> }) {
  const [contexts, setContexts] = useState<{ names: string[]; current: string | null }>({ names: [], current: null });
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setContexts(file ? contextsOf(await file.text()) : { names: [], current: null });
  };
  return (
    <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
      <label className="block text-sm">
        <span className="font-medium text-slate-700">Kubeconfig file</span>
        <input
          type="file"
          name="kubeconfigFile"
          onChange={onFile}
          aria-invalid={errors.kubeconfig ? true : undefined}
          className="mt-1 block w-full text-sm"
        />
        <ErrorText message={errors.kubeconfig} />
        <span className="mt-1 block text-xs text-slate-500">Stored encrypted; never shown again.</span>
      </label>
      <label className="block text-sm">
        <span className="font-medium text-slate-700">Context</span>
        <select
          name="context"
          key={contexts.names.join("|")}
          defaultValue={contexts.current ?? ""}
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm"
        >
          <option value="">{contexts.names.length ? "current context" : "upload a kubeconfig first"}</option>
          {contexts.names.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <ErrorText message={errors.context} />
      </label>
    </div>
  );
}

function TokenFields({ state }: { state: Parameters<typeof Field>[0]["state"] }) {
  return (
    <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
      <Field name="url" label="API server URL" placeholder="https://10.0.0.1:6443" required state={state} />
      <label className="block text-sm">
        <span className="font-medium text-slate-700">Bearer token</span>
        <input
          type="password"
          name="token"
          autoComplete="off"
          aria-invalid={state.fieldErrors.token ? true : undefined}
          className="mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 font-mono text-sm"
        />
        <ErrorText message={state.fieldErrors.token} />
      </label>
      <label className="block text-sm md:col-span-2">
        <span className="font-medium text-slate-700">CA certificate (PEM)</span>
        <textarea
          name="ca"
          rows={3}
          placeholder="-----BEGIN CERTIFICATE-----"
          className="mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 font-mono text-xs"
        />
      </label>
    </div>
  );
}

export function AddClusterTargetForm({
  action,
  rbac,
}: {
  action: AddTargetAction;
  rbac: { clusterRole: string; role: string };
}) {
  const [state, formAction, isPending] = useActionState(action, INITIAL_ADD_TARGET_STATE);
  const [mode, setMode] = useState<Mode>(state.values.mode === "token" ? "token" : "kubeconfig");
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.addedName) formRef.current?.reset();
  }, [state]);
  // Submitted by hand so React does not reset the form: a token typed before "Test connection" stays in the
  // browser for "Add cluster" without the server ever sending it back.
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
      aria-label="Add a Kubernetes cluster"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 className="text-base font-semibold">Add a Kubernetes cluster</h2>
      <Field name="name" label="Name" placeholder="prod-eu" required state={state} />
      <fieldset className="flex gap-4 text-sm">
        <legend className="sr-only">How Rampart reaches the cluster</legend>
        {(["kubeconfig", "token"] as const).map((value) => (
          <label key={value} className="flex items-center gap-1.5">
            <input type="radio" name="mode" value={value} checked={mode === value} onChange={() => setMode(value)} />
            {value === "kubeconfig" ? "Kubeconfig upload" : "URL + token + CA"}
          </label>
        ))}
      </fieldset>
      {mode === "kubeconfig" ? <KubeconfigFields errors={state.fieldErrors} /> : <TokenFields state={state} />}
      <Field
        name="namespaces"
        label="Namespaces (optional)"
        placeholder="shop, payments"
        hint="Only for a namespaced Role; leave empty with the ClusterRole."
        state={state}
      />
      <details className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
        <summary className="cursor-pointer font-medium">Read-only RBAC to apply first (get, list, watch)</summary>
        <p className="mt-2 text-xs text-slate-600">
          Apply with <code className="font-mono">kubectl apply -f rampart-rbac.yaml</code>, then use the
          ServiceAccount&apos;s token. For a few namespaces only, use the Role instead.
        </p>
        <h3 className="mt-2 text-xs font-semibold">ClusterRole</h3>
        <pre className="mt-1 max-h-64 overflow-auto rounded bg-white p-2 font-mono text-xs">{rbac.clusterRole}</pre>
        <h3 className="mt-2 text-xs font-semibold">Role (per namespace)</h3>
        <pre className="mt-1 max-h-64 overflow-auto rounded bg-white p-2 font-mono text-xs">{rbac.role}</pre>
      </details>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={isPending}>
          {isPending ? "Working…" : "Add cluster"}
        </Button>
        <Button type="submit" name="intent" value="test" variant="secondary" disabled={isPending}>
          Test connection
        </Button>
      </div>
      <FormOutcome state={state} />
    </form>
  );
}
