/** An RBAC rule as in a Role or ClusterRole. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** Rules bound cluster-wide (ClusterRoleBinding) or only in some namespaces (RoleBindings). */
export interface Grant {
  rules: PolicyRule[];
  namespaces?: string[];
}

export interface Identity {
  user: string;
  grants: Grant[];
}

export const ALL_RULES: PolicyRule[] = [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }];

export interface AccessRequest {
  verb: string;
  group: string;
  plural: string;
  /** The request's namespace; for a namespace object itself, its name (as the API server authorizes it). */
  namespace?: string;
}

const matches = (list: string[], value: string): boolean => list.includes("*") || list.includes(value);

function ruleAllows(rule: PolicyRule, request: AccessRequest): boolean {
  return (
    matches(rule.apiGroups, request.group) &&
    matches(rule.resources, request.plural) &&
    matches(rule.verbs, request.verb)
  );
}

export function isAllowed(identity: Identity, request: AccessRequest): boolean {
  return identity.grants.some((grant) => {
    if (grant.namespaces && (request.namespace === undefined || !grant.namespaces.includes(request.namespace)))
      return false;
    return grant.rules.some((rule) => ruleAllows(rule, request));
  });
}

/** Rules of a Role or ClusterRole manifest (`rules:`), for tokens that hold exactly what a shipped role grants. */
export function rulesOf(role: unknown): PolicyRule[] {
  const rules = (role as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) throw new Error("role has no rules");
  return rules.map((rule: Partial<PolicyRule>) => ({
    apiGroups: rule.apiGroups ?? [],
    resources: rule.resources ?? [],
    verbs: rule.verbs ?? [],
  }));
}
