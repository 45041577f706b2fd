import { describe, expect, it } from "vitest";
import { applyStrategicMergePatch } from "./strategic-merge";

const deployment = () => ({
  kind: "Deployment",
  metadata: { name: "api", labels: { app: "api" } },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          {
            name: "api",
            image: "api:1",
            env: [
              { name: "A", value: "1" },
              { name: "DB_PASSWORD", value: "x" },
            ],
            ports: [{ containerPort: 80, hostPort: 80 }, { containerPort: 9090 }],
            volumeMounts: [
              { name: "host", mountPath: "/host" },
              { name: "tmp", mountPath: "/tmp" },
            ],
            securityContext: { capabilities: { add: ["NET_ADMIN", "CHOWN"] } },
          },
          { name: "sidecar", image: "proxy:2" },
        ],
        volumes: [
          { name: "host", hostPath: { path: "/" } },
          { name: "tmp", emptyDir: {} },
        ],
      },
    },
  },
});

describe("applyStrategicMergePatch", () => {
  it("merges maps recursively and leaves the input untouched", () => {
    const original = deployment();
    const patched = applyStrategicMergePatch(original, {
      metadata: { labels: { tier: "web" } },
      spec: { replicas: 3 },
    });
    expect(patched.metadata.labels).toEqual({ app: "api", tier: "web" });
    expect(patched.spec.replicas).toBe(3);
    expect(patched.spec.template.spec.containers).toHaveLength(2);
    expect(original).toEqual(deployment());
  });

  it("deletes keys set to null, and ignores null for absent keys", () => {
    const patched = applyStrategicMergePatch(deployment(), { spec: { replicas: null, paused: null } });
    expect("replicas" in patched.spec).toBe(false);
    expect("paused" in patched.spec).toBe(false);
  });

  it("merges containers by name, keeping order and untouched siblings", () => {
    const patched = applyStrategicMergePatch(deployment(), {
      spec: { template: { spec: { containers: [{ name: "sidecar", securityContext: { runAsNonRoot: true } }] } } },
    });
    const [api, sidecar] = patched.spec.template.spec.containers;
    expect(api).toEqual(deployment().spec.template.spec.containers[0]);
    expect(sidecar).toEqual({ name: "sidecar", image: "proxy:2", securityContext: { runAsNonRoot: true } });
  });

  it("appends list entries whose key is new, without their nulls", () => {
    const patched = applyStrategicMergePatch(deployment(), {
      spec: { template: { spec: { initContainers: [{ name: "init", image: "x", args: null }] } } },
    });
    expect(patched.spec.template.spec).toMatchObject({ initContainers: [{ name: "init", image: "x" }] });
    const added = applyStrategicMergePatch(deployment(), {
      spec: { template: { spec: { containers: [{ name: "new", image: "y", command: null }] } } },
    });
    expect(added.spec.template.spec.containers.map((c) => c.name)).toEqual(["api", "sidecar", "new"]);
    expect(added.spec.template.spec.containers[2]).toEqual({ name: "new", image: "y" });
  });

  it("merges env by name, ports by containerPort and volumeMounts by mountPath", () => {
    const patched = applyStrategicMergePatch(deployment(), {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "api",
                env: [
                  { name: "DB_PASSWORD", value: null, valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
                ],
                ports: [{ containerPort: 80, hostPort: null }],
                volumeMounts: [{ mountPath: "/host", $patch: "delete" }],
              },
            ],
          },
        },
      },
    });
    const api = patched.spec.template.spec.containers[0];
    expect(api?.env).toEqual([
      { name: "A", value: "1" },
      { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
    ]);
    expect(api?.ports).toEqual([{ containerPort: 80 }, { containerPort: 9090 }]);
    expect(api?.volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
  });

  it("deletes volumes by name with $patch: delete", () => {
    const patched = applyStrategicMergePatch(deployment(), {
      spec: {
        template: {
          spec: {
            volumes: [
              { name: "host", $patch: "delete" },
              { name: "gone", $patch: "delete" },
            ],
          },
        },
      },
    });
    expect(patched.spec.template.spec.volumes).toEqual([{ name: "tmp", emptyDir: {} }]);
  });

  it("replaces lists without a merge key", () => {
    const patched = applyStrategicMergePatch(deployment(), {
      spec: {
        template: {
          spec: {
            containers: [
              { name: "api", securityContext: { capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] } } },
            ],
          },
        },
      },
    });
    expect(patched.spec.template.spec.containers[0]?.securityContext).toEqual({
      capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] },
    });
  });

  it("replaces a value whose type changes", () => {
    const patched = applyStrategicMergePatch({ a: { b: 1 }, c: [1, 2] }, { a: "flat", c: { d: null, e: 2 } });
    expect(patched).toEqual({ a: "flat", c: { e: 2 } });
  });
});
