"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { SetupState } from "./actions";

type SetupAction = (state: SetupState, formData: FormData) => Promise<SetupState>;

const INPUT =
  "mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-slate-500 focus:outline-none";

export function SetupForm({ action, token }: { action: SetupAction; token: string }) {
  const [state, formAction, isPending] = useActionState(action, { error: null });
  return (
    <form action={formAction} aria-label="Create the first admin" className="space-y-3">
      <input type="hidden" name="token" value={token} />
      <label className="block text-sm">
        <span className="font-medium text-slate-700">Email</span>
        <input name="email" type="email" autoComplete="username" required className={INPUT} />
      </label>
      <label className="block text-sm">
        <span className="font-medium text-slate-700">Name</span>
        <input name="name" autoComplete="name" className={INPUT} />
      </label>
      <label className="block text-sm">
        <span className="font-medium text-slate-700">Password (at least 12 characters)</span>
        <input name="password" type="password" autoComplete="new-password" minLength={12} required className={INPUT} />
      </label>
      {state.error ? (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      <Button type="submit" disabled={isPending}>
        Create admin
      </Button>
    </form>
  );
}
