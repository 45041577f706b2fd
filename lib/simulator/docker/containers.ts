import type { ContainerSpec, DockerHostSpec } from "@/lib/simulator/fleet";
import { sha256Hex } from "@/lib/simulator/fleet";

type Json = Record<string, unknown>;

const APP_PORT = "8080/tcp";
const DEFAULT_MASKED = ["/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"];
const DEFAULT_READONLY = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

export function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(".000Z", ".000000000Z");
}

/** What `docker inspect` shows in `SecurityOpt`: the user's options plus the daemon's `label=disable` for privileged. */
function securityOpt(c: ContainerSpec): string[] | null {
  const options: string[] = [];
  if (c.posture.privileged) options.push("label=disable");
  if (c.posture.noNewPrivileges) options.push("no-new-privileges:true");
  if (c.posture.seccompUnconfined) options.push("seccomp=unconfined");
  if (c.posture.apparmorUnconfined) options.push("apparmor=unconfined");
  return options.length > 0 ? options : null;
}

function env(c: ContainerSpec): string[] {
  const list = [...c.image.env, `HOSTNAME=${c.id.slice(0, 12)}`, "LOG_LEVEL=info"];
  if (c.posture.plaintextSecret) list.push(`DB_PASSWORD=simulated-plaintext-${c.id.slice(0, 8)}`);
  if (c.posture.secretFile) list.push("DB_PASSWORD_FILE=/run/secrets/db_password");
  return list;
}

export function labels(c: ContainerSpec): Record<string, string> {
  const out: Record<string, string> = {
    "org.opencontainers.image.source": `https://git.acme.test/${c.image.repoTags[0]}`,
  };
  if (!c.compose) return out;
  return {
    ...out,
    "com.docker.compose.project": c.compose.project,
    "com.docker.compose.service": c.compose.service,
    "com.docker.compose.container-number": String(c.compose.number),
    "com.docker.compose.oneoff": "False",
    "com.docker.compose.version": "2.29.7",
  };
}

interface MountSpec {
  Type: string;
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

export function mounts(c: ContainerSpec): MountSpec[] {
  const list: MountSpec[] = [];
  const bind = (source: string, destination: string, rw: boolean): MountSpec => ({
    Type: "bind",
    Source: source,
    Destination: destination,
    Mode: rw ? "" : "ro",
    RW: rw,
    Propagation: "rprivate",
  });
  if (c.posture.runtimeSocket) list.push(bind("/var/run/docker.sock", "/var/run/docker.sock", true));
  if (c.posture.hostPathMount) list.push(bind("/var/log", "/host/var/log", false));
  if (c.compose?.service === "db") {
    const name = `${c.compose.project}_data`;
    list.push({
      Type: "volume",
      Name: name,
      Source: `/var/lib/docker/volumes/${name}/_data`,
      Destination: "/var/lib/data",
      Driver: "local",
      Mode: "z",
      RW: true,
      Propagation: "",
    });
  }
  return list;
}

function binds(c: ContainerSpec): string[] | null {
  const list = mounts(c)
    .filter((m) => m.Type === "bind")
    .map((m) => `${m.Source}:${m.Destination}${m.RW ? "" : ":ro"}`);
  return list.length > 0 ? list : null;
}

function portBindings(c: ContainerSpec): Json {
  return c.posture.hostPort ? { [APP_PORT]: [{ HostIp: "", HostPort: "8080" }] } : {};
}

/** Published ports as the running container reports them; an exposed, unpublished port maps to null. */
export function publishedPorts(c: ContainerSpec): Json {
  if (!c.running || c.network === "host") return {};
  if (!c.posture.hostPort) return { [APP_PORT]: null };
  return {
    [APP_PORT]: [
      { HostIp: "0.0.0.0", HostPort: "8080" },
      { HostIp: "::", HostPort: "8080" },
    ],
  };
}

export function ipOf(host: DockerHostSpec, c: ContainerSpec): string {
  const index = host.containers.indexOf(c);
  return `172.${18 + ((index >> 16) & 7)}.${(index >> 8) & 255}.${index & 255 || 1}`;
}

export function networkEntry(host: DockerHostSpec, c: ContainerSpec): Json {
  const up = c.running && c.network !== "host" && c.network !== "none";
  return {
    [c.network]: {
      IPAMConfig: null,
      Links: null,
      Aliases: c.compose ? [c.name, c.compose.service] : null,
      MacAddress: up ? `02:42:ac:12:${c.id.slice(0, 2)}:${c.id.slice(2, 4)}` : "",
      DriverOpts: null,
      NetworkID: networkId(host, c.network),
      EndpointID: up ? sha256Hex(`endpoint:${c.id}`) : "",
      Gateway: up ? "172.18.0.1" : "",
      IPAddress: up ? ipOf(host, c) : "",
      IPPrefixLen: up ? 16 : 0,
      IPv6Gateway: "",
      GlobalIPv6Address: "",
      GlobalIPv6PrefixLen: 0,
      DNSNames: c.compose && up ? [c.name, c.compose.service, c.id.slice(0, 12)] : null,
    },
  };
}

export function networkId(host: DockerHostSpec, name: string): string {
  return sha256Hex(`network:${host.id}:${name}`);
}

function state(c: ContainerSpec): Json {
  return {
    Status: c.running ? "running" : "exited",
    Running: c.running,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    Dead: false,
    Pid: c.running ? 1000 + (parseInt(c.id.slice(0, 4), 16) % 60000) : 0,
    ExitCode: 0,
    Error: "",
    StartedAt: iso(c.created + 5),
    FinishedAt: c.running ? "0001-01-01T00:00:00Z" : iso(c.created + 3600),
  };
}

function hostConfig(c: ContainerSpec): Json {
  const p = c.posture;
  return {
    Binds: binds(c),
    ContainerIDFile: "",
    LogConfig: { Type: "json-file", Config: {} },
    NetworkMode: c.network,
    PortBindings: portBindings(c),
    RestartPolicy: { Name: c.compose ? "unless-stopped" : "no", MaximumRetryCount: 0 },
    AutoRemove: false,
    VolumeDriver: "",
    VolumesFrom: null,
    ConsoleSize: [0, 0],
    CapAdd: p.capAdd.length > 0 ? p.capAdd : null,
    CapDrop: p.dropAll ? ["ALL"] : null,
    CgroupnsMode: "private",
    Dns: [],
    DnsOptions: [],
    DnsSearch: [],
    ExtraHosts: null,
    GroupAdd: null,
    IpcMode: p.hostIpc ? "host" : "private",
    Cgroup: "",
    Links: null,
    OomScoreAdj: 0,
    PidMode: p.hostPid ? "host" : "",
    Privileged: p.privileged,
    PublishAllPorts: false,
    ReadonlyRootfs: p.readOnlyRoot,
    SecurityOpt: securityOpt(c),
    UTSMode: "",
    UsernsMode: "",
    ShmSize: 67108864,
    Runtime: "runc",
    Isolation: "",
    CpuShares: 0,
    Memory: p.limits?.memoryBytes ?? 0,
    NanoCpus: p.limits?.nanoCpus ?? 0,
    CgroupParent: "",
    CpuPeriod: 0,
    CpuQuota: 0,
    MemoryReservation: 0,
    MemorySwap: p.limits ? p.limits.memoryBytes * 2 : 0,
    PidsLimit: p.limits?.pids ?? null,
    Ulimits: null,
    MaskedPaths: p.privileged ? null : DEFAULT_MASKED,
    ReadonlyPaths: p.privileged ? null : DEFAULT_READONLY,
  };
}

function config(c: ContainerSpec): Json {
  return {
    Hostname: c.id.slice(0, 12),
    Domainname: "",
    User: c.posture.user,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    ExposedPorts: { [APP_PORT]: {} },
    Tty: false,
    OpenStdin: false,
    StdinOnce: false,
    Env: env(c),
    Cmd: ["serve"],
    Image: c.image.reference,
    Volumes: null,
    WorkingDir: "/app",
    Entrypoint: ["/entrypoint.sh"],
    OnBuild: null,
    Labels: labels(c),
  };
}

/** `GET /containers/{id}/json`, shaped as Docker 27/28 returns it. */
export function inspectContainer(host: DockerHostSpec, c: ContainerSpec): Json {
  return {
    Id: c.id,
    Created: iso(c.created),
    Path: "/entrypoint.sh",
    Args: ["serve"],
    State: state(c),
    Image: c.image.id,
    ResolvConfPath: `/var/lib/docker/containers/${c.id}/resolv.conf`,
    HostnamePath: `/var/lib/docker/containers/${c.id}/hostname`,
    HostsPath: `/var/lib/docker/containers/${c.id}/hosts`,
    LogPath: `/var/lib/docker/containers/${c.id}/${c.id}-json.log`,
    Name: `/${c.name}`,
    RestartCount: 0,
    Driver: "overlay2",
    Platform: "linux",
    MountLabel: "",
    ProcessLabel: "",
    AppArmorProfile: c.posture.privileged || c.posture.apparmorUnconfined ? "unconfined" : "docker-default",
    ExecIDs: null,
    HostConfig: hostConfig(c),
    GraphDriver: { Data: null, Name: "overlay2" },
    Mounts: mounts(c),
    Config: config(c),
    NetworkSettings: {
      Bridge: "",
      SandboxID: c.running ? sha256Hex(`sandbox:${c.id}`) : "",
      SandboxKey: c.running ? `/var/run/docker/netns/${c.id.slice(0, 12)}` : "",
      Ports: publishedPorts(c),
      HairpinMode: false,
      LinkLocalIPv6Address: "",
      LinkLocalIPv6PrefixLen: 0,
      SecondaryIPAddresses: null,
      SecondaryIPv6Addresses: null,
      EndpointID: "",
      Gateway: "",
      GlobalIPv6Address: "",
      GlobalIPv6PrefixLen: 0,
      IPAddress: "",
      IPPrefixLen: 0,
      IPv6Gateway: "",
      MacAddress: "",
      Networks: networkEntry(host, c),
    },
  };
}
