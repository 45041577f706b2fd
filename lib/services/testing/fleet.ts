import type { CheckResult, WorkloadEvaluation } from "@/lib/domain/result";
import type { Status } from "@/lib/domain/severity";

export interface FleetOptions {
  containers: number;
  /** Containers per namespace, so rollups span several namespaces. */
  perNamespace?: number;
  /** Status of `check-b` for container i (default: fail). */
  statusB?: (i: number) => Status;
  exceptedB?: (i: number) => boolean;
  skip?: (i: number) => boolean;
}

function check(checkId: string, status: Status, excepted = false): CheckResult {
  return {
    checkId,
    status,
    severity: "high",
    message: status === "fail" ? `${checkId} failed: value is unsafe` : `${checkId} passed`,
    fieldPath: "spec.template.spec.containers[0].securityContext",
    ...(excepted ? { excepted: { source: "annotation" as const, reason: "accepted in a test" } } : {}),
  };
}

/** A fleet of one-container Deployments: `check-a` passes everywhere, `check-b` as the options say. */
export function makeFleet(options: FleetOptions): WorkloadEvaluation[] {
  const perNamespace = options.perNamespace ?? 5;
  const fleet: WorkloadEvaluation[] = [];
  for (let i = 0; i < options.containers; i++) {
    if (options.skip?.(i)) continue;
    const statusB = options.statusB?.(i) ?? "fail";
    fleet.push({
      workload: {
        platform: "kubernetes",
        kind: "Deployment",
        namespace: `ns-${Math.floor(i / perNamespace)}`,
        name: `app-${i}`,
      },
      source: "https://kubernetes.test",
      containers: [
        {
          name: "main",
          image: `registry.test/app-${i}:1.0`,
          score: statusB === "pass" ? 100 : 0,
          checks: [check("check-a", "pass"), check("check-b", statusB, options.exceptedB?.(i) ?? false)],
        },
      ],
    });
  }
  return fleet;
}
