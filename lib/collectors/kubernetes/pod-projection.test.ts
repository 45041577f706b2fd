import { ResponseContext } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { podListProjection } from "./pod-projection";

const owned = (kind: string) => ({
  metadata: { name: `p-${kind}`, namespace: "ns", uid: `u-${kind}`, labels: { a: "b" }, ownerReferences: [{ kind, name: "o", uid: "o1", controller: true }] },
  spec: { containers: [{ name: "c", image: "x:1", securityContext: { privileged: true } }] },
  status: { phase: "Running", containerStatuses: [{ name: "c", image: "x:1", imageID: "x@sha256:1", ready: true }] },
});

async function through(items: unknown[], status = 200): Promise<{ items: Record<string, unknown>[] }> {
  const text = JSON.stringify({ kind: "PodList", items });
  const body = { text: async () => text, binary: async () => Buffer.from(text), stream: () => null };
  const response = await podListProjection.post(new ResponseContext(status, {}, body));
  return JSON.parse(await response.body.text());
}

describe("podListProjection", () => {
  it("cuts pods that roll up to an owner to their identity and image IDs", async () => {
    const { items } = await through([owned("ReplicaSet"), owned("Job")]);
    expect(items[0]).toEqual({
      metadata: { name: "p-ReplicaSet", namespace: "ns", uid: "u-ReplicaSet", ownerReferences: [{ kind: "ReplicaSet", name: "o", uid: "o1", controller: true }] },
      status: { containerStatuses: [{ name: "c", imageID: "x@sha256:1" }] },
    });
    expect(items[1]).not.toHaveProperty("spec");
  });

  it("keeps pods that are judged themselves whole: bare, or owned by something not read (a Node's mirror pod)", async () => {
    const bare = { metadata: { name: "b", namespace: "ns" }, spec: { containers: [] } };
    const { items } = await through([bare, owned("Node")]);
    expect(items).toEqual([bare, owned("Node")]);
  });

  it("leaves error answers alone", async () => {
    const { items } = await through([owned("ReplicaSet")], 403);
    expect(items[0]).toEqual(owned("ReplicaSet"));
  });
});
