// One check's Docker fix applied to a Compose service's value, as `rampart fix` writes it into the file. The fix's
// Compose keys merge as Compose merges an override file (maps by key, list entries by what they name, null
// unsets), and the entries its `docker run` removals name are taken out: the user's other entries stay.
import { isDeepStrictEqual } from "node:util";
import type { DockerFix } from "@/lib/checks/define-check";
import { normalizeCapability } from "@/lib/checks/support/docker";
import { normalizeComposeService } from "@/lib/normalize/compose";
import { rebuildRunFlags, removes } from "./docker-run";

type Json = Record<string, unknown>;

const LIST_KEYS = ["cap_add", "cap_drop", "security_opt", "volumes", "ports", "environment", "tmpfs"];
const PROBE = { source: "rampart-fix", project: "fix", service: "fix", lines: () => undefined };
const probed = new Map<string, string[]>();

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function runFlags(service: Json): string[] {
  const { facts } = normalizeComposeService(service, PROBE);
  return facts ? rebuildRunFlags(facts).flags : [];
}

/** The `docker run` flags one list entry stands for (`--volume=./data:/data:ro`, `--cap-add=NET_ADMIN`, `--env=A`). */
function entryFlags(key: string, entry: unknown): string[] {
  const id = JSON.stringify([key, entry]);
  let flags = probed.get(id);
  if (flags === undefined) {
    const base = new Set(runFlags({}));
    flags = runFlags({ [key]: [entry] }).filter((flag) => !base.has(flag));
    probed.set(id, flags);
  }
  return flags;
}

/** What an entry is about: a fix's entry replaces the user's entry about the same thing. */
function identity(key: string, entry: unknown): string {
  const text = String(entry);
  if (key === "cap_add" || key === "cap_drop") return normalizeCapability(text);
  if (key === "tmpfs") return text.split(":")[0] as string;
  if (key === "environment") return text.split("=")[0] as string;
  // The mount point, and the published port whatever address it is bound to.
  if (key === "volumes")
    return entryFlags(key, entry)
      .map((flag) => flag.split(":")[1])
      .join(" ");
  if (key === "ports")
    return entryFlags(key, entry)
      .map((flag) => flag.replace(/^--publish=(?:\[[^\]]*\]:|[^:[]+:(?=[^:]+:))?/, ""))
      .join(" ");
  return JSON.stringify(entry);
}

/** Keys whose entries say something about what they name (a mount's mode, a port's address). */
const REPLACED = new Set(["volumes", "ports"]);

/** Entries about the same thing are replaced (unless they already mean the same), others are added. */
function mergeList(key: string, existing: unknown, entries: unknown[]): unknown {
  if (isObject(existing)) return { ...Object.fromEntries(entries.map((e) => [String(e), null])), ...existing };
  const out = Array.isArray(existing) ? [...existing] : [];
  for (const entry of entries) {
    const at = out.findIndex((e) => identity(key, e) === identity(key, entry));
    if (at < 0) out.push(entry);
    else if (REPLACED.has(key) && !isDeepStrictEqual(entryFlags(key, out[at]), entryFlags(key, entry))) out[at] = entry;
  }
  return out;
}

/** `environment` as a map or as `NAME=value` entries: a null unsets the variable, a value sets it. */
function mergeEnvironment(existing: unknown, changes: Json): unknown {
  if (!Array.isArray(existing)) {
    const out: Json = { ...(isObject(existing) ? existing : {}) };
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) delete out[name];
      else out[name] = value;
    }
    return out;
  }
  const out = existing.filter((entry) => changes[identity("environment", entry)] !== null);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) continue;
    const at = out.findIndex((entry) => identity("environment", entry) === name);
    if (at < 0) out.push(`${name}=${String(value)}`);
    else out[at] = `${name}=${String(value)}`;
  }
  return out;
}

function withoutRemoved(key: string, value: unknown, removals: readonly string[]): unknown {
  const named = (flag: string) => removals.some((removal) => removes(removal, flag));
  if (Array.isArray(value)) return value.filter((entry) => !entryFlags(key, entry).some(named));
  if (key === "environment" && isObject(value))
    return Object.fromEntries(Object.entries(value).filter(([name]) => !named(`--env=${name}`)));
  return value;
}

/** The service with the fix applied; a list left empty is unset. */
export function applyComposeFix(service: Json, fix: DockerFix): Json {
  const out: Json = { ...service };
  for (const [key, value] of Object.entries(fix.compose ?? {})) {
    if (value === null) delete out[key];
    else if (key === "environment" && isObject(value)) out[key] = mergeEnvironment(out[key], value);
    else if (Array.isArray(value)) out[key] = mergeList(key, out[key], value);
    else out[key] = value;
  }
  for (const key of LIST_KEYS) {
    if (out[key] === undefined) continue;
    const kept = withoutRemoved(key, out[key], fix.remove ?? []);
    const empty = Array.isArray(kept) ? kept.length === 0 : isObject(kept) && Object.keys(kept).length === 0;
    if (empty && !isDeepStrictEqual(kept, service[key])) delete out[key];
    else out[key] = kept;
  }
  return out;
}
