import type { ContainerSpec, DockerHostSpec, ImageSpec } from "@/lib/simulator/fleet";

/** Lookups the engine allows: full id, unique id prefix, or name; images also by reference or digest. */
export class HostIndex {
  private readonly byName = new Map<string, ContainerSpec>();
  private readonly byId = new Map<string, ContainerSpec>();
  readonly images = new Map<string, ImageSpec>();

  constructor(readonly host: DockerHostSpec) {
    for (const c of host.containers) {
      this.byName.set(c.name, c);
      this.byId.set(c.id, c);
      this.images.set(c.image.id, c.image);
    }
  }

  findContainer(ref: string): ContainerSpec | undefined {
    const key = ref.replace(/^\//, "");
    const exact = this.byId.get(key) ?? this.byName.get(key);
    if (exact) return exact;
    if (!/^[0-9a-f]+$/.test(key)) return undefined;
    const matches = this.host.containers.filter((c) => c.id.startsWith(key));
    return matches.length === 1 ? matches[0] : undefined;
  }

  findImage(ref: string): ImageSpec | undefined {
    const key = ref.startsWith("sha256:") ? ref : /^[0-9a-f]{12,64}$/.test(ref) ? `sha256:${ref}` : ref;
    for (const image of this.images.values()) {
      if (image.id.startsWith(key) && key.length >= 19) return image;
      if (image.repoTags.includes(ref) || image.repoDigests.includes(ref) || image.reference === ref) return image;
    }
    return undefined;
  }
}

type Filters = Record<string, string[]>;

/** `filters` is JSON: `{"status":["running"]}`, or the older `{"status":{"running":true}}`. */
export function parseFilters(text: string | null): Filters {
  if (!text) return {};
  const raw = JSON.parse(text) as Record<string, string[] | Record<string, boolean>>;
  const out: Filters = {};
  for (const [key, value] of Object.entries(raw)) out[key] = Array.isArray(value) ? value : Object.keys(value);
  return out;
}

function labelMatches(c: Record<string, string>, wanted: string): boolean {
  const [key, value] = wanted.split("=", 2) as [string, string | undefined];
  return value === undefined ? key in c : c[key] === value;
}

export function matchesFilters(c: ContainerSpec, labels: Record<string, string>, filters: Filters): boolean {
  const status = c.running ? "running" : "exited";
  if (filters.status && !filters.status.includes(status)) return false;
  if (filters.name && !filters.name.some((n) => c.name.includes(n.replace(/^\//, "")))) return false;
  if (filters.id && !filters.id.some((id) => c.id.startsWith(id))) return false;
  if (filters.label && !filters.label.every((l) => labelMatches(labels, l))) return false;
  return true;
}
