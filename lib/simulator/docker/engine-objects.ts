import type { ContainerSpec, DockerHostSpec, ImageSpec } from "@/lib/simulator/fleet";
import { sha256Hex } from "@/lib/simulator/fleet";
import { iso, labels, mounts, networkEntry, networkId } from "./containers";

type Json = Record<string, unknown>;

interface EngineVersion {
  version: string;
  api: string;
  commit: string;
}

// Hosts of one fleet run different engine releases, as real fleets do.
const VERSIONS: EngineVersion[] = [
  { version: "28.2.2", api: "1.50", commit: "e6534b4" },
  { version: "27.5.1", api: "1.47", commit: "4c9b3b0" },
  { version: "26.1.5", api: "1.45", commit: "411e817" },
];

export function engineVersion(host: DockerHostSpec): EngineVersion {
  return VERSIONS[parseInt(host.id.slice(0, 2), 16) % VERSIONS.length] as EngineVersion;
}

function uptime(c: ContainerSpec, now: number): string {
  if (!c.running) return `Exited (0) ${Math.max(1, Math.round((now - c.created) / 86_400))} days ago`;
  const hours = Math.max(1, Math.round((now - c.created) / 3600));
  return hours < 48 ? `Up ${hours} hours` : `Up ${Math.round(hours / 24)} days`;
}

function summaryPorts(c: ContainerSpec): Json[] {
  if (c.network === "host") return [];
  if (!c.posture.hostPort || !c.running) return [{ PrivatePort: 8080, Type: "tcp" }];
  return [
    { IP: "0.0.0.0", PrivatePort: 8080, PublicPort: 8080, Type: "tcp" },
    { IP: "::", PrivatePort: 8080, PublicPort: 8080, Type: "tcp" },
  ];
}

/** One entry of `GET /containers/json`. */
export function containerSummary(host: DockerHostSpec, c: ContainerSpec, now: number): Json {
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: c.image.reference,
    ImageID: c.image.id,
    Command: "/entrypoint.sh serve",
    Created: c.created,
    Ports: summaryPorts(c),
    Labels: labels(c),
    State: c.running ? "running" : "exited",
    Status: uptime(c, now),
    HostConfig: { NetworkMode: c.network },
    NetworkSettings: { Networks: networkEntry(host, c) },
    Mounts: mounts(c).map(({ Name, Type, Source, Destination, Driver, Mode, RW, Propagation }) => ({
      Type,
      ...(Name ? { Name } : {}),
      Source,
      Destination,
      ...(Driver ? { Driver } : {}),
      Mode,
      RW,
      Propagation,
    })),
  };
}

function layers(image: ImageSpec): string[] {
  return image.history.map((_, i) => `sha256:${sha256Hex(`layer:${image.id}:${i}`)}`);
}

/** `GET /images/{id}/json`. */
export function inspectImage(image: ImageSpec): Json {
  return {
    Id: image.id,
    RepoTags: image.repoTags,
    RepoDigests: image.repoDigests,
    Parent: "",
    Comment: "buildkit.dockerfile.v0",
    Created: iso(image.created),
    DockerVersion: "",
    Author: "",
    Config: {
      Hostname: "",
      Domainname: "",
      User: image.user,
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      ExposedPorts: { "8080/tcp": {} },
      Tty: false,
      OpenStdin: false,
      StdinOnce: false,
      Env: image.env,
      Cmd: ["serve"],
      Image: "",
      Volumes: null,
      WorkingDir: "/app",
      Entrypoint: ["/entrypoint.sh"],
      OnBuild: null,
      Labels: null,
    },
    Architecture: "amd64",
    Os: "linux",
    Size: image.size,
    GraphDriver: { Data: null, Name: "overlay2" },
    RootFS: { Type: "layers", Layers: layers(image) },
    Metadata: { LastTagTime: "0001-01-01T00:00:00Z" },
  };
}

/** `GET /images/{id}/history`, newest step first as the engine answers. */
export function imageHistory(image: ImageSpec): Json[] {
  const steps = image.history.map((createdBy, i) => ({
    Id: i === image.history.length - 1 ? image.id : "<missing>",
    Created: image.created - (image.history.length - 1 - i) * 60,
    CreatedBy: createdBy,
    Tags: i === image.history.length - 1 ? image.repoTags : null,
    Size: i === 0 ? Math.round(image.size * 0.8) : Math.round((image.size * 0.2) / image.history.length),
    Comment: i === 0 ? "" : "buildkit.dockerfile.v0",
  }));
  return steps.reverse();
}

export function versionOf(host: DockerHostSpec): Json {
  const v = engineVersion(host);
  const component = { Name: "Engine", Version: v.version, Details: { ApiVersion: v.api, MinAPIVersion: "1.24" } };
  return {
    Platform: { Name: "Docker Engine - Community" },
    Components: [component],
    Version: v.version,
    ApiVersion: v.api,
    MinAPIVersion: "1.24",
    GitCommit: v.commit,
    GoVersion: "go1.23.8",
    Os: "linux",
    Arch: "amd64",
    KernelVersion: "6.1.0-37-amd64",
    BuildTime: "2025-05-30T12:00:00.000000000+00:00",
  };
}

export function infoOf(host: DockerHostSpec, images: number): Json {
  const running = host.containers.filter((c) => c.running).length;
  const noAppArmor = parseInt(host.id.slice(2, 4), 16) % 10 === 0;
  return {
    ID: host.id.toUpperCase(),
    Containers: host.containers.length,
    ContainersRunning: running,
    ContainersPaused: 0,
    ContainersStopped: host.containers.length - running,
    Images: images,
    Driver: "overlay2",
    DockerRootDir: "/var/lib/docker",
    Name: host.name,
    ServerVersion: engineVersion(host).version,
    OperatingSystem: "Debian GNU/Linux 12 (bookworm)",
    OSType: "linux",
    OSVersion: "12",
    Architecture: "x86_64",
    KernelVersion: "6.1.0-37-amd64",
    NCPU: 8,
    MemTotal: 33_546_588_160,
    CgroupDriver: "systemd",
    CgroupVersion: "2",
    SecurityOptions: [...(noAppArmor ? [] : ["name=apparmor"]), "name=seccomp,profile=builtin", "name=cgroupns"],
    Runtimes: { runc: { path: "runc" } },
    DefaultRuntime: "runc",
    Swarm: { LocalNodeState: "inactive" },
    Labels: [],
    ExperimentalBuild: false,
    Warnings: null,
  };
}

/** `GET /networks`: the three built-in networks plus each Compose project's default network. */
export function networksOf(host: DockerHostSpec): Json[] {
  const builtIn: [string, string][] = [
    ["bridge", "bridge"],
    ["host", "host"],
    ["none", "null"],
  ];
  const all = [...builtIn, ...host.networks.map((name): [string, string] => [name, "bridge"])];
  return all.map(([name, driver], i) => ({
    Name: name,
    Id: networkId(host, name),
    Created: iso(1_750_000_000 + i * 60),
    Scope: "local",
    Driver: driver,
    EnableIPv4: true,
    EnableIPv6: false,
    IPAM: { Driver: "default", Options: null, Config: driver === "bridge" ? [{ Subnet: `172.${17 + i}.0.0/16` }] : [] },
    Internal: false,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: "" },
    ConfigOnly: false,
    Containers: {},
    Options:
      name === "bridge"
        ? { "com.docker.network.bridge.default_bridge": "true", "com.docker.network.bridge.name": "docker0" }
        : {},
    Labels: name.endsWith("_default")
      ? { "com.docker.compose.network": "default", "com.docker.compose.project": name.slice(0, -8) }
      : {},
  }));
}
