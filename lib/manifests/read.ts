import { constants } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import type { DockerContainerFacts, InputError, WorkloadInput } from "@/lib/domain/facts";
import {
  groupDockerWorkloads,
  normalizeComposeService,
  normalizeDockerContainer,
  normalizeKubernetesWorkload,
} from "@/lib/normalize";
import { classify, emptyClassified, prefixErrors, type Classified, type InputObject } from "./classify";
import { composeProjectName } from "./compose";
import { dockerfileWorkload, isDockerfileName } from "./dockerfile";
import { errorCode, listInputFiles, STDIN } from "./list-files";
import { parseDocuments, splitTopLevelArray } from "./parse-documents";

export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface ReadInputsResult {
  workloads: WorkloadInput[];
  errors: InputError[];
  /** Objects that are not workloads, counted by kind. */
  skipped: Record<string, number>;
  /** Things read that may not mean what the user thinks (two objects with one name), for stderr. */
  warnings: string[];
  documents: number;
}

/**
 * Reads Kubernetes manifests, `docker inspect` output, Compose files and Dockerfiles from files and directories. Never throws:
 * whatever cannot be read becomes an InputError and the rest is still read.
 */
export async function readInputs(paths: string[]): Promise<ReadInputsResult> {
  const { files, errors } = await listInputFiles(paths);
  const found = emptyClassified();
  const dockerfiles: WorkloadInput[] = [];
  let documents = 0;
  for (const file of files) {
    const text = await readText(file, errors);
    if (text === undefined) continue;
    if (isDockerfileName(file)) {
      const { input, errors: problems } = dockerfileWorkload(text, file);
      if (input) dockerfiles.push(input);
      errors.push(...problems);
      documents += 1;
    } else documents += collectFile(file, text, found);
  }
  const workloads = [
    ...normalizeKubernetes(found),
    ...normalizeDocker(found),
    ...normalizeCompose(found),
    ...dockerfiles,
  ];
  return {
    workloads: sortByInputOrder(workloads, files),
    errors: sortByInputOrder([...errors, ...found.errors], files),
    skipped: found.skipped,
    warnings: found.warnings,
    documents,
  };
}

async function readText(file: string, errors: InputError[]): Promise<string | undefined> {
  try {
    const bytes = file === STDIN ? await readStdin(MAX_FILE_BYTES) : await readRegularFile(file, MAX_FILE_BYTES);
    if (bytes === "not-regular") errors.push({ source: file, message: "not a regular file" });
    else if (bytes === "too-large")
      errors.push({ source: file, message: `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` });
    else return decodeText(file, bytes, errors);
  } catch (error) {
    errors.push({ source: file, message: `cannot read: ${errorCode(error)}` });
  }
  return undefined;
}

/** Standard input, read to its end but never more than `cap` bytes kept. */
async function readStdin(cap: number): Promise<Buffer | "too-large"> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > cap) {
      process.stdin.destroy();
      return "too-large";
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Reads a regular file (links resolved) of at most `cap` bytes. Opened non-blocking so a FIFO cannot hang the
 * open, checked on the open handle so nothing can swap the file in between, and capped while reading because a
 * file's reported size (a file growing, /proc) is no promise.
 */
export async function readRegularFile(file: string, cap: number): Promise<Buffer | "not-regular" | "too-large"> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) return "not-regular";
    if (info.size > cap) return "too-large";
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(cap + 1 - total, Math.max(info.size + 1, 64 * 1024)));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > cap) return "too-large";
    }
  } finally {
    await handle.close();
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

/** Each Compose service is its own workload, `file#service`, judged by the Docker rules. */
function normalizeCompose(found: Classified): WorkloadInput[] {
  const facts: DockerContainerFacts[] = [];
  for (const object of found.compose) {
    const file = object.source.slice(0, object.source.lastIndexOf("#"));
    const value = object.value as { services: Record<string, unknown> } & Record<string, unknown>;
    const project = composeProjectName(value, file);
    for (const [service, raw] of Object.entries(value.services)) {
      const source = `${file}#${service}`;
      const lines = (p: (string | number)[]) => object.lines([...object.prefix, "services", service, ...p]);
      const result = normalizeComposeService(raw, { source, project, service, lines });
      found.errors.push(...result.errors);
      if (result.facts) facts.push(result.facts);
    }
  }
  return groupDockerWorkloads(facts);
}

/** In the order of the files and documents they name, whichever pass found them (the sort is stable). */
function sortByInputOrder<T extends { source: string }>(items: T[], files: string[]): T[] {
  const order = new Map(files.map((file, index) => [file, index]));
  const fileRank = (item: T) =>
    order.get(item.source) ?? order.get(item.source.slice(0, item.source.lastIndexOf("#"))) ?? -1;
  const documentRank = (item: T) => Number(item.source.match(/#(\d+)$/)?.[1] ?? -1);
  return items.toSorted((a, b) => fileRank(a) - fileRank(b) || documentRank(a) - documentRank(b));
}

export type { InputObject };
