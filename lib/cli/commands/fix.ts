import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { fixFacts, type CheckDefinition, type DockerfileFix } from "@/lib/checks/define-check";
import { CHECKS } from "@/lib/checks/registry";
import { DIGEST_PLACEHOLDER } from "@/lib/checks/support/images";
import type { WorkloadInput } from "@/lib/domain/facts";
import type { ParsedDockerfile } from "@/lib/domain/dockerfile";
import type { CheckResult, Remediation } from "@/lib/domain/result";
import { evaluateWorkload } from "@/lib/evaluate";
import { unifiedDiff } from "@/lib/format/unified-diff";
import { applyDockerfileEdits } from "@/lib/manifests/dockerfile";
import { MAX_FILE_BYTES, readInputs, readRegularFile } from "@/lib/manifests/read";
import { combinedPatch, createdObjects, type ContainerFix } from "@/lib/remediation/combined";
import { fixJsonText, fixYamlText, type ObjectFix } from "@/lib/remediation/fix-manifest";
import { formatInputError } from "./scan";

export const USAGE = `Usage: rampart fix <files|dirs…> [options]

Applies the fixes of failing checks to Kubernetes manifests and Dockerfiles: only the fields (instructions) a
fix needs change; comments, key order, quoting and document separators stay. A NetworkPolicy a fix needs is
added as a new document. Compose files and docker inspect output are judged and their failures listed.

Options:
  --diff             print a unified diff instead of the fixed files
  --write            rewrite the files in place
  --check ID         fix only this check (repeatable)
  -h, --help         show this help

Exit codes: 0 fixed or nothing to fix, 1 failures remain that no file edit can fix (listed on stderr),
2 usage or input error.
`;

interface FixOptions {
  paths: string[];
  mode: "print" | "diff" | "write";
  checks: string[];
}

function parseFixArgs(argv: string[]): FixOptions | null {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      diff: { type: "boolean" },
      write: { type: "boolean" },
      check: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return null;
  if (positionals.length === 0) throw new Error("no files or directories given");
  if (values.diff && values.write) throw new Error("--diff and --write exclude each other");
  const known = new Set(CHECKS.map((check) => check.id));
  const checks = values.check ?? [];
  const unknown = checks.find((id) => !known.has(id));
  if (unknown !== undefined) throw new Error(`--check: no check "${unknown}" (see the check catalog)`);
  return { paths: positionals, mode: values.diff ? "diff" : values.write ? "write" : "print", checks };
}

/** What one file needs: patches of its objects, objects to add, or a Dockerfile's instruction edits. */
interface FilePlan {
  fixes: ObjectFix[];
  created: string[];
  dockerfile?: { parsed: ParsedDockerfile; edits: DockerfileFix["edits"] };
}

interface Failing {
  container: string;
  result: CheckResult;
}

/** A fix written into a file must be complete: a digest placeholder is left for `rampart scan` to report. */
function isComplete(text: string): boolean {
  return !text.includes(DIGEST_PLACEHOLDER);
}

function fileAndDocument(source: string): { file: string; document: number } {
  const match = /^(.*)#(\d+)$/.exec(source);
  return match ? { file: match[1] as string, document: Number(match[2]) } : { file: source, document: 0 };
}

function entryFor(files: Map<string, FilePlan>, file: string): FilePlan {
  const entry = files.get(file) ?? { fixes: [], created: [] };
  files.set(file, entry);
  return entry;
}

/** The combined patch of a Kubernetes object; returns the failures it writes. */
function planKubernetes(input: WorkloadInput, failing: readonly Failing[], files: Map<string, FilePlan>): Failing[] {
  const written = failing.filter(({ result: { remediation: fix } }) => {
    const text = `${fix?.kubernetesPatch ?? ""}${fix?.kubernetesManifest ?? ""}`;
    return text !== "" && isComplete(text);
  });
  if (written.length === 0) return [];
  const fixes: ContainerFix[] = written.map(({ container, result }) => ({
    container,
    checkId: result.checkId,
    remediation: result.remediation as Remediation,
  }));
  const { file, document } = fileAndDocument(input.source);
  const entry = entryFor(files, file);
  const patch = combinedPatch(fixes);
  if (Object.keys(patch).length > 0)
    entry.fixes.push({ document, kind: input.workload.kind, name: input.workload.name, patch });
  entry.created.push(...createdObjects(fixes).filter((text) => !entry.created.includes(text)));
  return written;
}

/** The instruction edits of a Dockerfile's failing checks; returns the failures they close. */
function planDockerfile(
  input: WorkloadInput,
  failing: readonly Failing[],
  checks: readonly CheckDefinition[],
  files: Map<string, FilePlan>,
): Failing[] {
  const facts = input.containers[0];
  if (facts?.platform !== "dockerfile") return [];
  const written: Failing[] = [];
  const edits: DockerfileFix["edits"] = [];
  for (const item of failing) {
    const check = checks.find((c) => c.id === item.result.checkId);
    const fix = check ? (fixFacts(check, facts) as DockerfileFix | undefined) : undefined;
    if (!fix || fix.edits.length === 0 || !fix.edits.every((edit) => isComplete(edit.line ?? ""))) continue;
    edits.push(...fix.edits);
    written.push(item);
  }
  if (edits.length > 0) entryFor(files, input.source).dockerfile = { parsed: facts.dockerfile, edits };
  return written;
}

function plan(workloads: readonly WorkloadInput[], checkIds: readonly string[]) {
  const checks = checkIds.length > 0 ? CHECKS.filter((check) => checkIds.includes(check.id)) : CHECKS;
  const files = new Map<string, FilePlan>();
  const remaining: string[] = [];
  for (const input of workloads) {
    const evaluation = evaluateWorkload(input, { checks });
    const failing = evaluation.containers.flatMap((container) =>
      container.checks
        .filter((result) => result.status === "fail" && !result.excepted)
        .map((result) => ({ container: container.name, result })),
    );
    if (failing.length === 0) continue;
    const platform = input.workload.platform;
    const written =
      platform === "kubernetes"
        ? planKubernetes(input, failing, files)
        : platform === "dockerfile"
          ? planDockerfile(input, failing, checks, files)
          : [];
    const { kind, name } = input.workload;
    for (const item of failing.filter((f) => !written.includes(f)))
      remaining.push(
        `${input.source} ${kind}/${name} ${item.container} ${item.result.checkId}: ${item.result.message}`,
      );
  }
  return { files, remaining };
}

/** A removed line as the diff prints it: a YAML `value:` or a Dockerfile ARG/ENV loses its value (maybe a secret). */
function withoutValue(line: string): string {
  return line
    .replace(/^(\s*(?:-\s+)?value:\s*)\S.*$/, "$1<value not shown>")
    .replace(/^(\s*(?:ARG|ENV)\s+[^\s=]+)([=\s]).*$/i, "$1$2<value not shown>");
}

/** The fixed text of one file, or an error message for stderr. */
async function fixFile(file: string, entry: FilePlan): Promise<{ before: string; after: string } | string> {
  const bytes = await readRegularFile(file, MAX_FILE_BYTES).catch(() => "unreadable" as const);
  if (typeof bytes === "string") return `${file}: cannot read it again (${bytes})`;
  const before = bytes.toString("utf8");
  try {
    if (entry.dockerfile) {
      return { before, after: applyDockerfileEdits(before, entry.dockerfile.parsed, entry.dockerfile.edits) };
    }
    const isJson = path.extname(file).toLowerCase() === ".json";
    return { before, after: (isJson ? fixJsonText : fixYamlText)(before, entry.fixes, entry.created) };
  } catch (error) {
    return `${file}: ${(error as Error).message}`;
  }
}

/** Written beside the file and renamed over it, so a reader never sees half a manifest. */
async function writeInPlace(file: string, text: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.rampart-fix`);
  await writeFile(temporary, text, { flag: "wx" });
  await rename(temporary, file);
}

export async function run(argv: string[]): Promise<number> {
  let options: FixOptions | null;
  try {
    options = parseFixArgs(argv);
  } catch (error) {
    process.stderr.write(`rampart fix: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === null) {
    process.stdout.write(USAGE);
    return 0;
  }
  const read = await readInputs(options.paths);
  for (const error of read.errors) process.stderr.write(`${formatInputError(error)}\n`);
  const { files, remaining } = plan(read.workloads, options.checks);
  let failed = read.errors.length > 0;
  const printed: string[] = [];
  for (const [file, entry] of files) {
    const fixed = await fixFile(file, entry);
    if (typeof fixed === "string") {
      process.stderr.write(`rampart fix: ${fixed}\n`);
      failed = true;
      continue;
    }
    if (fixed.after === fixed.before) continue;
    if (options.mode === "diff") printed.push(unifiedDiff(fixed.before, fixed.after, file, withoutValue));
    else if (options.mode === "print") printed.push(files.size > 1 ? `# ${file}\n${fixed.after}` : fixed.after);
    else {
      try {
        await writeInPlace(file, fixed.after);
        process.stderr.write(`fixed ${file}\n`);
      } catch (error) {
        process.stderr.write(
          `rampart fix: cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? "error"}\n`,
        );
        failed = true;
      }
    }
  }
  process.stdout.write(printed.join(options.mode === "print" ? "---\n" : ""));
  if (remaining.length > 0) {
    process.stderr.write(`failing checks no file edit can fix (${remaining.length}):\n`);
    for (const line of remaining) process.stderr.write(`  ${line}\n`);
  }
  if (failed) return 2;
  return remaining.length > 0 ? 1 : 0;
}
