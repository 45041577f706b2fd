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
function withoutNulls(value: Json): Json {
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
