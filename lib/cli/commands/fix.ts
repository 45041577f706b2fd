import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { fixFacts, type CheckDefinition, type DockerfileFix } from "@/lib/checks/define-check";
import { CHECKS } from "@/lib/checks/registry";
import { DIGEST_PLACEHOLDER } from "@/lib/checks/support/images";
import type { DockerContainerFacts, WorkloadInput } from "@/lib/domain/facts";
import type { ParsedDockerfile } from "@/lib/domain/dockerfile";
import type { CheckResult, Remediation } from "@/lib/domain/result";
import { evaluateWorkload } from "@/lib/evaluate";
import { unifiedDiff, type ShownLine } from "@/lib/format/unified-diff";
import { environmentLines } from "@/lib/manifests/compose";
import { applyDockerfileEdits } from "@/lib/manifests/dockerfile";
import { fixComposeText } from "@/lib/manifests/fix-compose";
import { MAX_FILE_BYTES, readInputs, readRegularFile } from "@/lib/manifests/read";
import { combinedPatch, createdObjects, type ContainerFix } from "@/lib/remediation/combined";
import { fixJsonText, fixYamlText, type ObjectFix } from "@/lib/remediation/fix-manifest";
import { formatInputError } from "./scan";

export const USAGE = `Usage: rampart fix <files|dirs…> [options]

Applies the fixes of failing checks to Kubernetes manifests, Compose files and Dockerfiles: only the fields
(instructions) a fix needs change; comments, key order, quoting, anchors and document separators stay. Lists
keep their other entries. A NetworkPolicy a fix needs is added as a new document, a Compose network or secret
as a top-level declaration. docker inspect output is judged and its failures listed.

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

/** What one file needs: patches of its objects, objects to add, a Dockerfile's edits, or Compose services to fix. */
interface FilePlan {
  fixes: ObjectFix[];
  created: string[];
  dockerfile?: { parsed: ParsedDockerfile; edits: DockerfileFix["edits"] };
  /** The failures of each Compose service, as listed when the fixed service still fails them. */
  compose?: Map<string, { checkId: string; line: string }[]>;
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

function remainingLine(input: WorkloadInput, item: Failing): string {
  const { kind, name } = input.workload;
  return `${input.source} ${kind}/${name} ${item.container} ${item.result.checkId}: ${item.result.message}`;
}

function composeSource(source: string): { file: string; service: string } {
  const at = source.lastIndexOf("#");
  return { file: source.slice(0, at), service: source.slice(at + 1) };
}

/** The failures of Compose services, left for the file's fix to close; returns those it takes on. */
function planCompose(input: WorkloadInput, failing: readonly Failing[], files: Map<string, FilePlan>): Failing[] {
  const taken: Failing[] = [];
  for (const item of failing) {
    const facts = input.containers.find((c): c is DockerContainerFacts => c.name === item.container);
    if (!facts?.fromCompose) continue;
    const { file, service } = composeSource(facts.source);
    const services = (entryFor(files, file).compose ??= new Map());
    const line = remainingLine({ ...input, source: facts.source }, item);
    services.set(service, [...(services.get(service) ?? []), { checkId: item.result.checkId, line }]);
    taken.push(item);
  }
  return taken;
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
          : planCompose(input, failing, files);
    for (const item of failing.filter((f) => !written.includes(f))) remaining.push(remainingLine(input, item));
  }
  return { files, remaining, checks };
}

const NOT_SHOWN = "<value not shown>";

/** A removed line as the diff prints it: a YAML `value:` or a Dockerfile ARG/ENV loses its value (maybe a secret). */
const withoutValue: ShownLine = (line, kind) =>
  kind !== "-"
    ? line
    : line
        .replace(/^(\s*(?:-\s+)?value:\s*)\S.*$/, `$1${NOT_SHOWN}`)
        .replace(/^(\s*(?:ARG|ENV)\s+[^\s=]+)([=\s]).*$/i, `$1$2${NOT_SHOWN}`);

/** Every line of a Compose `environment` value, removed, kept or added, is printed by variable name only. */
function withoutEnvironment(before: string, after: string): ShownLine {
  const lines = { before: environmentLines(before), after: environmentLines(after) };
  return (line, kind, at) => {
    if (!(kind === "+" ? lines.after : lines.before).has(at)) return line;
    const named = /^(\s*(?:-\s+)?["']?[A-Za-z_][\w.-]*["']?\s*[:=][ \t]*)\S/.exec(line);
    return named ? `${named[1]}${NOT_SHOWN}` : `${/^\s*/.exec(line)?.[0] ?? ""}${NOT_SHOWN}`;
  };
}

interface FixedFile {
  before: string;
  after: string;
  /** Compose: `service checkId` of the failures the fix left. */
  failing?: Set<string>;
}

/** The fixed text of one file, or an error message for stderr. */
async function fixFile(file: string, entry: FilePlan, checks: readonly CheckDefinition[]): Promise<FixedFile | string> {
  const bytes = await readRegularFile(file, MAX_FILE_BYTES).catch(() => "unreadable" as const);
  if (typeof bytes === "string") return `${file}: cannot read it again (${bytes})`;
  const before = bytes.toString("utf8");
  try {
    if (entry.dockerfile) {
      return { before, after: applyDockerfileEdits(before, entry.dockerfile.parsed, entry.dockerfile.edits) };
    }
    if (entry.compose) {
      const fixed = fixComposeText(before, file, [...entry.compose.keys()], checks);
      return { before, after: fixed.text, failing: fixed.failing };
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
  const { files, remaining, checks } = plan(read.workloads, options.checks);
  let failed = read.errors.length > 0;
  const printed: string[] = [];
  for (const [file, entry] of files) {
    const fixed = await fixFile(file, entry, checks);
    if (typeof fixed === "string") {
      process.stderr.write(`rampart fix: ${fixed}\n`);
      failed = true;
      continue;
    }
    for (const [service, items] of entry.compose ?? [])
      for (const item of items) if (fixed.failing?.has(`${service} ${item.checkId}`)) remaining.push(item.line);
    if (fixed.after === fixed.before) continue;
    const shown = entry.compose ? withoutEnvironment(fixed.before, fixed.after) : withoutValue;
    if (options.mode === "diff") printed.push(unifiedDiff(fixed.before, fixed.after, file, shown));
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
