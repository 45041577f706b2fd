import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { generateFleetJson } from "@/lib/bench/engine";
import { dockerContainerSchema } from "./docker-schema";
import { fastValidator } from "./fast-validator";
import { workloadObjectSchema } from "./kubernetes-schema";

type Json = Record<string, unknown>;
type Doc = { platform: "kubernetes"; object: Json } | { platform: "docker"; container: Json };

const WRONG_VALUES: unknown[] = [null, undefined, 1, -1.5, 2 ** 60, Infinity, "", "x", true, [], {}, [1], { a: 1 }];

function prng(seed: number): () => number {
  let a = seed;
  return () => (a = (a * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Every path to a value inside `value`, objects and arrays included. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [prefix];
  const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...children.flatMap(([key, child]) => paths(child, [...prefix, key]))];
}

function withValueAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(root) as Json;
  let parent: Json = copy;
  path.slice(0, -1).forEach((segment) => (parent = parent[segment] as Json));
  parent[path[path.length - 1] as string] = value;
  return copy;
}

function schemaOf(doc: Doc): z.ZodType {
  if (doc.platform === "docker") return dockerContainerSchema;
  const kind = doc.object.kind;
  if (kind === "Pod") return workloadObjectSchema([]);
  return workloadObjectSchema(kind === "CronJob" ? ["spec", "jobTemplate", "spec", "template"] : ["spec", "template"]);
}

const docs = (JSON.parse(generateFleetJson(300, 11)) as Doc[]).slice(0, 60);

describe("fastValidator", () => {
  it("accepts every generated workload and container, as zod does", () => {
    for (const doc of docs) {
      const value = doc.platform === "docker" ? doc.container : doc.object;
      expect(schemaOf(doc).safeParse(value).success).toBe(true);
      expect(fastValidator(schemaOf(doc))(value)).toBe(true);
    }
  });

  it("never accepts what zod rejects, and rejects most of it itself", () => {
    const rand = prng(5);
    let rejectedByZod = 0;
    let rejectedByBoth = 0;
    for (const doc of docs) {
      const root = doc.platform === "docker" ? doc.container : doc.object;
      const all = paths(root).filter((path) => path.length > 0);
      for (let i = 0; i < 40; i++) {
        const path = all[Math.floor(rand() * all.length)] as (string | number)[];
        const mutated = withValueAt(root, path, WRONG_VALUES[Math.floor(rand() * WRONG_VALUES.length)]);
        const zodAccepts = schemaOf(doc).safeParse(mutated).success;
        const fastAccepts = fastValidator(schemaOf(doc))(mutated);
        if (fastAccepts) expect(zodAccepts, `accepted ${path.join(".")}`).toBe(true);
        if (!zodAccepts) rejectedByZod += 1;
        if (!zodAccepts && !fastAccepts) rejectedByBoth += 1;
      }
    }
    expect(rejectedByZod).toBeGreaterThan(200);
    expect(rejectedByBoth).toBe(rejectedByZod);
  });

  it("defers to zod on objects that are not plain, and on schemas it cannot compile", () => {
    const schema = z.looseObject({ name: z.string() });
    expect(fastValidator(schema)({ name: "a" })).toBe(true);
    expect(
      fastValidator(schema)(
        new (class {
          name = "a";
        })(),
      ),
    ).toBe(false);
    expect(fastValidator(z.looseObject({ name: z.email() }))({ name: "a@b.co" })).toBe(false);
    expect(fastValidator(z.strictObject({ name: z.string() }))({ name: "a" })).toBe(false);
  });
});

describe("zod version", () => {
  // The validator reads zod's internal definitions, which a minor release may change: zod stays pinned exactly.
  it("is pinned in package.json to the version installed", () => {
    const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    const root = path.resolve(import.meta.dirname, "../..");
    const wanted = (read(path.join(root, "package.json")).dependencies as Record<string, string>).zod;
    expect(wanted).toMatch(/^\d+\.\d+\.\d+$/);
    expect(read(path.join(root, "node_modules/zod/package.json")).version).toBe(wanted);
  });
});
