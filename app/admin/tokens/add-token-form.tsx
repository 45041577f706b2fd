"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ScopeFields } from "@/components/admin/scope-fields";
import { ROLES } from "@/lib/auth/roles";
import type { TokenFormState } from "./actions";

type AddTokenAction = (state: TokenFormState, formData: FormData) => Promise<TokenFormState>;

const INPUT =
  "mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-slate-500 focus:outline-none";

export function AddTokenForm({ action, targets }: { action: AddTokenAction; targets: string[] }) {
  const [state, formAction, isPending] = useActionState(action, { error: null, token: null });
  return (
    <form
      action={formAction}
      aria-label="Create an API token"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 className="text-base font-semibold">Create an API token</h2>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
        <label className="block text-sm">
          <span className="font-medium text-slate-700">Name</span>
          <input name="name" required maxLength={80} className={INPUT} />
        </label>
        <label className="block text-sm">
          <span className="font-medium text-slate-700">Role</span>
          <select name="role" defaultValue="viewer" className={INPUT}>
            {ROLES.map((role) => (
              <option key={role}>{role}</option>
            ))}
          </select>
        </label>
        <label className="block text-sm">
          <span className="font-medium text-slate-700">Expires in days</span>
          <input name="expiresInDays" type="number" min={1} max={365} defaultValue={90} required className={INPUT} />
        </label>
      </div>
      <ScopeFields targets={targets} idPrefix="token-scope" />
      {state.error ? (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      {state.token ? (
        <div role="status" className="rounded-md bg-amber-50 p-3 text-sm">
          <p className="font-medium">Copy this token now: it is not shown again.</p>
          <code aria-label="New API token" className="mt-1 block font-mono break-all">
            {state.token}
          </code>
        </div>
      ) : null}
      <Button type="submit" disabled={isPending}>
        Create token
      </Button>
    </form>
  );
}
