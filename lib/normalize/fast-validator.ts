import type { z } from "zod";

// zod's safeParse copies every object it validates, which cost more than all the checks together. A schema is
// compiled here into one straight-line predicate (as zod's own JIT does) that reads without copying. The
// predicate may be stricter than zod, never looser: when it says no, zod parses the value and decides, so zod
// alone words the errors. Schemas it cannot compile, or a runtime without code generation, leave all to zod.

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
    return new Function("isPlainRecord", `"use strict"; ${new Emitter().program(schema)}`)(isPlainRecord) as Validator;
  } catch {
    return () => false;
  }
}

/** Objects literal or parsed from text; anything else goes to zod. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function defOf(schema: z.ZodType | undefined): Def {
  if (!schema) throw new Error("schema without a definition");
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The length a `.min(n)` asks for; any other check (or format: email, uuid, int32…) defers to zod. */
function minimumOf(def: Def): number {
  const isInt = def.type === "number" && def.format === "safeint";
  if (def.format !== undefined && !isInt) throw new Error(`unknown format ${def.format}`);
  const [only, ...others] = def.checks ?? [];
  if (!only) return 0;
  const { check, minimum } = only._zod.def;
  if (others.length > 0 || check !== "min_length" || minimum === undefined) throw new Error("unknown check");
  return minimum;
}

/** Writes statements that `return false` as soon as the value in a variable breaks the schema. */
class Emitter {
  private names = 0;
  /** Predicates for union options, declared once before the main one. */
  private helpers: string[] = [];

  /** A function body that returns the predicate. */
  program(schema: z.ZodType): string {
    const main = this.predicate(schema);
    return `${this.helpers.join("\n")}\nreturn ${main};`;
  }

  private predicate(schema: z.ZodType): string {
    return `(value) => { ${this.statements(schema, "value")} return true; }`;
  }

  private helper(schema: z.ZodType): string {
    const name = this.fresh("option");
    this.helpers.push(`const ${name} = ${this.predicate(schema)};`);
    return name;
  }

  private fresh(prefix: string): string {
    this.names += 1;
    return `${prefix}${this.names}`;
  }

  private statements(schema: z.ZodType, v: string): string {
    const def = defOf(schema);
    const minimum = minimumOf(def);
    switch (def.type) {
      case "optional":
        return `if (${v} !== undefined) { ${this.statements(def.innerType as z.ZodType, v)} }`;
      case "nullable":
        return `if (${v} !== null) { ${this.statements(def.innerType as z.ZodType, v)} }`;
      case "unknown":
        return "";
      case "boolean":
        return `if (typeof ${v} !== "boolean") return false;`;
      case "string":
        return `if (typeof ${v} !== "string" || ${v}.length < ${minimum}) return false;`;
      case "number":
        if (def.format === "safeint") return `if (!Number.isSafeInteger(${v})) return false;`;
        return `if (typeof ${v} !== "number" || !Number.isFinite(${v})) return false;`;
      case "array":
        return this.array(def, v, minimum);
      case "object":
        return this.object(def, v);
      case "record":
        return this.record(def, v);
      case "union":
        return `if (!(${(def.options ?? []).map((option) => `${this.helper(option)}(${v})`).join(" || ")})) return false;`;
      default:
        throw new Error(`no fast validator for zod type ${def.type}`);
    }
  }

  /** Every index, holes included: zod reads a hole as undefined. */
  private array(def: Def, v: string, minimum: number): string {
    const [i, item] = [this.fresh("i"), this.fresh("item")];
    const body = this.statements(def.element as z.ZodType, item);
    return `if (!Array.isArray(${v}) || ${v}.length < ${minimum}) return false;
      for (let ${i} = 0; ${i} < ${v}.length; ${i}++) { const ${item} = ${v}[${i}]; ${body} }`;
  }

  /** A loose object: the shape's fields are checked (read as zod reads them), any other field passes. */
  private object(def: Def, v: string): string {
    if (defOf(def.catchall).type !== "unknown") throw new Error("only loose objects are compiled");
    const fields = Object.entries(def.shape ?? {}).map(([key, field]) => {
      const name = this.fresh("field");
      const k = JSON.stringify(key);
      return `const ${name} = ${v}[${k}]; ${this.statements(field, name)}`;
    });
    return `if (!isPlainRecord(${v})) return false; ${fields.map((field) => `{ ${field} }`).join(" ")}`;
  }

  /** zod also checks a record's symbol keys: records with any go to zod. */
  private record(def: Def, v: string): string {
    const key = defOf(def.keyType);
    if (key.type !== "string" || (key.checks ?? []).length > 0)
      throw new Error("only string-keyed records are compiled");
    const [k, entry] = [this.fresh("key"), this.fresh("entry")];
    return `if (!isPlainRecord(${v}) || Object.getOwnPropertySymbols(${v}).length > 0) return false;
      for (const ${k} in ${v}) { const ${entry} = ${v}[${k}]; ${this.statements(def.valueType as z.ZodType, entry)} }`;
  }
}
