import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Db } from "./client";

export interface ModelColumn {
  model: string;
  name: string;
  /** Prisma scalar type: String, Int, Boolean, DateTime, Json, Float. */
  type: string;
  nullable: boolean;
  /** Native type attribute from the schema, e.g. `Uuid`. */
  nativeType?: string;
  /** A scalar list (`String[]`), a Postgres array. */
  list?: boolean;
}

interface RuntimeDataModel {
  models: Record<string, { fields: { name: string; kind: string; type: string }[] }>;
}

export const SCHEMA_PATH = fileURLToPath(new URL("../../prisma/schema.prisma", import.meta.url));

/** The generated client keeps names and types; optionality and native types are read from the schema text. */
async function schemaAttributes(): Promise<Map<string, { nullable: boolean; nativeType?: string; list?: boolean }>> {
  const text = await readFile(SCHEMA_PATH, "utf8");
  const attributes = new Map<string, { nullable: boolean; nativeType?: string; list?: boolean }>();
  let model: string | undefined;
  for (const line of text.split("\n")) {
    const start = /^model\s+(\w+)\s*\{/.exec(line);
    if (start) model = start[1];
    else if (/^\}/.test(line)) model = undefined;
    const field = model && /^\s+(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
    if (!field || !model) continue;
    const native = /@db\.(\w+)/.exec(field[5] ?? "");
    attributes.set(`${model}.${field[1]}`, {
      nullable: field[4] === "?",
      nativeType: native?.[1],
      ...(field[3] ? { list: true } : {}),
    });
  }
  return attributes;
}

/** Scalar columns of every model as the generated client sees them. */
export async function listModelColumns(db: Db): Promise<ModelColumn[]> {
  const dataModel = (db as unknown as { _runtimeDataModel: RuntimeDataModel })._runtimeDataModel;
  const attributes = await schemaAttributes();
  return Object.entries(dataModel.models).flatMap(([model, { fields }]) =>
    fields
      .filter((f) => f.kind === "scalar")
      .map((f) => ({
        model,
        name: f.name,
        type: f.type,
        ...(attributes.get(`${model}.${f.name}`) ?? { nullable: false }),
      })),
  );
}
