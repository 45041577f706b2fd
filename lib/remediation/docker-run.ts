// The whole hardened `docker run` command and Compose service of a container: its configuration read back from
// `docker inspect` as flags (in the `--flag=value` form the checks' fixes use), the fixes' flags removed and
// added, then rendered for a shell and as Compose keys. Environment variables are passed by name, never a value.
import { parseImageReference } from "@/lib/checks/support/images";
import { attachedNetworks } from "@/lib/checks/support/networks";
import { credentialLikeValue, secretLikeName } from "@/lib/checks/secrets";
import type { DockerContainerFacts } from "@/lib/domain/facts";
import { composeServiceName } from "./docker";
import { shellQuote } from "./kubernetes";
import { toYaml } from "./yaml";

export interface RunFlags {
  flags: string[];
  image: string;
  command: string[];
  /** User-defined networks besides the `--network` one: `docker run` joins one, `docker network connect` the rest. */
  networks: string[];
}

/**
 * What the whole hardened command is rebuilt from, kept with a collected container so the dashboard renders the
 * command the CLI prints: flags with variables by name only, arguments that look like secrets not shown.
 */
export interface RunSpec extends RunFlags {
  /** The Compose service the container belongs to, else its own name. */
  service: string;
}

/** Shown instead of a command argument that looks like a secret; never its value. */
export const SECRET_ARGUMENT = "<secret not shown>";

const ALL_INTERFACES = new Set(["", "0.0.0.0", "::"]);
const COMPOSE_LABEL = /^com\.docker\.compose\./;
/** Flags that hold one value: an added one replaces the one the container had. */
const SINGLE = ["--user", "--network", "--memory", "--cpus", "--pids-limit", "--pid", "--ipc", "--uts", "--userns"];

const flagName = (flag: string) => flag.split("=")[0] as string;
/** Networks a container is on without joining them by name. */
const BUILT_IN_NETWORKS = new Set(["host", "none", "bridge", "default"]);
const OPTION_WITH_VALUE = /^(-{0,2}[A-Za-z_][\w.-]*)=/;
const OPTION = /^-{1,2}[A-Za-z][\w.-]*$/;

/** `--db-password`, `TOKEN`; not `--password-file`, which names where the secret is. */
const isSecretOption = (option: string) => secretLikeName(option.replace(/^-+/, "").replace(/-/g, "_")) !== null;

/**
 * The command's words with each one that looks like a secret replaced: a credential-shaped word, the value of
 * `--password=…`/`TOKEN=…`, and the word after `--password`/`-token`. Arguments are as visible as env values.
 */
export function secretFreeArguments(words: readonly string[]): string[] {
  return words.map((word, i) => {
    if (credentialLikeValue(word)) return SECRET_ARGUMENT;
    const option = OPTION_WITH_VALUE.exec(word);
    if (option && isSecretOption(option[1] as string)) return `${option[1]}=${SECRET_ARGUMENT}`;
    const previous = words[i - 1];
    if (previous && OPTION.test(previous) && !word.startsWith("-") && isSecretOption(previous)) return SECRET_ARGUMENT;
    return word;
  });
}

/** The user-defined networks the container is attached to besides its network mode. */
function extraNetworks(facts: DockerContainerFacts, mode: string | undefined): string[] {
  if (!mode || mode === "host" || mode === "none" || mode.startsWith("container:")) return [];
  return attachedNetworks(facts).filter((name) => name !== mode && !BUILT_IN_NETWORKS.has(name));
}

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
  const words = secretFreeArguments([...(config.Entrypoint ?? []), ...(config.Cmd ?? [])]);
  const entrypoint = (config.Entrypoint?.length ?? 0) > 0 ? words.shift() : undefined;
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
  return { flags, image: imageByDigest(facts), command: words, networks: extraNetworks(facts, mode ?? undefined) };
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === "string");

/** Whether a stored value is a run spec (a row written before specs were kept holds null). */
export function isRunSpec(value: unknown): value is RunSpec {
  if (!value || typeof value !== "object") return false;
  const spec = value as Record<string, unknown>;
  return (
    typeof spec.service === "string" &&
    typeof spec.image === "string" &&
    isStrings(spec.flags) &&
    isStrings(spec.command) &&
    isStrings(spec.networks)
  );
}

/** The container's rebuilt command as kept with it: secret-free, rendered the same way wherever it is read. */
export function runSpecOf(facts: DockerContainerFacts): RunSpec {
  return { service: composeServiceName(facts), ...rebuildRunFlags(facts) };
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
  // A user-defined network the fix's `--network` replaced, and did not remove, is still joined.
  const displaced = run.flags
    .filter((flag) => flagName(flag) === "--network" && replaced.has("--network"))
    .map((flag) => flag.slice("--network=".length))
    .filter((name) => !BUILT_IN_NETWORKS.has(name) && !name.startsWith("container:"));
  const joined = new Set(
    additions.filter((flag) => flagName(flag) === "--network").map((f) => f.slice("--network=".length)),
  );
  const networks = [...new Set([...displaced, ...run.networks])].filter(
    (name) => !joined.has(name) && !removals.some((removal) => removal === `--network=${name}`),
  );
  return { ...run, flags: [...kept, ...additions.filter((flag) => !present.has(normalizeFlag(flag)))], networks };
}

/** A word the shell reads back as it is: quoted unless made of characters no shell treats specially. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(text) ? text : shellQuote(text);
}

/** `docker run`, then `docker network connect` for each further network (`docker run` joins only one). */
export function renderDockerRun(run: RunFlags): string {
  const words = [...run.flags, run.image, ...run.command].map(shellWord);
  const name = run.flags.find((flag) => flagName(flag) === "--name")?.slice("--name=".length);
  const connects = name
    ? run.networks.map((network) => `docker network connect ${shellWord(network)} ${shellWord(name)}`)
    : [];
  return [["docker run -d", ...words].join(" \\\n  "), ...connects].join("\n");
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
  for (const network of run.networks) push(service, "networks", network);
  const networks = (service.networks as string[] | undefined) ?? [];
  // Compose joins either a network mode or the listed networks: the listed ones win over the default bridge.
  if (networks.length > 0 && service.network_mode === "bridge") delete service.network_mode;
  const file: Record<string, unknown> = { services: { [name]: service } };
  if (networks.length > 0) file.networks = Object.fromEntries(networks.map((n) => [n, { external: true }]));
  return toYaml(file);
}
