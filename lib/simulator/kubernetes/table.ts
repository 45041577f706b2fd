import type { KubeObject } from "./expand";

interface Column {
  name: string;
  type: string;
  format?: string;
  cell: (o: KubeObject, now: number) => string | number;
}

const nameColumn: Column = { name: "Name", type: "string", format: "name", cell: (o) => o.metadata.name };
const ageColumn: Column = { name: "Age", type: "string", cell: (o, now) => age(o.metadata.creationTimestamp, now) };
const num = (value: unknown): number => (typeof value === "number" ? value : 0);

const COLUMNS: Record<string, Column[]> = {
  pods: [
    nameColumn,
    { name: "Ready", type: "string", cell: (o) => readyCount(o) },
    { name: "Status", type: "string", cell: (o) => String(o.status?.phase ?? "Unknown") },
    { name: "Restarts", type: "string", cell: () => "0" },
    ageColumn,
  ],
  deployments: [
    nameColumn,
    { name: "Ready", type: "string", cell: (o) => `${num(o.status?.readyReplicas)}/${num(o.spec?.replicas ?? 1)}` },
    { name: "Up-to-date", type: "integer", cell: (o) => num(o.status?.updatedReplicas) },
    { name: "Available", type: "integer", cell: (o) => num(o.status?.availableReplicas) },
    ageColumn,
  ],
};

function readyCount(pod: KubeObject): string {
  const statuses = (pod.status?.containerStatuses ?? []) as { ready?: boolean }[];
  return `${statuses.filter((s) => s.ready).length}/${statuses.length}`;
}

function age(created: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(created)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** A `meta.k8s.io/v1` Table, what kubectl asks for when it prints columns. */
export function toTable(plural: string, items: KubeObject[], listMeta: Record<string, unknown>): unknown {
  const columns = COLUMNS[plural] ?? [nameColumn, ageColumn];
  const now = Date.now();
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: listMeta,
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? "",
      description: "",
      priority: 0,
    })),
    rows: items.map((o) => ({
      cells: columns.map((c) => c.cell(o, now)),
      object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata },
    })),
  };
}
