import type { InputError } from "@/lib/domain/facts";
import type { NetworkPolicy } from "@/lib/domain/kubernetes";
import {
  describeType,
  isRecord,
  isWorkloadKind,
  issuesToErrors,
  networkPolicySchema,
  serviceAccountSchema,
} from "@/lib/normalize";
import { isComposeDocument } from "./compose";

/** One object found in the inputs: a document, an element of a top-level array, or a List item. */
export interface InputObject {
  source: string;
  document: number;
  value: unknown;
  lines: (path: (string | number)[]) => number | undefined;
  /** Path of the object inside its document (`items[2]` for a List item), prefixed to error fields. */
  prefix: (string | number)[];
}

/** What the first pass found: workloads wait for the context (policies, accounts) of every input. */
export interface Classified {
  kubernetes: InputObject[];
  docker: InputObject[];
  compose: InputObject[];
  networkPolicies: NetworkPolicy[];
  serviceAccounts: Map<string, boolean | null>;
  skipped: Record<string, number>;
  errors: InputError[];
  /** Where each Kubernetes object (kind/namespace/name) was first seen, to warn about a second one. */
  seen: Map<string, string>;
  warnings: string[];
}

export function emptyClassified(): Classified {
  return {
    kubernetes: [],
    docker: [],
    compose: [],
    networkPolicies: [],
    serviceAccounts: new Map(),
    skipped: {},
    errors: [],
    seen: new Map(),
    warnings: [],
  };
}

export function classify(object: InputObject, into: Classified): void {
  const { value } = object;
  if (!isRecord(value)) {
    into.errors.push(errorAt(object, [], `expected an object, got ${describeType(value)}`));
    return;
  }
  if ("Id" in value && "HostConfig" in value) {
    into.docker.push(object);
    return;
  }
  if (isComposeDocument(value)) {
    into.compose.push(object);
    return;
  }
  if (typeof value.kind !== "string" || value.kind === "") {
    into.errors.push(errorAt(object, ["kind"], "required (not a Kubernetes object nor docker inspect output)"));
    return;
  }
  if (typeof value.apiVersion !== "string" || value.apiVersion === "") {
    into.errors.push(errorAt(object, ["apiVersion"], `required (kind ${value.kind})`));
    return;
  }
  if (value.kind.endsWith("List") && "items" in value) {
    classifyItems(object, value.items, into);
    return;
  }
  noteDuplicate(object.source, value, into);
  if (isWorkloadKind(value.kind)) into.kubernetes.push(object);
  else if (value.kind === "NetworkPolicy") collectPolicy(object, into);
  else if (value.kind === "ServiceAccount") collectAccount(object, into);
  if (!isWorkloadKind(value.kind)) into.skipped[value.kind] = (into.skipped[value.kind] ?? 0) + 1;
}

function classifyItems(list: InputObject, items: unknown, into: Classified): void {
  if (!Array.isArray(items)) {
    into.errors.push(errorAt(list, ["items"], `expected array, got ${describeType(items)}`));
    return;
  }
  const itemKind = itemKindOf(list.value as Record<string, unknown>);
  items.forEach((item: unknown, index) => {
    const value = itemKind && isRecord(item) && item.kind === undefined ? { ...itemKind, ...item } : item;
    classify({ ...list, value, prefix: [...list.prefix, "items", index] }, into);
  });
}

/** The API's typed lists (`PodList`, `DeploymentList`) leave kind and apiVersion out of their items. */
function itemKindOf(list: Record<string, unknown>): { kind: string; apiVersion: unknown } | undefined {
  const kind = String(list.kind).slice(0, -"List".length);
  return kind === "" ? undefined : { kind, apiVersion: list.apiVersion };
}

/** Two objects with one kind/namespace/name (unrelated files in one directory) are named, not silently merged. */
function noteDuplicate(source: string, value: Record<string, unknown>, into: Classified): void {
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  if (typeof metadata.name !== "string") return;
  const namespace =
    typeof metadata.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : "default";
  const key = `${String(value.kind)}/${namespace}/${metadata.name}`;
  const first = into.seen.get(key);
  if (first === undefined) {
    into.seen.set(key, source);
    return;
  }
  const outcome = isWorkloadKind(value.kind) ? "both are judged" : "the later one is used, as kubectl apply leaves it";
  into.warnings.push(`${key} is defined in both ${first} and ${source}: ${outcome}`);
}

function collectPolicy(object: InputObject, into: Classified): void {
  const parsed = networkPolicySchema.safeParse(object.value);
  if (!parsed.success) {
    into.errors.push(...prefixErrors(issuesToErrors(parsed.error.issues, object.value, origin(object)), object.prefix));
    return;
  }
  const policy = { ...(parsed.data as NetworkPolicy), source: object.source };
  const key = (p: NetworkPolicy) => `${p.metadata.namespace || "default"}/${p.metadata.name}`;
  const same = into.networkPolicies.findIndex((p) => key(p) === key(policy));
  if (same >= 0) into.networkPolicies.splice(same, 1);
  into.networkPolicies.push(policy);
}

function collectAccount(object: InputObject, into: Classified): void {
  const parsed = serviceAccountSchema.safeParse(object.value);
  if (!parsed.success) {
    into.errors.push(...prefixErrors(issuesToErrors(parsed.error.issues, object.value, origin(object)), object.prefix));
    return;
  }
  const namespace = parsed.data.metadata.namespace || "default";
  into.serviceAccounts.set(
    `${namespace}/${parsed.data.metadata.name}`,
    parsed.data.automountServiceAccountToken ?? null,
  );
}

function origin(object: InputObject): { source: string; document: number } {
  return { source: object.source, document: object.document };
}

function errorAt(object: InputObject, path: (string | number)[], detail: string): InputError {
  const field = joinPath(path);
  const base: InputError =
    field === "" ? { ...origin(object), message: detail } : { ...origin(object), field, message: detail };
  return prefixErrors([base], object.prefix)[0] ?? base;
}

/** Rewrites errors of an object nested in its document (`items[2]`) so the field names the full path. */
export function prefixErrors(errors: InputError[], prefix: (string | number)[]): InputError[] {
  return errors.map((error) => {
    const field = joinPath([...prefix, ...(error.field ? [error.field] : [])]);
    return field === "" ? error : { ...error, field };
  });
}

function joinPath(path: (string | number)[]): string {
  return path.reduce<string>((out, segment) => {
    if (typeof segment === "number") return `${out}[${segment}]`;
    return out === "" ? segment : `${out}.${segment}`;
  }, "");
}
