"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { SignInState } from "./actions";

type SignInAction = (state: SignInState, formData: FormData) => Promise<SignInState>;

const INPUT =
  "mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-slate-500 focus:outline-none";

export function SignInForm({ action, next }: { action: SignInAction; next: string }) {
  const [state, formAction, isPending] = useActionState(action, { error: null, email: "" });
  return (
    <form action={formAction} aria-label="Sign in" className="space-y-3">
      <input type="hidden" name="next" value={next} />
      <label className="block text-sm">
        <span className="font-medium text-slate-700">Email</span>
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state.email}
          className={INPUT}
        />
      </label>
      <label className="block text-sm">
        <span className="font-medium text-slate-700">Password</span>
        <input name="password" type="password" autoComplete="current-password" required className={INPUT} />
      </label>
      {state.error ? (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      <Button type="submit" disabled={isPending}>
        Sign in
      </Button>
    </form>
  );
}
