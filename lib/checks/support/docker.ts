import type { DockerContainer } from "@/lib/domain/docker";

/** Docker accepts `all`, `ALL`, `cap_sys_admin`, `CAP_SYS_ADMIN`: compare in one spelling. */
export function normalizeCapability(name: string): string {
  return name.trim().toUpperCase().replace(/^CAP_/, "");
}

export function securityOptions(container: DockerContainer): string[] {
  return container.HostConfig.SecurityOpt ?? [];
}

/** `seccomp=unconfined` and `seccomp:unconfined` are both accepted by Docker: split on either. */
export function parseSecurityOption(option: string): { key: string; value: string } {
  const match = /^([^=:]+)[=:](.*)$/.exec(option.trim());
  if (!match) return { key: option.trim().toLowerCase(), value: "" };
  return { key: (match[1] ?? "").toLowerCase(), value: match[2] ?? "" };
}

export function hasSecurityOption(container: DockerContainer, key: string, value: string): boolean {
  return securityOptions(container).some((option) => {
    const parsed = parseSecurityOption(option);
    return parsed.key === key && parsed.value.toLowerCase() === value;
  });
}

export function isPrivileged(container: DockerContainer): boolean {
  return container.HostConfig.Privileged === true;
}

export interface DockerMount {
  source: string;
  destination: string;
  readWrite: boolean;
  type: string;
  fieldPath: string;
}

/** Mounts from `Mounts` (what the daemon reports), else parsed from `HostConfig.Binds`. */
export function listMounts(container: DockerContainer): DockerMount[] {
  if (container.Mounts) {
    return container.Mounts.map((m, i) => ({
      source: m.Source ?? "",
      destination: m.Destination ?? "",
      readWrite: m.RW !== false,
      type: m.Type ?? "bind",
      fieldPath: `Mounts[${i}].Source`,
    }));
  }
  return (container.HostConfig.Binds ?? []).map((bind, i) => {
    const [source = "", destination = "", options = ""] = bind.split(":");
    const readWrite = !options.split(",").includes("ro");
    return {
      source,
      destination,
      readWrite,
      type: source.startsWith("/") ? "bind" : "volume",
      fieldPath: `HostConfig.Binds[${i}]`,
    };
  });
}

/** `/etc/` and `/etc` name the same directory. */
export function normalizeHostPath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}
