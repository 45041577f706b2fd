import { readFile } from "node:fs/promises";
import path from "node:path";
import { listInputFiles } from "@/lib/manifests/list-files";
import { parseDocuments } from "@/lib/manifests/parse-documents";

/** Every Kubernetes object in the manifest files under `paths` (a `kind: List` contributes its items). */
export async function loadManifests(paths: string[]): Promise<{ objects: unknown[]; problems: string[] }> {
  const { files, errors } = await listInputFiles(paths);
  const problems = errors.map((e) => `${e.source}: ${e.message}`);
  const objects: unknown[] = [];
  for (const file of files) {
    const text = await readFile(file, "utf8");
    const parsed = parseDocuments(text, path.extname(file).toLowerCase() === ".json" ? "json" : "yaml");
    for (const problem of parsed.problems) problems.push(`${file}#${problem.index}: ${problem.message}`);
    for (const doc of parsed.documents) objects.push(...flattenList(doc.value));
  }
  return { objects, problems };
}

function flattenList(value: unknown): unknown[] {
  const object = value as { kind?: unknown; items?: unknown } | null;
  if (object && object.kind === "List" && Array.isArray(object.items)) return object.items.flatMap(flattenList);
  return [value];
}
