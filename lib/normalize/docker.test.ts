import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { DockerContainerFacts } from "@/lib/domain/facts";
import { groupDockerWorkloads, normalizeDockerContainer } from "./docker";

const INSPECT = path.join(import.meta.dirname, "../manifests/testdata/realistic/docker-inspect-compose.json");
const captured = JSON.parse(readFileSync(INSPECT, "utf8")) as Record<string, unknown>[];

function inspected(index: number): Record<string, unknown> {
  return structuredClone(captured[index] as Record<string, unknown>);
}

function normalized(container: unknown, extra: Record<string, unknown> = {}): DockerContainerFacts {
  const { facts, errors } = normalizeDockerContainer({ container, ...extra }, { source: "host-a" });
  if (!facts) throw new Error(JSON.stringify(errors));
  return facts;
}

const IMAGE_ID = "sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f";
const REPO_DIGEST = "sha256:" + "c".repeat(64);

describe("normalizeDockerContainer on captured inspect output", () => {
  it("groups a Compose container under its project and service and strips the leading slash", () => {
    const container = inspected(0);
    const facts = normalized(container);
    expect(facts.container).toBe(container);
    expect(facts.name).toBe("shop-web-1");
    expect(facts.workload).toEqual({ platform: "docker", kind: "ComposeService", namespace: "shop", name: "web" });
    expect(facts.image).toBe("ghcr.io/acme/storefront:2.14.1");
    expect(facts.container.HostConfig.CapDrop).toEqual(["ALL"]);
  });

  it("keeps a plain container as its own workload, privileged with label=disable and null CapAdd", () => {
    const facts = normalized(inspected(2));
    expect(facts.workload).toEqual({ platform: "docker", kind: "Container", namespace: "", name: "cadvisor" });
    expect(facts.container.HostConfig.SecurityOpt).toEqual(["label=disable"]);
    expect(facts.container.HostConfig.CapAdd).toBeNull();
    expect(facts.container.HostConfig.Privileged).toBe(true);
  });

  it("takes the digest from the image's RepoDigests for the same repository, else the image id", () => {
    const image = {
      Id: IMAGE_ID,
      RepoDigests: [`mirror.acme.io/storefront@sha256:${"d".repeat(64)}`, `ghcr.io/acme/storefront@${REPO_DIGEST}`],
    };
    expect(normalized(inspected(0), { image }).imageDigest).toBe(REPO_DIGEST);
    expect(normalized(inspected(0)).imageDigest).toBe(IMAGE_ID);
  });

  it("matches Docker Hub short names against their RepoDigests", () => {
    const container = inspected(1) as { Config: { Image: string } };
    container.Config.Image = "nginx:1.27";
    const image = { Id: IMAGE_ID, RepoDigests: [`nginx@${REPO_DIGEST}`] };
    expect(normalized(container, { image }).imageDigest).toBe(REPO_DIGEST);
    container.Config.Image = "docker.io/library/nginx";
    expect(normalized(container, { image }).imageDigest).toBe(REPO_DIGEST);
  });

  it("prefers the digest the container was created from", () => {
    const container = inspected(1) as { Config: { Image: string } };
    container.Config.Image = `ghcr.io/acme/storefront@sha256:${"e".repeat(64)}`;
    expect(normalized(container).imageDigest).toBe(`sha256:${"e".repeat(64)}`);
  });

  it("keeps image inspect, history, info and networks when given", () => {
    const facts = normalized(inspected(0), {
      image: { Id: IMAGE_ID, Config: { Env: ["PATH=/bin"], User: "" } },
      history: [{ Id: IMAGE_ID, CreatedBy: "/bin/sh -c #(nop) USER 10001" }],
      info: { SecurityOptions: ["name=seccomp,profile=builtin"], ServerVersion: "27.3.1" },
      networks: [
        { Name: "bridge", Id: "abc", Driver: "bridge", Options: { "com.docker.network.bridge.enable_icc": "true" } },
      ],
    });
    expect(facts.imageInspect?.Config?.User).toBe("");
    expect(facts.imageHistory).toHaveLength(1);
    expect(facts.info?.SecurityOptions).toEqual(["name=seccomp,profile=builtin"]);
    expect(facts.networks?.[0]?.Options?.["com.docker.network.bridge.enable_icc"]).toBe("true");
  });
});

describe("normalizeDockerContainer on invalid input", () => {
  it.each([
    [(c: Record<string, unknown>) => (c.HostConfig = null), "HostConfig", "expected object, got null"],
    [(c: Record<string, unknown>) => delete c.Config, "Config", "required"],
    [
      (c: Record<string, unknown>) => ((c.HostConfig as Record<string, unknown>).Privileged = "true"),
      "HostConfig.Privileged",
      "expected boolean, got string",
    ],
    [
      (c: Record<string, unknown>) => ((c.HostConfig as Record<string, unknown>).CapAdd = "SYS_ADMIN"),
      "HostConfig.CapAdd",
      "expected array, got string",
    ],
    [
      (c: Record<string, unknown>) => ((c.HostConfig as Record<string, unknown>).Memory = "512m"),
      "HostConfig.Memory",
      "expected number",
    ],
    [(c: Record<string, unknown>) => (c.Mounts = [{ Source: 1 }]), "Mounts[0].Source", "expected string, got number"],
  ])("reports %#: %s", (change, field, detail) => {
    const container = inspected(0);
    change(container);
    const { facts, errors } = normalizeDockerContainer({ container }, { source: "inspect.json#4", document: 4 });
    expect(facts).toBeUndefined();
    expect(errors[0]).toMatchObject({ source: "inspect.json#4", document: 4, field });
    expect(errors[0]?.message).toContain(detail);
  });

  it("prefixes errors of the image inspect and never shows an env entry", () => {
    const secret = "AKIAABCDEFGHIJKLMNOP";
    const container = inspected(0) as { Config: { Env: unknown[] } };
    container.Config.Env = [`AWS_ACCESS_KEY_ID=${secret}`, { AWS_SECRET_ACCESS_KEY: secret }];
    const { errors } = normalizeDockerContainer(
      { container, image: { Id: 7, Config: { Env: [{ K: secret }] } } },
      { source: "h" },
    );
    expect(errors.map((e) => e.field)).toEqual(["Config.Env[1]", "image.Id", "image.Config.Env[0]"]);
    expect(JSON.stringify(errors)).not.toContain(secret);
  });

  it("rejects what is not an object", () => {
    expect(normalizeDockerContainer({ container: "abc" }, { source: "h" }).errors[0]?.message).toBe(
      "expected a docker inspect object, got string",
    );
  });
});

describe("groupDockerWorkloads", () => {
  it("makes one workload of a Compose service's replicas and one per plain container", () => {
    const facts = [0, 1, 2].map((i) => normalized(inspected(i)));
    const workloads = groupDockerWorkloads(facts);
    expect(workloads.map((w) => [w.workload.kind, w.workload.name, w.containers.map((c) => c.name)])).toEqual([
      ["ComposeService", "web", ["shop-web-1", "shop-web-2"]],
      ["Container", "cadvisor", ["cadvisor"]],
    ]);
    expect(workloads[0]?.labels["com.docker.compose.project"]).toBe("shop");
  });

  it("keeps services of the same name in different projects apart", () => {
    const other = inspected(1) as { Config: { Labels: Record<string, string> } };
    other.Config.Labels["com.docker.compose.project"] = "staging";
    const workloads = groupDockerWorkloads([normalized(inspected(0)), normalized(other)]);
    expect(workloads.map((w) => w.workload.namespace)).toEqual(["shop", "staging"]);
  });
});
