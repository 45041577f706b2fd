import { visibleText } from "./visible-text";

/** Where an exception applies, by name: unset fields match anything (lib/evaluate/exceptions.ts). */
export interface ExceptionScopeNames {
  /** Null with a target id set: the target was deleted. */
  targetName: string | null;
  targetId?: string | null;
  namespace: string | null;
  workload: string | null;
  container: string | null;
  image: string | null;
}

/** An exception's scope in words ("cluster-x · shop · Deployment/api"), "everywhere" when it has none. */
export function exceptionScopeText(scope: ExceptionScopeNames): string {
  const target = scope.targetName ?? (scope.targetId ? "deleted target" : null);
  const parts = [target, scope.namespace, scope.workload, scope.container, scope.image].filter(Boolean);
  return parts.length > 0 ? visibleText(parts.join(" · ")) : "everywhere";
}
