import { open } from "node:fs/promises";
import path from "node:path";
import type { DockerContainerFacts, InputError, WorkloadInput } from "@/lib/domain/facts";
import { groupDockerWorkloads, normalizeDockerContainer, normalizeKubernetesWorkload } from "@/lib/normalize";
import { classify, emptyClassified, prefixErrors, type Classified, type InputObject } from "./classify";
import { errorCode, listInputFiles } from "./list-files";
import { parseDocuments, splitTopLevelArray } from "./parse-documents";

export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface ReadInputsResult {
  workloads: WorkloadInput[];
  errors: InputError[];
  /** Objects that are not workloads, counted by kind. */
  skipped: Record<string, number>;
  documents: number;
}

/**
 * Reads Kubernetes manifests and `docker inspect` output from files and directories. Never throws:
 * whatever cannot be read becomes an InputError and the rest is still read.
 */
export async function readInputs(paths: string[]): Promise<ReadInputsResult> {
  const { files, errors } = await listInputFiles(paths);
  const found = emptyClassified();
  let documents = 0;
  for (const file of files) {
    const text = await readText(file, errors);
    if (text === undefined) continue;
    documents += collectFile(file, text, found);
  }
  return {
    workloads: sortByInputOrder([...normalizeKubernetes(found), ...normalizeDocker(found)], files),
    errors: sortByInputOrder([...errors, ...found.errors], files),
    skipped: found.skipped,
    documents,
  };
}

async function readText(file: string, errors: InputError[]): Promise<string | undefined> {
  try {
    const handle = await open(file, "r");
    try {
      const { size } = await handle.stat();
      if (size > MAX_FILE_BYTES) {
        errors.push({ source: file, message: `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` });
        return undefined;
      }
      const bytes = await handle.readFile();
      return decodeText(file, bytes, errors);
    } finally {
      await handle.close();
    }
  } catch (error) {
    errors.push({ source: file, message: `cannot read: ${errorCode(error)}` });
    return undefined;
  }
}

function decodeText(file: string, bytes: Buffer, errors: InputError[]): string | undefined {
  if (bytes.includes(0)) {
    errors.push({ source: file, message: "not a text file (binary content)" });
    return undefined;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    errors.push({ source: file, message: "not a text file (invalid UTF-8)" });
    return undefined;
  }
}

/** First pass over one file: sorts its objects and returns how many documents it held. */
function collectFile(file: string, text: string, found: Classified): number {
  const format = path.extname(file).toLowerCase() === ".json" ? "json" : "yaml";
  const parsed = splitTopLevelArray(parseDocuments(text, format));
  for (const problem of parsed.problems) {
    found.errors.push({ source: `${file}#${problem.index}`, document: problem.index, message: problem.message });
  }
  if (parsed.documents.length === 0 && parsed.problems.length === 0) {
    found.errors.push({ source: file, message: "no documents (the file is empty)" });
  }
  for (const doc of parsed.documents) {
    classify(
      { source: `${file}#${doc.index}`, document: doc.index, value: doc.value, lines: doc.lines, prefix: [] },
      found,
    );
  }
  return parsed.documents.length + parsed.problems.length;
}

function normalizeKubernetes(found: Classified): WorkloadInput[] {
  const workloads: WorkloadInput[] = [];
  for (const object of found.kubernetes) {
    const { input, errors } = normalizeKubernetesWorkload(object.value, {
      source: object.source,
      document: object.document,
      networkPolicies: { value: found.networkPolicies },
      serviceAccounts: found.serviceAccounts,
      lines: (p) => object.lines([...object.prefix, ...p]),
    });
    found.errors.push(...prefixErrors(errors, object.prefix));
    if (input) workloads.push(input);
  }
  return workloads;
}

function normalizeDocker(found: Classified): WorkloadInput[] {
  const facts: DockerContainerFacts[] = [];
  for (const object of found.docker) {
    const line = object.lines(object.prefix);
    const context = { source: object.source, document: object.document, ...(line === undefined ? {} : { line }) };
    const result = normalizeDockerContainer({ container: object.value }, context);
    found.errors.push(...prefixErrors(result.errors, object.prefix));
    if (result.facts) facts.push(result.facts);
  }
  return groupDockerWorkloads(facts);
}

/** In the order of the files and documents they name, whichever pass found them (the sort is stable). */
function sortByInputOrder<T extends { source: string }>(items: T[], files: string[]): T[] {
  const order = new Map(files.map((file, index) => [file, index]));
  const fileRank = (item: T) => order.get(item.source.replace(/#\d+$/, "")) ?? -1;
  const documentRank = (item: T) => Number(item.source.match(/#(\d+)$/)?.[1] ?? -1);
  return items.toSorted((a, b) => fileRank(a) - fileRank(b) || documentRank(a) - documentRank(b));
}

export type { InputObject };
