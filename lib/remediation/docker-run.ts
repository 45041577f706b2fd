// The whole hardened `docker run` command and Compose service of a container: its configuration read back from
// `docker inspect` as flags (in the `--flag=value` form the checks' fixes use), the fixes' flags removed and
// added, then rendered for a shell and as Compose keys. Environment variables are passed by name, never a value.
import { parseImageReference } from "@/lib/checks/support/images";
import type { DockerContainerFacts } from "@/lib/domain/facts";
import { shellQuote } from "./kubernetes";
import { toYaml } from "./yaml";

export interface RunFlags {
  flags: string[];
  image: string;
  command: string[];
}

const ALL_INTERFACES = new Set(["", "0.0.0.0", "::"]);
const COMPOSE_LABEL = /^com\.docker\.compose\./;
/** Flags that hold one value: an added one replaces the one the container had. */
const SINGLE = ["--user", "--network", "--memory", "--cpus", "--pids-limit", "--pid", "--ipc", "--uts", "--userns"];

const flagName = (flag: string) => flag.split("=")[0] as string;

function publishFlags(facts: DockerContainerFacts): string[] {
  return Object.entries(facts.container.HostConfig.PortBindings ?? {}).flatMap(([port, bindings]) =>
    (bindings ?? []).map((b) => {
      const ip = ALL_INTERFACES.has(b.HostIp ?? "")
        ? ""
        : (b.HostIp ?? "").includes(":")
          ? `[${b.HostIp}]:`
          : `${b.HostIp}:`;
      const hostPort = b.HostPort ? `${b.HostPort}:` : ip ? ":" : "";
      return `--publish=${ip}${hostPort}${port.replace("/tcp", "")}`;
    }),
  );
}

function volumeFlags(facts: DockerContainerFacts): string[] {
  const { container } = facts;
  if (!container.Mounts) return (container.HostConfig.Binds ?? []).map((bind) => `--volume=${bind}`);
  return container.Mounts.flatMap((m) => {
    if (m.Type === "tmpfs") return [];
    const source = m.Type === "volume" ? (m.Name ?? m.Source ?? "") : (m.Source ?? "");
    return [`--volume=${source}:${m.Destination ?? ""}${m.RW === false ? ":ro" : ""}`];
  });
}

/** Variables the container sets itself (not inherited from the image), by name only. */
function envFlags(facts: DockerContainerFacts): string[] {
  const inherited = new Set(facts.imageInspect?.Config?.Env ?? []);
  return (facts.container.Config.Env ?? [])
    .filter((entry) => !inherited.has(entry))
    .map((entry) => `--env=${entry.split("=")[0]}`);
}

function labelFlags(facts: DockerContainerFacts): string[] {
  const fromImage = facts.imageInspect?.Config?.Labels ?? {};
  return Object.entries(facts.container.Config.Labels ?? {})
    .filter(([key, value]) => !COMPOSE_LABEL.test(key) && fromImage[key] !== value)
    .map(([key, value]) => `--label=${key}=${value}`);
}

function cpus(host: DockerContainerFacts["container"]["HostConfig"]): string[] {
  if (host.NanoCpus) return [`--cpus=${host.NanoCpus / 1e9}`];
  if (host.CpuQuota && host.CpuQuota > 0) return [`--cpus=${host.CpuQuota / (host.CpuPeriod || 100_000)}`];
  return [];
}

/**
 * The image by a registry digest the engine knows it by (a RepoDigest, same repository first), else as it was
 * named: an image ID is no digest a registry or `docker run` resolves, so an image never pushed stays unpinned.
 */
function imageByDigest(facts: DockerContainerFacts): string {
  const reference = facts.container.Config.Image ?? facts.image;
  const repository = parseImageReference(reference).repository;
  const known = facts.imageInspect?.RepoDigests ?? [];
  return known.find((entry) => entry.startsWith(`${repository}@`)) ?? known[0] ?? reference;
}

/** The container as it runs today, as `docker run` flags, image (by digest when known) and command. */
export function rebuildRunFlags(facts: DockerContainerFacts): RunFlags {
  const { Config: config, HostConfig: host } = facts.container;
  const mode = host.NetworkMode === "default" ? "bridge" : host.NetworkMode;
  const restart = host.RestartPolicy?.Name;
  const retries = host.RestartPolicy?.MaximumRetryCount;
  const [entrypoint, ...entryArgs] = config.Entrypoint ?? [];
  const flags = [
    `--name=${facts.name}`,
    ...(config.User ? [`--user=${config.User}`] : []),
    ...(host.Privileged ? ["--privileged"] : []),
    ...(host.ReadonlyRootfs ? ["--read-only"] : []),
    ...Object.keys(host.Tmpfs ?? {}).map((path) => `--tmpfs=${path}`),
    ...(host.CapDrop ?? []).map((cap) => `--cap-drop=${cap}`),
    ...(host.CapAdd ?? []).map((cap) => `--cap-add=${cap}`),
    ...(host.SecurityOpt ?? []).map((option) => `--security-opt=${option}`),
    ...(mode ? [`--network=${mode}`] : []),
    ...(["PidMode", "IpcMode", "UTSMode", "UsernsMode"] as const).flatMap((field) =>
      host[field] === "host" ? [`--${field.replace("Mode", "").toLowerCase()}=host`] : [],
    ),
    ...(host.Memory ? [`--memory=${host.Memory}`] : []),
    ...cpus(host),
    ...((host.PidsLimit ?? 0) > 0 ? [`--pids-limit=${host.PidsLimit}`] : []),
    ...publishFlags(facts),
    ...volumeFlags(facts),
    ...(restart && restart !== "no" ? [`--restart=${restart}${retries ? `:${retries}` : ""}`] : []),
    ...labelFlags(facts),
    ...envFlags(facts),
    ...(config.WorkingDir ? [`--workdir=${config.WorkingDir}`] : []),
    ...(entrypoint !== undefined ? [`--entrypoint=${entrypoint}`] : []),
  ];
  return { flags, image: imageByDigest(facts), command: [...entryArgs, ...(config.Cmd ?? [])] };
}

/** Docker spells one capability several ways (`SYS_ADMIN`, `CAP_SYS_ADMIN`, `sys_admin`). */
function normalizeFlag(flag: string): string {
  const cap = /^(--cap-(?:add|drop)=)(?:CAP_)?(.+)$/i.exec(flag);
  return cap ? `${cap[1]}${(cap[2] as string).toUpperCase().replace(/^CAP_/, "")}` : flag;
}

/** `--env=NAME` names a variable: it removes that variable whatever the form. */
export function removes(removal: string, flag: string): boolean {
  return (
    normalizeFlag(flag) === normalizeFlag(removal) || (removal.startsWith("--env=") && flag.startsWith(`${removal}=`))
  );
}

/** The flags with every fix's removals taken out and additions put in (an added one-value flag replaces). */
export function hardenRun(run: RunFlags, fixes: readonly { add: string[]; remove: string[] }[]): RunFlags {
  const removals = fixes.flatMap((fix) => fix.remove);
  const additions = [...new Set(fixes.flatMap((fix) => fix.add))];
  const replaced = new Set(additions.map(flagName).filter((name) => SINGLE.includes(name)));
  const kept = run.flags.filter(
    (flag) => !removals.some((removal) => removes(removal, flag)) && !replaced.has(flagName(flag)),
  );
  const present = new Set(kept.map(normalizeFlag));
  return { ...run, flags: [...kept, ...additions.filter((flag) => !present.has(normalizeFlag(flag)))] };
}

/** A word the shell reads back as it is: quoted unless made of characters no shell treats specially. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(text) ? text : shellQuote(text);
}

export function renderDockerRun(run: RunFlags): string {
  const words = [...run.flags, run.image, ...run.command].map(shellWord);
  return ["docker run -d", ...words].join(" \\\n  ");
}

type Service = Record<string, unknown>;

function push(service: Service, key: string, value: unknown): void {
  const list = (service[key] ??= []) as unknown[];
  list.push(value);
}

/** `--mount=type=bind,source=S,target=T,readonly` as the short volume syntax `S:T:ro`. */
function mountVolume(spec: string): string {
  const fields = Object.fromEntries(spec.split(",").map((part) => [part.split("=")[0], part.split("=")[1] ?? ""]));
  return `${fields.source ?? ""}:${fields.target ?? fields.destination ?? ""}${"readonly" in fields ? ":ro" : ""}`;
}

const TO_COMPOSE: Record<string, (service: Service, value: string) => void> = {
  "--user": (s, v) => (s.user = v),
  "--privileged": (s) => (s.privileged = true),
  "--read-only": (s) => (s.read_only = true),
  "--tmpfs": (s, v) => push(s, "tmpfs", v),
  "--cap-drop": (s, v) => push(s, "cap_drop", v),
  "--cap-add": (s, v) => push(s, "cap_add", v),
  "--security-opt": (s, v) => push(s, "security_opt", v),
  "--network": (s, v) => (["host", "none", "bridge"].includes(v) ? (s.network_mode = v) : push(s, "networks", v)),
  "--pid": (s, v) => (s.pid = v),
  "--ipc": (s, v) => (s.ipc = v),
  "--uts": (s, v) => (s.uts = v),
  "--userns": (s, v) => (s.userns_mode = v),
  "--memory": (s, v) => (s.mem_limit = v),
  "--cpus": (s, v) => (s.cpus = Number(v)),
  "--pids-limit": (s, v) => (s.pids_limit = Number(v)),
  "--publish": (s, v) => push(s, "ports", v),
  "--volume": (s, v) => push(s, "volumes", v),
  "--mount": (s, v) => push(s, "volumes", mountVolume(v)),
  "--restart": (s, v) => (s.restart = v),
  "--label": (s, v) =>
    (((s.labels ??= {}) as Record<string, string>)[v.split("=")[0] as string] = v.slice(v.indexOf("=") + 1)),
  "--env": (s, v) => push(s, "environment", v),
  "--workdir": (s, v) => (s.working_dir = v),
  "--entrypoint": (s, v) => (s.entrypoint = [v]),
};

/** The hardened service as a Compose file, with the user-defined networks it joins declared as external. */
export function renderComposeService(name: string, run: RunFlags): string {
  const service: Service = { image: run.image };
  for (const flag of run.flags) {
    const at = flag.indexOf("=");
    const key = at < 0 ? flag : flag.slice(0, at);
    if (key !== "--name") TO_COMPOSE[key]?.(service, at < 0 ? "" : flag.slice(at + 1));
  }
  if (run.command.length > 0) service.command = run.command;
  const networks = (service.networks as string[] | undefined) ?? [];
  const file: Record<string, unknown> = { services: { [name]: service } };
  if (networks.length > 0) file.networks = Object.fromEntries(networks.map((n) => [n, { external: true }]));
  return toYaml(file);
}
