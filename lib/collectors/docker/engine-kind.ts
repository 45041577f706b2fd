import type { DockerInfo } from "@/lib/domain/docker";

/** `/version` as Docker and Podman's Docker-compatible API answer it (the fields read here). */
export interface EngineVersion {
  Version?: string;
  Components?: { Name?: string; Version?: string }[] | null;
}

export interface EngineKind {
  engine: "Docker" | "Podman";
  version: string;
  /** The engine runs as an unprivileged user: a container's root is that user on the host, not the host's root. */
  rootless: boolean;
}

/** Podman names its component "Podman Engine"; rootless engines (Docker's and Podman's) list `name=rootless`. */
export function engineKind(info: DockerInfo, version: EngineVersion): EngineKind {
  const podman = version.Components?.find((c) => c.Name === "Podman Engine");
  const rootless = (info.SecurityOptions ?? []).some((option) => option.split(",").includes("name=rootless"));
  return {
    engine: podman ? "Podman" : "Docker",
    version: podman?.Version ?? info.ServerVersion ?? version.Version ?? "(unknown version)",
    rootless,
  };
}

/** `Podman 4.3.1 (rootless) on host-a`: what the targets page shows when a connection is tested. */
export function describeEngine(kind: EngineKind, host: string): string {
  return `${kind.engine} ${kind.version} (${kind.rootless ? "rootless" : "rootful"}) on ${host}`;
}

/** Said with every run of a rootless engine, since it changes what run-as-non-root protects against there. */
export function rootlessWarning(kind: EngineKind): string {
  return `${kind.engine} runs rootless on this host: root in a container is the engine's unprivileged user on the host, not the host's root; run-as-non-root still fails such containers, since root in the container keeps its powers over the container's files and namespaces`;
}
