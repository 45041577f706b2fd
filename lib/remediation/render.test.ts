import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderRemediation } from "./index";
import { checkWith, dockerFacts, kubernetesFacts } from "./testing/facts";

const nonRoot = checkWith({
  summary: "Run as a non-root user:\n set runAsNonRoot",
  kubernetes: () => ({ container: { securityContext: { runAsNonRoot: true, runAsUser: 10001 } } }),
  docker: () => ({ add: ["--user 10001:10001"], compose: { user: "10001:10001" }, dockerfile: ["USER 10001:10001"] }),
});

/** The JSON inside the single quotes of a kubectl command. */
function kubectlJson(command: string | undefined): unknown {
  const match = /-p '(.*)'$/.exec(command ?? "");
  return JSON.parse((match?.[1] ?? "").replaceAll(`'\\''`, "'"));
}

describe("renderRemediation for Kubernetes", () => {
  it("patches the container by name under the Deployment's pod template", () => {
    const remediation = renderRemediation(nonRoot, kubernetesFacts());
    const expected = {
      spec: {
        template: {
          spec: { containers: [{ name: "api", securityContext: { runAsNonRoot: true, runAsUser: 10001 } }] },
        },
      },
    };
    expect(parse(remediation.kubernetesPatch ?? "")).toEqual(expected);
    expect(remediation.kubectl).toMatch(/^kubectl patch deployment api -n shop --type strategic -p '/);
    expect(kubectlJson(remediation.kubectl)).toEqual(expected);
    expect(remediation.summary).toBe("Run as a non-root user: set runAsNonRoot");
    expect(remediation.kubernetesManifest).toBeUndefined();
  });

  it("follows the CronJob's spec path, the init container list and the pod template metadata", () => {
    const check = checkWith({
      summary: "s",
      kubernetes: () => ({
        container: { securityContext: { privileged: null } },
        pod: { automountServiceAccountToken: false },
        podMetadata: { annotations: { "container.apparmor.security.beta.kubernetes.io/setup": "runtime/default" } },
      }),
    });
    const facts = kubernetesFacts({
      workload: { platform: "kubernetes", kind: "CronJob", namespace: "ops", name: "backup" },
      specPath: "spec.jobTemplate.spec.template.spec",
      list: "initContainers",
      container: { name: "setup" },
    });
    const remediation = renderRemediation(check, facts);
    expect(parse(remediation.kubernetesPatch ?? "")).toEqual({
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: {
                automountServiceAccountToken: false,
                initContainers: [{ name: "setup", securityContext: { privileged: null } }],
              },
              metadata: { annotations: { "container.apparmor.security.beta.kubernetes.io/setup": "runtime/default" } },
            },
          },
        },
      },
    });
    expect(remediation.kubectl).toMatch(/^kubectl patch cronjob backup -n ops --type strategic -p /);
  });

  it("puts a bare Pod's fields at spec and metadata", () => {
    const check = checkWith({
      summary: "s",
      kubernetes: () => ({ pod: { hostNetwork: null }, podMetadata: { labels: { a: "b" } } }),
    });
    const facts = kubernetesFacts({
      workload: { platform: "kubernetes", kind: "Pod", namespace: "default", name: "debug" },
      specPath: "spec",
    });
    const remediation = renderRemediation(check, facts);
    expect(parse(remediation.kubernetesPatch ?? "")).toEqual({
      spec: { hostNetwork: null },
      metadata: { labels: { a: "b" } },
    });
    expect(remediation.kubectl).toContain("kubectl patch pod debug -n default --type strategic");
    expect(remediation.summary).toBe("s (a bare Pod's spec is mostly immutable: change its manifest and recreate it)");
  });

  it("shell-quotes single quotes inside the patch", () => {
    const check = checkWith({ summary: "s", kubernetes: () => ({ container: { args: ["it's"] } }) });
    const remediation = renderRemediation(check, kubernetesFacts());
    expect(remediation.kubectl).toContain(`it'\\''s`);
    expect(kubectlJson(remediation.kubectl)).toEqual(parse(remediation.kubernetesPatch ?? ""));
  });

  it("renders a separate manifest with kubectl apply when the owner needs no change", () => {
    const policy = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "api-ingress", namespace: "shop" },
    };
    const remediation = renderRemediation(
      checkWith({ summary: "s", kubernetes: () => ({ manifest: policy }) }),
      kubernetesFacts(),
    );
    expect(remediation.kubernetesPatch).toBeUndefined();
    expect(parse(remediation.kubernetesManifest ?? "")).toEqual(policy);
    expect(remediation.kubectl).toMatch(/^kubectl apply -n shop -f - <<'EOF'\n[\s\S]*kind: NetworkPolicy[\s\S]*\nEOF$/);
  });

  it("gives only the summary when the check has no Kubernetes fix", () => {
    const remediation = renderRemediation(checkWith({ summary: "Scan the image" }), kubernetesFacts());
    expect(remediation).toEqual({ summary: "Scan the image" });
  });
});

describe("renderRemediation for Docker", () => {
  it("renders run flags, the Compose service keys and Dockerfile lines", () => {
    const remediation = renderRemediation(nonRoot, dockerFacts({ "com.docker.compose.service": "frontend" }));
    expect(remediation.dockerRun).toEqual({ add: ["--user 10001:10001"], remove: [] });
    expect(parse(remediation.compose ?? "")).toEqual({ services: { frontend: { user: "10001:10001" } } });
    expect(remediation.dockerfile).toEqual(["USER 10001:10001"]);
    expect(remediation.kubectl).toBeUndefined();
  });

  it("names the container as the service outside Compose and omits empty parts", () => {
    const check = checkWith({
      summary: "s",
      docker: () => ({ remove: ["--privileged"], compose: { privileged: false } }),
    });
    const remediation = renderRemediation(check, dockerFacts());
    expect(remediation.dockerRun).toEqual({ add: [], remove: ["--privileged"] });
    expect(parse(remediation.compose ?? "")).toEqual({ services: { web: { privileged: false } } });
    expect(remediation.dockerfile).toBeUndefined();
  });

  it("resets keys the fix sets to null with Compose's !reset tag", () => {
    const check = checkWith({
      summary: "s",
      docker: () => ({ compose: { network_mode: null, networks: ["web-net"] } }),
    });
    const compose = renderRemediation(check, dockerFacts()).compose ?? "";
    expect(compose).toContain("network_mode: !reset null");
    const resetTag = { tag: "!reset", resolve: () => null };
    expect(parse(compose, { customTags: [resetTag] })).toEqual({
      services: { web: { network_mode: null, networks: ["web-net"] } },
    });
  });
});
