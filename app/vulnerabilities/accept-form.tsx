import type { ReactNode } from "react";
import { AcceptVulnerabilityForm, type AcceptScope } from "@/components/vulnerabilities/accept-vulnerability-form";
import { acceptVulnerability } from "./actions";

/**
 * The `accept` prop of a vulnerability list (fleet, image, workload): each row's Accept… form, limited to the page's
 * scope or open to any, and no prop at all (null) for a user who may not accept risks.
 */
export function acceptFormProp(scope: AcceptScope | "any" | null): {
  accept?: (row: { vulnerabilityId: string }) => ReactNode;
} {
  if (scope === null) return {};
  return {
    accept: (row) => (
      <AcceptVulnerabilityForm
        vulnerabilityId={row.vulnerabilityId}
        {...(scope === "any" ? {} : { scope })}
        action={acceptVulnerability}
      />
    ),
  };
}
