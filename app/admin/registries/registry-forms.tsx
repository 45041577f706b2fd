"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import type { ImportFormState, RegistryFormState, TestState } from "./actions";

type Action<S> = (state: S, formData: FormData) => Promise<S>;

const INPUT =
  "mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-slate-500 focus:outline-none";
const LABEL = "font-medium text-slate-700";

/** Adds a registry or replaces the settings of a listed host; the password or token is write-only. */
export function SaveRegistryForm({ action }: { action: Action<RegistryFormState> }) {
  const [state, formAction, isPending] = useActionState(action, { error: null, saved: null });
  const [login, setLogin] = useState("basic");
  return (
    <form
      action={formAction}
      aria-label="Add or replace a registry"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 className="text-base font-semibold">Add or replace a registry</h2>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
        <label className="block text-sm">
          <span className={LABEL}>Host</span>
          <input name="host" required maxLength={255} placeholder="ghcr.io or 10.0.0.5:5000" className={INPUT} />
        </label>
        <label className="block text-sm">
          <span className={LABEL}>Login</span>
          <select name="login" value={login} onChange={(event) => setLogin(event.target.value)} className={INPUT}>
            <option value="basic">Username and password</option>
            <option value="token">Access token</option>
            <option value="anonymous">Anonymous</option>
          </select>
        </label>
      </div>
      {login === "basic" ? (
        <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
          <label className="block text-sm">
            <span className={LABEL}>Username</span>
            <input name="username" required maxLength={256} autoComplete="off" className={INPUT} />
          </label>
          <label className="block text-sm">
            <span className={LABEL}>Password</span>
            <input
              name="password"
              type="password"
              required
              maxLength={4096}
              autoComplete="new-password"
              className={INPUT}
            />
          </label>
        </div>
      ) : null}
      {login === "token" ? (
        <label className="block text-sm md:w-2/3">
          <span className={LABEL}>Token</span>
          <input
            name="token"
            type="password"
            required
            maxLength={16384}
            autoComplete="new-password"
            className={INPUT}
          />
        </label>
      ) : null}
      <label className="block text-sm">
        <span className={LABEL}>CA certificate (PEM, optional)</span>
        <textarea name="ca" rows={3} maxLength={65536} className={`${INPUT} font-mono text-xs`} />
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="insecure" />
        <span>Plain HTTP (insecure): only for a registry on a trusted network</span>
      </label>
      {state.error ? (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      {state.saved ? (
        <p role="status" className="text-sm text-green-800">
          Saved {state.saved}.
        </p>
      ) : null}
      <Button type="submit" disabled={isPending}>
        Save registry
      </Button>
    </form>
  );
}

/** Reads the `auths` of an uploaded `~/.docker/config.json`; credential helpers are named, never run. */
export function ImportConfigForm({ action }: { action: Action<ImportFormState> }) {
  const [state, formAction, isPending] = useActionState(action, { error: null, result: null });
  return (
    <form
      action={formAction}
      aria-label="Import a Docker config"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 className="text-base font-semibold">Import a Docker config.json</h2>
      <p className="text-sm text-slate-600">
        Each login under <code>auths</code> is saved as a registry (HTTPS, replacing a listed host). Credential helpers
        (<code>credsStore</code>, <code>credHelpers</code>) are never run: add those registries by hand.
      </p>
      <label className="block text-sm">
        <span className={LABEL}>File</span>
        <input name="config" type="file" accept=".json,application/json" required className="mt-1 block text-sm" />
      </label>
      {state.error ? (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      {state.result ? (
        <div role="status" aria-label="Import result" className="space-y-1 text-sm">
          <p>Imported {state.result.saved.length === 0 ? "nothing" : state.result.saved.join(", ")}.</p>
          {state.result.skipped.length > 0 ? (
            <ul className="list-disc pl-5">
              {state.result.skipped.map((skip) => (
                <li key={skip.host}>
                  Skipped {skip.host}: {skip.reason}.
                </li>
              ))}
            </ul>
          ) : null}
          {state.result.helpers.length > 0 ? <p>Not run: {state.result.helpers.join(", ")}.</p> : null}
        </div>
      ) : null}
      <Button type="submit" disabled={isPending}>
        Import
      </Button>
    </form>
  );
}

/** One read-only request to the registry with its stored settings, the outcome in words. */
export function TestRegistryButton({ id, host, action }: { id: string; host: string; action: Action<TestState> }) {
  const [state, formAction, isPending] = useActionState(action, { ok: null, message: null });
  return (
    <form action={formAction} className="space-y-1">
      <input type="hidden" name="id" value={id} />
      <Button size="sm" variant="secondary" disabled={isPending} aria-label={`Test ${host}`}>
        {isPending ? "Testing…" : "Test"}
      </Button>
      {state.message ? (
        <p
          role="status"
          aria-label={`Test result for ${host}`}
          className={`text-xs ${state.ok ? "text-green-800" : "text-red-700"}`}
        >
          {state.ok ? "Works: " : "Failed: "}
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
