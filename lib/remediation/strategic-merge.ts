// The subset of Kubernetes strategic merge patch that pod-spec remediation needs:
// maps merge recursively, null deletes a key, keyed lists merge entry by entry, other lists are replaced.

type Json = unknown;
type JsonObject = Record<string, Json>;

/** Lists of objects merged by a key, as in the Kubernetes API's patchMergeKey tags for pod specs. */
export const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  volumes: "name",
  env: "name",
  ports: "containerPort",
  volumeMounts: "mountPath",
};

/** `$patch: delete` on a keyed list entry removes that entry, as in Kubernetes. */
const PATCH_DIRECTIVE = "$patch";

function isObject(value: Json): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A value added where nothing was before: nulls mean "delete", so they vanish. */
export function withoutNulls(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (child !== null && key !== PATCH_DIRECTIVE) out[key] = withoutNulls(child);
  }
  return out;
}

function mergeKeyedList(original: Json[], patch: Json[], mergeKey: string): Json[] {
  const result = [...original];
  for (const entry of patch) {
    if (!isObject(entry) || !(mergeKey in entry)) {
      result.push(withoutNulls(entry));
      continue;
    }
    const at = result.findIndex((item) => isObject(item) && item[mergeKey] === entry[mergeKey]);
    if (entry[PATCH_DIRECTIVE] === "delete") {
      if (at >= 0) result.splice(at, 1);
    } else if (at >= 0) {
      result[at] = mergeValue(result[at], entry, undefined);
    } else {
      result.push(withoutNulls(entry));
    }
  }
  return result;
}

function mergeValue(original: Json, patch: Json, field: string | undefined): Json {
  const mergeKey = field === undefined ? undefined : MERGE_KEYS[field];
  if (Array.isArray(patch) && Array.isArray(original) && mergeKey) return mergeKeyedList(original, patch, mergeKey);
  if (isObject(patch) && isObject(original)) return mergeObjects(original, patch);
  return withoutNulls(patch);
}

function mergeObjects(original: JsonObject, patch: JsonObject): JsonObject {
  const result: JsonObject = { ...original };
  for (const [key, value] of Object.entries(patch)) {
    if (key === PATCH_DIRECTIVE) continue;
    if (value === null) delete result[key];
    else result[key] = key in original ? mergeValue(original[key], value, key) : withoutNulls(value);
  }
  return result;
}

/** Returns the patched copy; `object` is left untouched. */
export function applyStrategicMergePatch<T extends object>(object: T, patch: Record<string, unknown>): T {
  return mergeObjects(structuredClone(object) as JsonObject, patch) as T;
}

function mergePatchLists(first: Json[], second: Json[], mergeKey: string): Json[] {
  const result = [...first];
  for (const entry of second) {
    const at = isObject(entry) ? result.findIndex((item) => isObject(item) && item[mergeKey] === entry[mergeKey]) : -1;
    const earlier = result[at];
    if (at < 0) result.push(entry);
    else if (isObject(entry) && entry[PATCH_DIRECTIVE] !== "delete" && isObject(earlier)) {
      result[at] = mergePatchObjects(earlier, entry);
    } else result[at] = entry;
  }
  return result;
}

/**
 * Lists a fix sets to what it lets the container keep (`capabilities.add`; null keeps nothing): two fixes
 * together keep only what both allow, or the later fix would give back what the earlier one took away.
 */
const ALLOW_LISTS = new Set(["add"]);

function allowedByBoth(first: Json, second: Json): Json {
  const kept = Array.isArray(first) && Array.isArray(second) ? first.filter((item) => second.includes(item)) : [];
  return kept.length > 0 ? kept : null;
}

function mergePatchObjects(first: JsonObject, second: JsonObject): JsonObject {
  const result: JsonObject = { ...first };
  for (const [key, value] of Object.entries(second)) {
    const earlier = first[key];
    const mergeKey = MERGE_KEYS[key];
    if (ALLOW_LISTS.has(key) && key in first) result[key] = allowedByBoth(earlier, value);
    else if (isObject(earlier) && isObject(value)) result[key] = mergePatchObjects(earlier, value);
    else if (mergeKey && Array.isArray(earlier) && Array.isArray(value))
      result[key] = mergePatchLists(earlier, value, mergeKey);
    else result[key] = value;
  }
  return result;
}

/**
 * One patch that does what applying each of `patches` in turn does, for patches that do not set a field an
 * earlier one deleted (nulls are kept: they still delete). The combined fix is proven by applying it.
 */
export function mergeStrategicPatches(patches: readonly Record<string, unknown>[]): Record<string, unknown> {
  return patches.reduce<JsonObject>((merged, patch) => mergePatchObjects(merged, patch), {});
}
