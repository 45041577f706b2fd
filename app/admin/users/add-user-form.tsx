"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ROLES } from "@/lib/auth/roles";
import type { UserFormState } from "./actions";

type AddUserAction = (state: UserFormState, formData: FormData) => Promise<UserFormState>;

const INPUT =
  "mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-slate-500 focus:outline-none";

export function AddUserForm({ action }: { action: AddUserAction }) {
  const [state, formAction, isPending] = useActionState(action, { error: null, created: null });
  return (
    <form
      action={formAction}
      aria-label="Add a user"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 className="text-base font-semibold">Add a user</h2>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-4">
        <label className="block text-sm">
          <span className="font-medium text-slate-700">Email</span>
          <input name="email" type="email" required className={INPUT} />
        </label>
        <label className="block text-sm">
          <span className="font-medium text-slate-700">Name</span>
          <input name="name" className={INPUT} />
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
          <span className="font-medium text-slate-700">Initial password</span>
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={12}
            required
            className={INPUT}
          />
        </label>
      </div>
      {state.error ? (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      {state.created ? (
        <p role="status" className="text-sm text-green-700">
          Added {state.created}.
        </p>
      ) : null}
      <Button type="submit" disabled={isPending}>
        Add user
      </Button>
    </form>
  );
}
