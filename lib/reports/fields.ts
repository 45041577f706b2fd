import { DIGEST_PATTERN } from "./model";

/** A report that cannot be read: names the file and the field, never a value from it. */
export class ReportError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(field ? `${file}: ${field}: ${reason}` : `${file}: ${reason}`);
    this.name = "ReportError";
  }
}

type Json = Record<string, unknown>;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/**
 * Typed access to one report document: each getter takes the parent object, the key and the parent's path, and
 * throws a ReportError naming `path.key` when the value has the wrong type. Optional getters accept absent/null.
 */
export class Fields {
  constructor(readonly file: string) {}

  fail(field: string, reason: string): never {
    throw new ReportError(this.file, field, reason);
  }

  private get(parent: Json, key: string, path: string, expected: string, ok: (v: unknown) => boolean): unknown {
    const value = parent[key];
    if (value === undefined || value === null) return undefined;
    if (!ok(value)) this.fail(join(path, key), `expected ${expected}, got ${describe(value)}`);
    return value;
  }

  private need<T>(value: T | undefined, path: string, key: string, expected: string): T {
    if (value === undefined) this.fail(join(path, key), `required (expected ${expected})`);
    return value;
  }

  object(parent: Json, key: string, path: string): Json {
    return this.need(this.optObject(parent, key, path), path, key, "object");
  }
  optObject(parent: Json, key: string, path: string): Json | undefined {
    return this.get(parent, key, path, "object", isObject) as Json | undefined;
  }
  string(parent: Json, key: string, path: string): string {
    return this.need(this.optString(parent, key, path), path, key, "string");
  }
  optString(parent: Json, key: string, path: string): string | undefined {
    return this.get(parent, key, path, "string", (v) => typeof v === "string") as string | undefined;
  }
  optNumber(parent: Json, key: string, path: string): number | undefined {
    return this.get(parent, key, path, "number", (v) => typeof v === "number" && Number.isFinite(v)) as
      number | undefined;
  }
  array(parent: Json, key: string, path: string): unknown[] {
    return this.need(this.optArray(parent, key, path), path, key, "array");
  }
  optArray(parent: Json, key: string, path: string): unknown[] | undefined {
    return this.get(parent, key, path, "array", Array.isArray) as unknown[] | undefined;
  }
  /** Each element of an array as an object, with its path `key[i]`. */
  objects(parent: Json, key: string, path: string): [Json, string][] {
    return (this.optArray(parent, key, path) ?? []).map((item, i) => {
      const itemPath = `${join(path, key)}[${i}]`;
      if (!isObject(item)) this.fail(itemPath, `expected object, got ${describe(item)}`);
      return [item, itemPath];
    });
  }
  strings(parent: Json, key: string, path: string): string[] {
    return (this.optArray(parent, key, path) ?? []).map((item, i) => {
      if (typeof item !== "string") this.fail(`${join(path, key)}[${i}]`, `expected string, got ${describe(item)}`);
      return item;
    });
  }
  /** An ISO 8601 time, or null when absent or empty. */
  optTime(parent: Json, key: string, path: string): string | null {
    const value = this.optString(parent, key, path);
    if (!value) return null;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) this.fail(join(path, key), "not a date");
    return new Date(ms).toISOString();
  }
  /** A `sha256:…` digest, checked against the OCI grammar. */
  optDigest(parent: Json, key: string, path: string): string | undefined {
    const value = this.optString(parent, key, path);
    if (!value) return undefined;
    if (!DIGEST_PATTERN.test(value)) this.fail(join(path, key), "not a valid digest");
    return value;
  }
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
