import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { WorkloadRef } from "@/lib/domain/facts";
import { combineKubernetesFixes, type ContainerFix } from "./combined";
import { mergeStrategicPatches } from "./strategic-merge";

const containerPatch = (name: string, fields: Record<string, unknown>) => ({
  spec: { template: { spec: { containers: [{ name, ...fields }] } } },
});

describe("mergeStrategicPatches", () => {
  it("merges containers by name, keeps nulls that delete, and keeps only capabilities both fixes allow", () => {
    const merged = mergeStrategicPatches([
      containerPatch("api", { securityContext: { capabilities: { add: ["CHOWN", "NET_BIND_SERVICE"] } } }),
      containerPatch("api", { securityContext: { capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } } }),
      containerPatch("side", {
        securityContext: { seccompProfile: { type: "RuntimeDefault", localhostProfile: null } },
      }),
      containerPatch("api", { env: [{ name: "TOKEN", value: null, valueFrom: { secretKeyRef: { name: "s" } } }] }),
    ]);
    expect(merged).toEqual({
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "api",
                securityContext: { capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] } },
                env: [{ name: "TOKEN", value: null, valueFrom: { secretKeyRef: { name: "s" } } }],
              },
              { name: "side", securityContext: { seccompProfile: { type: "RuntimeDefault", localhostProfile: null } } },
            ],
          },
        },
      },
    });
  });

  it("keeps no capability when one fix allows none", () => {
    const merged = mergeStrategicPatches([
      containerPatch("api", { securityContext: { capabilities: { add: ["CHOWN"] } } }),
      containerPatch("api", { securityContext: { capabilities: { drop: ["ALL"], add: null } } }),
    ]);
    expect(merged).toEqual(containerPatch("api", { securityContext: { capabilities: { add: null, drop: ["ALL"] } } }));
  });
});

const fix = (container: string, checkId: string, remediation: ContainerFix["remediation"]): ContainerFix => ({
  container,
  checkId,
  remediation,
});
const policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n";
const fixes = [
  fix("api", "read-only-root-filesystem", {
    summary: "s",
    kubernetesPatch:
      "spec:\n  containers:\n    - name: api\n      securityContext:\n        readOnlyRootFilesystem: true\n",
  }),
  fix("api", "network-isolation", { summary: "s", kubernetesManifest: policy }),
  fix("side", "network-isolation", { summary: "s", kubernetesManifest: policy }),
  fix("api", "image-vulnerability-scanned", { summary: "scan it" }),
];

describe("combineKubernetesFixes", () => {
  it("offers a NetworkPolicy once, as its own document, and names only the results it closes", () => {
    const workload: WorkloadRef = { platform: "kubernetes", kind: "Deployment", namespace: "shop", name: "api" };
    const combined = combineKubernetesFixes(workload, fixes);
    expect(combined?.kubernetesManifest).toBe(policy);
    expect(combined?.closes).toEqual([
      "api read-only-root-filesystem",
      "api network-isolation",
      "side network-isolation",
    ]);
    expect(combined?.kubectl).toMatch(/^kubectl patch deployment api -n shop --type strategic -p '/);
  });

  it("gives a bare Pod its edited manifest without server fields, and no kubectl patch", () => {
    const workload: WorkloadRef = { platform: "kubernetes", kind: "Pod", namespace: "", name: "debug" };
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "debug", uid: "u-1", resourceVersion: "9" },
      spec: { containers: [{ name: "api", image: "busybox" }] },
      status: { phase: "Running" },
    };
    const combined = combineKubernetesFixes(workload, fixes, pod);
    expect(combined?.kubectl).toBeUndefined();
    expect(combined?.summary).toMatch(/spec is mostly immutable/);
    expect(parse(combined?.podManifest ?? "")).toEqual({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "debug" },
      spec: { containers: [{ name: "api", image: "busybox", securityContext: { readOnlyRootFilesystem: true } }] },
    });
  });

  it("quotes a hostile name and namespace so the shell reads them as words", () => {
    const name = `x'; touch /tmp/pwned $(id)\n`;
    const workload: WorkloadRef = { platform: "kubernetes", kind: "Deployment", namespace: "a b", name };
    const command = combineKubernetesFixes(workload, fixes)?.kubectl ?? "";
    const words = execFileSync("sh", ["-c", `printf '%s\\0' ${command.replace(/^kubectl /, "")}`]).toString();
    expect(words.split("\0").slice(0, 4)).toEqual(["patch", "deployment", name, "-n"]);
    expect(words.split("\0")[4]).toBe("a b");
  });

  it("is undefined when no fix is a patch or a manifest", () => {
    const workload: WorkloadRef = { platform: "kubernetes", kind: "Deployment", namespace: "", name: "api" };
    expect(combineKubernetesFixes(workload, [fixes[3] as ContainerFix])).toBeUndefined();
  });
});
