// Hand-made facts and a minimal check for the renderer tests.
import { defineCheck, pass, type DockerFix, type KubernetesFix } from "@/lib/checks/define-check";
import type { DockerContainerFacts, KubernetesContainerFacts } from "@/lib/domain/facts";
import type { CheckOutcome } from "@/lib/domain/result";
import type { Container, PodTemplate } from "@/lib/domain/kubernetes";

export function kubernetesFacts(overrides: Partial<KubernetesContainerFacts> = {}): KubernetesContainerFacts {
  const container: Container = { name: "api", image: "ghcr.io/acme/api:1.4" };
  const pod: PodTemplate = { metadata: { labels: { app: "api" } }, spec: { containers: [container] } };
  return {
    platform: "kubernetes",
    workload: { platform: "kubernetes", kind: "Deployment", namespace: "shop", name: "api" },
    name: "api",
    image: "ghcr.io/acme/api:1.4",
    source: "deploy/api.yaml#0",
    pod,
    specPath: "spec.template.spec",
    list: "containers",
    index: 0,
    container,
    networkPolicies: { value: [] },
    ...overrides,
  };
}

export function dockerFacts(labels: Record<string, string> = {}): DockerContainerFacts {
  return {
    platform: "docker",
    workload: { platform: "docker", kind: "Container", namespace: "", name: "web" },
    name: "web",
    image: "nginx:1.27",
    source: "unix:///var/run/docker.sock",
    container: { Id: "abc", Name: "/web", Image: "sha256:1", Config: { Labels: labels }, HostConfig: {} },
  };
}

/** A test check's fix summary and its fixes by platform. */
export interface TestFixes {
  summary: string;
  kubernetes?: (facts: KubernetesContainerFacts) => KubernetesFix;
  docker?: (facts: DockerContainerFacts) => DockerFix;
}

/** A check that offers these fixes; it passes everything unless given its own Kubernetes rule. */
export function checkWith(
  fixes: TestFixes,
  rule: { id?: string; kubernetes?: (facts: KubernetesContainerFacts) => CheckOutcome } = {},
) {
  return defineCheck({
    id: rule.id ?? "test-check",
    title: "Test",
    severity: "high",
    category: "privileges",
    seed: false,
    rationale: "",
    threat: "",
    references: {},
    fixSummary: fixes.summary,
    platforms: {
      kubernetes: { judged: "", evaluate: rule.kubernetes ?? (() => pass("ok")), fix: fixes.kubernetes },
      docker: { judged: "", evaluate: () => pass("ok"), fix: fixes.docker },
    },
  });
}
