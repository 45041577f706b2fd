import { z } from "zod";
import type { DockerContainer } from "@/lib/domain/docker";
import type { DockerContainerFacts, InputError } from "@/lib/domain/facts";
import { dockerWorkloadOf } from "./docker";
import { isRecord } from "./field-path";
import { issuesToErrors } from "./zod-issues";

// A Compose service stands for the `docker run` flags its keys set (CHECKS.md, "Build and deploy files"): it
// becomes the inspect document Docker would report for it, and the Docker rules judge that.

const text = z.union([z.string(), z.number()]);
const textList = z.array(text).nullish();
const flag = z.boolean().nullish();
const stringMap = z.union([z.array(text), z.record(z.string(), z.union([text, z.boolean()]).nullable())]).nullish();
const limits = z.looseObject({ cpus: text.nullish(), memory: text.nullish(), pids: z.number().nullish() }).nullish();

export const composeServiceSchema = z.looseObject({
  image: z.string().nullish(),
  container_name: z.string().nullish(),
  user: text.nullish(),
  privileged: flag,
  read_only: flag,
  cap_add: textList,
  cap_drop: textList,
  security_opt: textList,
  network_mode: z.string().nullish(),
  networks: z.union([z.array(z.string()), z.record(z.string(), z.unknown())]).nullish(),
  pid: z.string().nullish(),
  ipc: z.string().nullish(),
  uts: z.string().nullish(),
  userns_mode: z.string().nullish(),
  environment: stringMap,
  labels: stringMap,
  volumes: z
    .array(
      z.union([
        z.string(),
        z.looseObject({
          type: z.string().nullish(),
          source: z.string().nullish(),
          target: z.string().nullish(),
          read_only: flag,
        }),
      ]),
    )
    .nullish(),
  ports: z
    .array(
      z.union([
        text,
        z.looseObject({
          target: text.nullish(),
          published: text.nullish(),
          host_ip: z.string().nullish(),
          protocol: z.string().nullish(),
        }),
      ]),
    )
    .nullish(),
  mem_limit: text.nullish(),
  cpus: text.nullish(),
  pids_limit: z.number().nullish(),
  deploy: z.looseObject({ resources: z.looseObject({ limits }).nullish() }).nullish(),
});
type ComposeService = z.infer<typeof composeServiceSchema>;

export interface ComposeContext {
  /** `file#service`. */
  source: string;
  project: string;
  service: string;
  /** 1-based line of a node under the service (`["privileged"]`), or of the service itself for `[]`. */
  lines: (path: (string | number)[]) => number | undefined;
}

export function normalizeComposeService(
  raw: unknown,
  context: ComposeContext,
): { facts?: DockerContainerFacts; errors: InputError[] } {
  const parsed = composeServiceSchema.safeParse(raw ?? {});
  if (!parsed.success)
    return {
      errors: issuesToErrors(parsed.error.issues, raw, { source: context.source }, ["services", context.service]),
    };
  const service = parsed.data;
  const container = composeContainer(service, context);
  const facts: DockerContainerFacts = {
    platform: "docker",
    workload: dockerWorkloadOf(context.service, container.Config.Labels),
    name: service.container_name ?? context.service,
    image: container.Config.Image ?? "",
    source: context.source,
    container,
    fromCompose: true,
    fieldLines: fieldLines(service, context.lines),
  };
  const line = context.lines([]);
  if (line !== undefined) facts.line = line;
  return { facts, errors: [] };
}

function composeContainer(service: ComposeService, context: ComposeContext): DockerContainer {
  const limits = service.deploy?.resources?.limits;
  const securityOpt = (service.security_opt ?? []).map(String);
  const apparmor = securityOpt.find((o) => /^apparmor[=:]/i.test(o))?.slice("apparmor=".length);
  const networkMode = service.network_mode ?? `${context.project}_default`;
  const networks = networkNames(service, networkMode);
  const ports = portBindings(service.ports ?? []);
  return {
    Id: `compose:${context.source}`,
    Name: `/${service.container_name ?? `${context.project}-${context.service}-1`}`,
    Image: "",
    Config: {
      User: service.user === undefined || service.user === null ? "" : String(service.user),
      // A service with only `build` runs the image Compose builds and names `<project>-<service>`.
      Image: service.image ?? `${context.project}-${context.service}`,
      Env: environment(service.environment),
      Labels: {
        ...labels(service.labels),
        "com.docker.compose.project": context.project,
        "com.docker.compose.service": context.service,
      },
    },
    HostConfig: {
      Privileged: service.privileged ?? false,
      ReadonlyRootfs: service.read_only ?? false,
      CapAdd: service.cap_add?.map(String) ?? null,
      CapDrop: service.cap_drop?.map(String) ?? null,
      SecurityOpt: securityOpt,
      NetworkMode: networkMode,
      PidMode: service.pid ?? "",
      IpcMode: service.ipc ?? "",
      UTSMode: service.uts ?? "",
      UsernsMode: service.userns_mode ?? "",
      Memory: bytes(service.mem_limit ?? limits?.memory),
      NanoCpus: Math.round(Number(service.cpus ?? limits?.cpus ?? 0) * 1e9) || 0,
      CpuQuota: 0,
      PidsLimit: service.pids_limit ?? limits?.pids ?? null,
      PortBindings: ports,
      Binds: null,
    },
    Mounts: (service.volumes ?? []).map(mount),
    ...(apparmor ? { AppArmorProfile: apparmor } : {}),
    NetworkSettings: { Networks: Object.fromEntries(networks.map((n) => [n, {}])), Ports: ports },
  };
}

function networkNames(service: ComposeService, mode: string): string[] {
  if (service.network_mode) return [mode];
  const named = Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? {});
  return named.length > 0 ? named : [mode];
}

/** A value that only references the deploy environment (`${DB_PASSWORD}`) is not a literal in the file. */
const REFERENCE_ONLY = /^\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;

function environment(env: ComposeService["environment"]): string[] {
  const entries: [string, string][] = Array.isArray(env)
    ? env.map((entry) => {
        const [name = "", ...rest] = String(entry).split("=");
        return [name, rest.join("=")];
      })
    : Object.entries(env ?? {}).map(([name, value]) => [name, value === null ? "" : String(value)]);
  return entries.map(([name, value]) => (REFERENCE_ONLY.test(value) || value === "" ? name : `${name}=${value}`));
}

function labels(value: ComposeService["labels"]): Record<string, string> {
  if (Array.isArray(value))
    return Object.fromEntries(value.map((entry) => String(entry).split(/=(.*)/s, 2) as [string, string]));
  return Object.fromEntries(Object.entries(value ?? {}).map(([k, v]) => [k, v === null ? "" : String(v)]));
}

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

/** `512m`, `1g`, `1073741824` → bytes; anything unreadable counts as no limit. */
function bytes(value: string | number | null | undefined): number {
  if (typeof value === "number") return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value ?? "");
  const unit = UNITS[(match?.[2] ?? "").toLowerCase()];
  return match && unit ? Math.round(Number(match[1]) * unit) : 0;
}

type Mount = NonNullable<DockerContainer["Mounts"]>[number];
type Volume = NonNullable<ComposeService["volumes"]>[number];

/** `./src:/app:ro`, `data:/var/lib/data`, `/var/run/docker.sock:/var/run/docker.sock`, or the long syntax. */
function mount(volume: Volume): Mount {
  if (typeof volume !== "string") {
    const source = volume.source ?? "";
    return {
      Type: volume.type ?? "volume",
      Source: source,
      Destination: volume.target ?? "",
      RW: volume.read_only !== true,
    };
  }
  const [source = "", destination, options = ""] = volume.split(":");
  if (destination === undefined) return { Type: "volume", Source: "", Destination: source, RW: true };
  const isBind = /^(\/|\.|~)/.test(source);
  return {
    Type: isBind ? "bind" : "volume",
    Source: source,
    Destination: destination,
    RW: !options.split(",").includes("ro"),
  };
}

type Bindings = Record<string, { HostIp: string; HostPort: string }[]>;

/** Short (`[ip:][host:]container[/proto]`) and long port syntax; no host port still publishes on all interfaces. */
function portBindings(ports: NonNullable<ComposeService["ports"]>): Bindings {
  const out: Bindings = {};
  for (const port of ports) {
    const { ip, host, target, protocol } = typeof port === "object" ? longPort(port) : shortPort(String(port));
    const key = `${target}/${protocol}`;
    (out[key] ??= []).push({ HostIp: ip, HostPort: host });
  }
  return out;
}

function longPort(port: {
  target?: string | number | null;
  published?: string | number | null;
  host_ip?: string | null;
  protocol?: string | null;
}) {
  return {
    ip: port.host_ip ?? "",
    host: String(port.published ?? ""),
    target: String(port.target ?? ""),
    protocol: port.protocol ?? "tcp",
  };
}

function shortPort(spec: string) {
  const [mapping = "", protocol = "tcp"] = spec.split("/");
  const ipv6 = /^\[([^\]]*)\]:(.*)$/.exec(mapping);
  const parts = ipv6 ? [ipv6[1] ?? "", ...(ipv6[2] ?? "").split(":")] : mapping.split(":");
  const target = parts.at(-1) ?? "";
  const host = parts.length >= 2 ? (parts.at(-2) ?? "") : "";
  const ip = parts.length >= 3 ? parts.slice(0, -2).join(":") : "";
  return { ip, host, target, protocol };
}

/** Where each inspect field the checks name is written in the service, for SARIF locations. */
function fieldLines(service: ComposeService, lines: ComposeContext["lines"]): Record<string, number> {
  const limitsKey = (flat: string, deploy: string) =>
    service[flat as keyof ComposeService] !== undefined ? [flat] : ["deploy", "resources", "limits", deploy];
  const keys: Record<string, (string | number)[]> = {
    "Config.User": ["user"],
    "Config.Image": ["image"],
    "Config.Env": ["environment"],
    "HostConfig.Privileged": ["privileged"],
    "HostConfig.ReadonlyRootfs": ["read_only"],
    "HostConfig.CapAdd": ["cap_add"],
    "HostConfig.CapDrop": ["cap_drop"],
    "HostConfig.SecurityOpt": ["security_opt"],
    AppArmorProfile: ["security_opt"],
    "HostConfig.NetworkMode": ["network_mode"],
    "NetworkSettings.Networks": service.network_mode ? ["network_mode"] : ["networks"],
    "HostConfig.PidMode": ["pid"],
    "HostConfig.IpcMode": ["ipc"],
    "HostConfig.UTSMode": ["uts"],
    "HostConfig.UsernsMode": ["userns_mode"],
    "HostConfig.Memory": limitsKey("mem_limit", "memory"),
    "HostConfig.NanoCpus": limitsKey("cpus", "cpus"),
    "HostConfig.PidsLimit": limitsKey("pids_limit", "pids"),
    "HostConfig.PortBindings": ["ports"],
    "NetworkSettings.Ports": ["ports"],
    Mounts: ["volumes"],
  };
  (service.volumes ?? []).forEach((_, i) => (keys[`Mounts[${i}]`] = ["volumes", i]));
  const env = service.environment;
  if (Array.isArray(env)) env.forEach((_, i) => (keys[`Config.Env[${i}]`] = ["environment", i]));
  else if (isRecord(env)) Object.keys(env).forEach((name, i) => (keys[`Config.Env[${i}]`] = ["environment", name]));
  const out: Record<string, number> = {};
  for (const [field, at] of Object.entries(keys)) {
    const line = lines(at);
    if (line !== undefined) out[field] = line;
  }
  return out;
}
