import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { InputError } from "@/lib/domain/facts";
import { isDockerfileName } from "./dockerfile";

/** `-` names standard input (YAML or JSON documents), as in `kubectl kustomize … | rampart scan -`. */
export const STDIN = "-";

const MANIFEST_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/** Manifests, Compose files (YAML) and Dockerfiles: what a directory contributes. */
function isInputName(name: string): boolean {
  return MANIFEST_EXTENSIONS.has(path.extname(name).toLowerCase()) || isDockerfileName(name);
}

/**
 * Files named directly are read whatever their extension; directories contribute their manifests, recursively;
 * `-` is standard input.
 */
export async function listInputFiles(paths: string[]): Promise<{ files: string[]; errors: InputError[] }> {
  const files: string[] = [];
  const errors: InputError[] = [];
  for (const given of paths) {
    if (given === STDIN) {
      files.push(STDIN);
      continue;
    }
    try {
      const info = await stat(given);
      if (info.isDirectory()) files.push(...(await walk(given, errors)));
      else files.push(given);
    } catch (error) {
      errors.push({ source: given, message: `cannot read: ${errorCode(error)}` });
    }
  }
  // A file reached twice (named and inside a named directory) is read once.
  return { files: [...new Set(files)], errors };
}

async function walk(directory: string, errors: InputError[]): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    errors.push({ source: directory, message: `cannot read: ${errorCode(error)}` });
    return [];
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const found: string[] = [];
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    // Symbolic links to directories are not followed, so a link loop cannot recurse forever.
    if (entry.isDirectory()) found.push(...(await walk(full, errors)));
    else if ((entry.isFile() || entry.isSymbolicLink()) && isInputName(entry.name)) {
      found.push(full);
    }
  }
  return found;
}

export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" ? code : "unknown error";
}
