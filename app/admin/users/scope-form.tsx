"use client";

import { useActionState } from "react";
import { ScopeFields, type ScopeValues } from "@/components/admin/scope-fields";
import { Button } from "@/components/ui/button";
import type { ScopeFormState } from "./actions";

type ScopeAction = (state: ScopeFormState, formData: FormData) => Promise<ScopeFormState>;

/** One user's scope, edited in place under a disclosure. */
export function ScopeForm(props: {
  action: ScopeAction;
  userId: string;
  email: string;
  targets: string[];
  values: ScopeValues;
}) {
  const [state, formAction, isPending] = useActionState(props.action, { error: null, saved: false });
  return (
    <form action={formAction} aria-label={`Scope of ${props.email}`} className="mt-2 space-y-2">
      <input type="hidden" name="userId" value={props.userId} />
      <ScopeFields targets={props.targets} values={props.values} idPrefix={`scope-${props.userId}`} />
      {state.error ? (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      <Button size="sm" type="submit" disabled={isPending}>
        Save scope
      </Button>
    </form>
  );
}
