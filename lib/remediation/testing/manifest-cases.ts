// Test support only: gathers Kubernetes workloads (and their namespaces' NetworkPolicies) from folders of manifests.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import type { NetworkPolicy } from "@/lib/domain/kubernetes";
import { isWorkloadKind } from "@/lib/normalize/kubernetes";

export interface ManifestCase {
  /** `file#documentIndex`, relative to the folder. */
  source: string;
  object: Record<string, unknown>;
}

export interface ManifestSet {
  cases: ManifestCase[];
  networkPolicies: NetworkPolicy[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function listManifestFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) return listManifestFiles(full);
      return /\.(ya?ml|json)$/.test(entry) ? [full] : [];
    });
}

/**
 * Top-level objects of one document: the object itself, a `*List`'s items, or a JSON array's elements.
 * The API server leaves `kind` and `apiVersion` out of a typed list's items (`PodList`): they take the list's.
 */
function objectsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(objectsOf);
  if (isRecord(value) && typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items)) {
    const itemKind = value.kind.slice(0, -"List".length);
    return value.items
      .map((item: unknown) =>
        isRecord(item) && item.kind === undefined && itemKind
          ? { apiVersion: value.apiVersion, kind: itemKind, ...item }
          : item,
      )
      .flatMap(objectsOf);
  }
  return [value];
}

/** Every workload and NetworkPolicy found under `dir`; documents that do not parse are left out. */
export function loadManifestSet(dir: string): ManifestSet {
  const set: ManifestSet = { cases: [], networkPolicies: [] };
  for (const file of listManifestFiles(dir)) {
    const documents = parseAllDocuments(readFileSync(file, "utf8"));
    documents.forEach((document, index) => {
      if (document.errors.length > 0) return;
      for (const object of objectsOf(document.toJS())) {
        if (!isRecord(object)) continue;
        if (object.kind === "NetworkPolicy") set.networkPolicies.push(object as unknown as NetworkPolicy);
        else if (isWorkloadKind(object.kind))
          set.cases.push({ source: `${path.relative(dir, file)}#${index}`, object });
      }
    });
  }
  return set;
}
