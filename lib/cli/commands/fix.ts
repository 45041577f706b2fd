import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { CHECKS } from "@/lib/checks/registry";
import { DIGEST_PLACEHOLDER } from "@/lib/checks/support/images";
import type { WorkloadInput } from "@/lib/domain/facts";
import type { CheckResult } from "@/lib/domain/result";
import { evaluateWorkload } from "@/lib/evaluate";
import { unifiedDiff } from "@/lib/format/unified-diff";
import { MAX_FILE_BYTES, readInputs, readRegularFile } from "@/lib/manifests/read";
import { combinedPatch, createdObjects, type ContainerFix } from "@/lib/remediation/combined";
import { fixJsonText, fixYamlText, type ObjectFix } from "@/lib/remediation/fix-manifest";
import { formatInputError } from "./scan";

export const USAGE = `Usage: rampart fix <files|dirs…> [options]

Applies the fixes of failing checks to Kubernetes manifests: only the fields a fix needs change, comments,
key order, quoting and document separators stay. A NetworkPolicy a fix needs is added as a new document.

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

/** What one file needs: patches of its objects, objects to add, and failures a file edit cannot close. */
interface FilePlan {
  fixes: ObjectFix[];
  created: string[];
}

/** A fix written into a file must be complete: a digest placeholder is left for `rampart scan` to report. */
function isWritable(result: CheckResult): boolean {
  const fix = result.remediation;
  if (!fix || (!fix.kubernetesPatch && !fix.kubernetesManifest)) return false;
  return !`${fix.kubernetesPatch ?? ""}${fix.kubernetesManifest ?? ""}`.includes(DIGEST_PLACEHOLDER);
}

function fileAndDocument(source: string): { file: string; document: number } {
  const match = /^(.*)#(\d+)$/.exec(source);
  return match ? { file: match[1] as string, document: Number(match[2]) } : { file: source, document: 0 };
}

function plan(workloads: readonly WorkloadInput[], checks: readonly string[]) {
  const selected = checks.length > 0 ? CHECKS.filter((check) => checks.includes(check.id)) : CHECKS;
  const files = new Map<string, FilePlan>();
  const remaining: string[] = [];
  for (const input of workloads) {
    if (input.workload.platform !== "kubernetes") continue;
    const evaluation = evaluateWorkload(input, { checks: selected });
    const writable: ContainerFix[] = [];
    for (const container of evaluation.containers) {
      for (const result of container.checks) {
        if (result.status !== "fail" || result.excepted) continue;
        if (isWritable(result) && result.remediation)
          writable.push({ container: container.name, checkId: result.checkId, remediation: result.remediation });
        else
          remaining.push(
            `${input.source} ${input.workload.kind}/${input.workload.name} ${container.name} ${result.checkId}: ${result.message}`,
          );
      }
    }
    if (writable.length === 0) continue;
    const { file, document } = fileAndDocument(input.source);
    const entry = files.get(file) ?? { fixes: [], created: [] };
    files.set(file, entry);
    const patch = combinedPatch(writable);
    if (Object.keys(patch).length > 0)
      entry.fixes.push({ document, kind: input.workload.kind, name: input.workload.name, patch });
    entry.created.push(...createdObjects(writable).filter((text) => !entry.created.includes(text)));
  }
  return { files, remaining };
}

/** The fixed text of one file, or an error message for stderr. */
async function fixFile(file: string, entry: FilePlan): Promise<{ before: string; after: string } | string> {
  const bytes = await readRegularFile(file, MAX_FILE_BYTES).catch(() => "unreadable" as const);
  if (typeof bytes === "string") return `${file}: cannot read it again (${bytes})`;
  const before = bytes.toString("utf8");
  try {
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
    if (options.mode === "diff") printed.push(unifiedDiff(fixed.before, fixed.after, file));
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
