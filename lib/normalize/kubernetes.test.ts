import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { NetworkPolicy } from "@/lib/domain/kubernetes";
import { isWorkloadKind, normalizeKubernetesWorkload, podSpecPath, type KubernetesContext } from "./kubernetes";

const REALISTIC = path.join(import.meta.dirname, "../manifests/testdata/realistic");

function objectsOf(file: string): Record<string, unknown>[] {
  const text = readFileSync(path.join(REALISTIC, file), "utf8");
  return parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
}

function objectOf(file: string, kind: string): Record<string, unknown> {
  const found = objectsOf(file).find((o) => o.kind === kind);
  if (!found) throw new Error(`${file} has no ${kind}`);
  return found;
}

const noPolicies: KubernetesContext = { source: "test.yaml#0", document: 0, networkPolicies: { value: [] } };

function policy(name: string, namespace: string | undefined): NetworkPolicy {
  return {
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { podSelector: {}, policyTypes: ["Ingress"] },
  };
}

function podWith(
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = { name: "p" },
): Record<string, unknown> {
  return { apiVersion: "v1", kind: "Pod", metadata, spec };
}

describe("normalizeKubernetesWorkload on realistic objects", () => {
  it("reads a Deployment's template: workload, containers, namespace policies", () => {
    const deployment = objectOf("web-deployment.yaml", "Deployment");
    const context = {
      ...noPolicies,
      networkPolicies: { value: [policy("shop-a", "shop"), policy("other", "payments")] },
    };
    const { input, errors } = normalizeKubernetesWorkload(deployment, context);
    expect(errors).toEqual([]);
    expect(input?.workload).toEqual({
      platform: "kubernetes",
      kind: "Deployment",
      namespace: "shop",
      name: "storefront",
    });
    expect(input?.labels["app.kubernetes.io/part-of"]).toBe("shop");
    expect(input?.pod?.metadata.labels?.tier).toBe("web");
    expect(input?.object).toMatchObject({ kind: "Deployment", spec: { replicas: 3 } });
    const [web] = input?.containers ?? [];
    expect(web).toMatchObject({
      platform: "kubernetes",
      name: "web",
      list: "containers",
      index: 0,
      specPath: "spec.template.spec",
      replicas: 3,
    });
    expect(web?.platform === "kubernetes" && web.networkPolicies).toEqual({ value: [policy("shop-a", "shop")] });
  });

  it("lists init, regular and ephemeral containers in that order with their indexes", () => {
    const statefulSet = objectOf("hardened-statefulset.yaml", "StatefulSet");
    const pod = objectOf("debug-pod.yaml", "Pod");
    const sts = normalizeKubernetesWorkload(statefulSet, noPolicies).input?.containers ?? [];
    const debug = normalizeKubernetesWorkload(pod, noPolicies).input?.containers ?? [];
    expect(sts.map((c) => c.platform === "kubernetes" && [c.list, c.index, c.name])).toEqual([
      ["initContainers", 0, "init-permissions"],
      ["containers", 0, "postgres"],
    ]);
    expect(debug.map((c) => c.platform === "kubernetes" && [c.list, c.name])).toEqual([
      ["containers", "netshoot"],
      ["ephemeralContainers", "debugger-x7k2p"],
    ]);
  });

  it("puts a bare Pod in the default namespace with the pod itself as template", () => {
    const { input } = normalizeKubernetesWorkload(objectOf("debug-pod.yaml", "Pod"), noPolicies);
    expect(input?.workload.namespace).toBe("default");
    expect(input?.pod?.metadata.name).toBe("netshoot-debug");
    expect(input?.containers[0]).toMatchObject({ specPath: "spec" });
  });

  it("reads a CronJob's pod template under spec.jobTemplate", () => {
    const { input, errors } = normalizeKubernetesWorkload(objectOf("backup-cronjob.yaml", "CronJob"), noPolicies);
    expect(errors).toEqual([]);
    expect(input?.containers[0]).toMatchObject({ specPath: "spec.jobTemplate.spec.template.spec", name: "backup" });
    expect((input?.pod?.spec as Record<string, unknown> | undefined)?.restartPolicy).toBe("OnFailure");
  });

  it("takes the digest from running status first, else from an image pinned by digest", () => {
    const running = "docker-pullable://registry.acme.io/db/postgres@sha256:" + "a".repeat(64);
    const context = { ...noPolicies, runningDigests: new Map([["postgres", running]]) };
    const containers =
      normalizeKubernetesWorkload(objectOf("hardened-statefulset.yaml", "StatefulSet"), context).input?.containers ??
      [];
    expect(containers.map((c) => c.imageDigest)).toEqual([
      "sha256:3fbc632167424a6d997e74f52b878d7cc478225cffac6bc977eedfe51c7f4e79",
      "sha256:" + "a".repeat(64),
    ]);
    const unpinned = normalizeKubernetesWorkload(objectOf("backup-cronjob.yaml", "CronJob"), noPolicies).input
      ?.containers[0];
    expect(unpinned?.imageDigest).toBeUndefined();
  });

  it("keeps the object as given, key order included", () => {
    const job = objectOf("migrate-job.yaml", "Job");
    const { input } = normalizeKubernetesWorkload(job, noPolicies);
    expect(input?.object).toBe(job);
    expect(Object.keys(input?.object ?? {})).toEqual(["apiVersion", "kind", "metadata", "spec"]);
  });

  it("reads running digests from a Pod's status when the context has none", () => {
    const pod = podWith({ containers: [{ name: "app", image: "app:1" }] });
    pod.status = { containerStatuses: [{ name: "app", imageID: "docker-pullable://app@sha256:" + "b".repeat(64) }] };
    expect(normalizeKubernetesWorkload(pod, noPolicies).input?.containers[0]?.imageDigest).toBe(
      "sha256:" + "b".repeat(64),
    );
    const overridden = { ...noPolicies, runningDigests: new Map([["app", "sha256:" + "f".repeat(64)]]) };
    expect(normalizeKubernetesWorkload(pod, overridden).input?.containers[0]?.imageDigest).toBe(
      "sha256:" + "f".repeat(64),
    );
  });

  it("looks the pod's ServiceAccount up by namespace and name, defaulting to `default`", () => {
    const accounts = new Map<string, boolean | null>([
      ["payments/ledger-db", false],
      ["default/default", null],
    ]);
    const context = { ...noPolicies, serviceAccounts: accounts };
    const sts = normalizeKubernetesWorkload(objectOf("hardened-statefulset.yaml", "StatefulSet"), context).input
      ?.containers[0];
    const pod = normalizeKubernetesWorkload(objectOf("debug-pod.yaml", "Pod"), context).input?.containers[0];
    const job = normalizeKubernetesWorkload(objectOf("migrate-job.yaml", "Job"), context).input?.containers[0];
    expect(sts?.platform === "kubernetes" && sts.serviceAccountAutomount).toBe(false);
    expect(pod?.platform === "kubernetes" && pod.serviceAccountAutomount).toBeNull();
    expect(job?.platform === "kubernetes" && "serviceAccountAutomount" in job).toBe(false);
  });

  it("passes on unavailable policies untouched and asks the line callback for each container", () => {
    const asked: (string | number)[][] = [];
    const context: KubernetesContext = {
      ...noPolicies,
      networkPolicies: { unavailable: "forbidden" },
      lines: (p) => (asked.push(p), 10 + p.length),
    };
    const { input } = normalizeKubernetesWorkload(objectOf("debug-pod.yaml", "Pod"), context);
    expect(input?.line).toBe(10);
    expect(asked).toContainEqual(["spec", "ephemeralContainers", 0]);
    expect(input?.containers[1]?.line).toBe(13);
    expect(input?.containers[0]?.platform === "kubernetes" && input.containers[0].networkPolicies).toEqual({
      unavailable: "forbidden",
    });
  });
});

describe("normalizeKubernetesWorkload on invalid objects", () => {
  const container = { name: "app", image: "app:1" };

  it.each([
    [
      { containers: [{ ...container, securityContext: { privileged: "yes" } }] },
      "spec.containers[0].securityContext.privileged",
      "expected boolean, got string",
    ],
    [{ containers: null }, "spec.containers", "expected array, got null"],
    [{ containers: [] }, "spec.containers", "at least 1"],
    [{ containers: [{ image: "app:1" }] }, "spec.containers[0].name", "required"],
    [
      { containers: [{ ...container, securityContext: { runAsUser: "0" } }] },
      "spec.containers[0].securityContext.runAsUser",
      "got string",
    ],
    [
      { containers: [{ ...container, securityContext: { runAsUser: 1.5 } }] },
      "spec.containers[0].securityContext.runAsUser",
      "expected int",
    ],
    [
      { containers: [{ ...container, securityContext: { capabilities: { drop: "ALL" } } }] },
      "spec.containers[0].securityContext.capabilities.drop",
      "expected array",
    ],
    [
      { containers: [container], volumes: [{ name: "v", hostPath: { path: ["/"] } }] },
      "spec.volumes[0].hostPath.path",
      "expected string, got array",
    ],
    [
      { containers: [{ ...container, ports: [{ hostPort: "80" }] }] },
      "spec.containers[0].ports[0].hostPort",
      "got string",
    ],
    [
      { containers: [container], securityContext: { sysctls: [{ value: "1" }] } },
      "spec.securityContext.sysctls[0].name",
      "required",
    ],
    [{ containers: [container], hostPID: 1 }, "spec.hostPID", "expected boolean, got number"],
  ])("rejects %j at %s", (spec, field, detail) => {
    const { input, errors } = normalizeKubernetesWorkload(podWith(spec), {
      ...noPolicies,
      source: "pods.yaml#3",
      document: 3,
    });
    expect(input).toBeUndefined();
    expect(errors[0]).toMatchObject({ source: "pods.yaml#3", document: 3, field });
    expect(errors[0]?.message).toContain(detail);
  });

  it("names the path inside the template for workload kinds", () => {
    const deployment = objectOf("web-deployment.yaml", "Deployment") as {
      spec: { template: { spec: { hostIPC?: unknown } } };
    };
    deployment.spec.template.spec.hostIPC = "true";
    const { errors } = normalizeKubernetesWorkload(deployment, noPolicies);
    expect(errors.map((e) => e.field)).toEqual(["spec.template.spec.hostIPC"]);
  });

  it("rejects non-objects and kinds that are not workloads", () => {
    expect(normalizeKubernetesWorkload("text", noPolicies).errors[0]?.message).toBe(
      "expected a Kubernetes object, got string",
    );
    expect(normalizeKubernetesWorkload([], noPolicies).errors[0]?.message).toContain("got array");
    const service = normalizeKubernetesWorkload(objectOf("web-deployment.yaml", "Service"), noPolicies);
    expect(service.input).toBeUndefined();
    expect(service.errors[0]).toMatchObject({ field: "kind", message: "Service is not a workload kind" });
  });

  it("never puts an env value into an error", () => {
    const secret = "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    const spec = {
      containers: [
        {
          ...container,
          env: [{ name: "GITHUB_TOKEN", value: secret }, { name: "X", value: { v: secret } }, { value: secret }],
        },
      ],
    };
    const { errors } = normalizeKubernetesWorkload(podWith(spec), noPolicies);
    expect(errors.map((e) => e.field)).toEqual(["spec.containers[0].env[1].value", "spec.containers[0].env[2].name"]);
    expect(JSON.stringify(errors)).not.toContain(secret);
  });
});

describe("workload kinds", () => {
  it("knows the pod spec path of every workload kind and nothing else", () => {
    expect(podSpecPath("Pod")).toBe("spec");
    expect(podSpecPath("ReplicationController")).toBe("spec.template.spec");
    expect(podSpecPath("CronJob")).toBe("spec.jobTemplate.spec.template.spec");
    expect(podSpecPath("Service")).toBeUndefined();
    expect(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].every(isWorkloadKind)).toBe(true);
    expect(isWorkloadKind("toString")).toBe(false);
    expect(isWorkloadKind(undefined)).toBe(false);
  });
});
