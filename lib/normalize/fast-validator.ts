import type { z } from "zod";

// zod's safeParse copies every object it validates, which cost more than all the checks together. A schema is
// compiled here into a predicate that reads without copying. The predicate may be stricter than zod, never
// looser: when it says no, zod parses the value and decides, so zod alone words the errors.

export type Validator = (value: unknown) => boolean;

interface Def {
  type: string;
  checks?: { _zod: { def: { check: string; minimum?: number } } }[];
  format?: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}

const cache = new WeakMap<z.ZodType, Validator>();

/** True when zod would accept the value, false when it would reject it or the predicate is unsure. */
export function fastValidator(schema: z.ZodType): Validator {
  let validator = cache.get(schema);
  if (!validator) {
    validator = compileOrDefer(schema);
    cache.set(schema, validator);
  }
  return validator;
}

function compileOrDefer(schema: z.ZodType): Validator {
  try {
    return compile(schema);
  } catch {
    return () => false;
  }
}

function compile(schema: z.ZodType): Validator {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  // Formats (email, uuid, int32…) refine a type; only `z.int()` is compiled.
  const isInt = def.type === "number" && def.format === "safeint";
  if (def.format !== undefined && !isInt) throw new Error(`unknown format ${def.format}`);
  switch (def.type) {
    case "optional":
      return allowing(undefined, compile(def.innerType as z.ZodType));
    case "nullable":
      return allowing(null, compile(def.innerType as z.ZodType));
    case "unknown":
      return () => true;
    case "boolean":
      return plain(def, (value) => typeof value === "boolean");
    case "string":
      return withMinimum(def, (value) => typeof value === "string", (value) => (value as string).length);
    case "number":
      return compileNumber(def);
    case "array":
      return compileArray(def);
    case "object":
      return compileObject(def);
    case "record":
      return compileRecord(def);
    case "union": {
      const options = (def.options ?? []).map(compile);
      return (value) => options.some((option) => option(value));
    }
    default:
      throw new Error(`no fast validator for zod type ${def.type}`);
  }
}

function allowing(allowed: null | undefined, inner: Validator): Validator {
  return (value) => value === allowed || inner(value);
}

/** A type without refinements; any check the compiler does not know defers to zod. */
function plain(def: Def, test: Validator): Validator {
  if (def.checks && def.checks.length > 0) throw new Error("unknown check");
  return test;
}

/** A type whose only refinement may be zod's `.min(n)` on its length. */
function withMinimum(def: Def, test: Validator, length: (value: unknown) => number): Validator {
  const checks = def.checks ?? [];
  const [only, ...others] = checks;
  if (!only) return test;
  const { check, minimum } = only._zod.def;
  if (others.length > 0 || check !== "min_length" || minimum === undefined) throw new Error("unknown check");
  return (value) => test(value) && length(value) >= minimum;
}

function compileNumber(def: Def): Validator {
  if (def.format === "safeint") return (value) => Number.isSafeInteger(value);
  return plain(def, (value) => typeof value === "number" && Number.isFinite(value));
}

function compileArray(def: Def): Validator {
  const element = compile(def.element as z.ZodType);
  return withMinimum(def, (value) => Array.isArray(value) && everyItem(value, element), (value) => (value as unknown[]).length);
}

/** Every index, holes included: zod reads a hole as undefined where `every` would skip it. */
function everyItem(items: unknown[], test: Validator): boolean {
  for (let i = 0; i < items.length; i++) if (!test(items[i])) return false;
  return true;
}

/** Objects literal or parsed from text; anything else goes to zod. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function compileObject(def: Def): Validator {
  const catchall = def.catchall ? (def.catchall as unknown as { _zod: { def: Def } })._zod.def.type : undefined;
  if (catchall !== "unknown") throw new Error("only loose objects are compiled");
  const keys = Object.keys(def.shape ?? {});
  const fields = Object.values(def.shape ?? {}).map(compile);
  return (value) => {
    if (!isPlainRecord(value)) return false;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (!(fields[i] as Validator)(Object.hasOwn(value, key) ? value[key] : undefined)) return false;
    }
    return true;
  };
}

/** zod also checks symbol keys of a record: such records go to zod. */
function compileRecord(def: Def): Validator {
  const key = (def.keyType as unknown as { _zod: { def: Def } })._zod.def;
  if (key.type !== "string" || (key.checks && key.checks.length > 0)) throw new Error("only string-keyed records are compiled");
  const entry = compile(def.valueType as z.ZodType);
  return (value) => {
    if (!isPlainRecord(value) || Object.getOwnPropertySymbols(value).length > 0) return false;
    for (const key in value) if (!entry(value[key])) return false;
    return true;
  };
}
