import { open, writeFile } from "node:fs/promises";
import { stringify } from "yaml";
import type { Db, Exception } from "@/lib/db";
import { visibleText } from "@/lib/format/visible-text";
import { columns } from "../output/columns";
import {
  applyExceptionChanges,
  EXCEPTION_FILE_API_VERSION,
  EXCEPTION_FILE_KIND,
  planExceptionFile,
  readExceptionFile,
  type ExceptionChange,
} from "@/lib/services/exceptions";
import { runVerbCommand } from "../verb-command";
import { cliActor } from "../with-database";

export const USAGE = `Usage: rampart exceptions <list|apply|export> [options]

  list                       active exceptions, with where each is managed from (file or dashboard)
  apply -f FILE [--dry-run]  make the file's exceptions the active ones managed from a file: prints the diff;
                             entries removed from the file are revoked (dashboard exceptions are left alone)
  export [-o FILE]           write the active exceptions in the file format (dashboard ones keyed by their id)

Uses DATABASE_URL, or the embedded database under RAMPART_DATA_DIR. The file format is in the README
("Exceptions as code"). Exit codes: 0 done, 1 failed, 2 usage error or an invalid file (nothing applied).
`;

function scopeText(e: Pick<Exception, "namespace" | "workload" | "container" | "image">, target?: string | null) {
  const parts = [
    target ? `target=${target}` : null,
    e.namespace !== null ? `namespace=${e.namespace}` : null,
    e.workload !== null ? `workload=${e.workload}` : null,
    e.container !== null ? `container=${e.container}` : null,
    e.image !== null ? `image=${e.image}` : null,
  ].filter(Boolean);
  return visibleText(parts.join(" ") || "everywhere");
}

const day = (date: Date) => date.toISOString().slice(0, 10);

async function activeExceptions(db: Db) {
  const [rows, targets] = await Promise.all([
    db.exception.findMany({
      where: { revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: [{ fileKey: "asc" }, { createdAt: "asc" }],
    }),
    db.target.findMany({ select: { id: true, name: true } }),
  ]);
  const names = new Map(targets.map((t) => [t.id, t.name]));
  return rows.map((row) => ({ row, target: row.targetId ? (names.get(row.targetId) ?? null) : null }));
}

async function list(db: Db): Promise<number> {
  const rows = await activeExceptions(db);
  const lines = [["KEY", "CHECK", "SCOPE", "OWNER", "EXPIRES", "MANAGED BY"]];
  for (const { row, target } of rows) {
    lines.push([
      visibleText(row.fileKey ?? row.id),
      row.checkId,
      scopeText(row, target),
      visibleText(row.owner),
      day(row.expiresAt),
      row.fileKey ? "file" : "dashboard",
    ]);
  }
  process.stdout.write(columns(lines));
  return 0;
}

async function exportFile(db: Db, output: string | undefined): Promise<number> {
  const rows = await activeExceptions(db);
  const exceptions = rows.map(({ row, target }) => {
    const scope = Object.fromEntries(
      Object.entries({
        target,
        namespace: row.namespace,
        workload: row.workload,
        container: row.container,
        image: row.image,
      }).filter(([, value]) => value !== null),
    );
    return {
      key: row.fileKey ?? row.id,
      check: row.checkId,
      ...(Object.keys(scope).length > 0 ? { scope } : {}),
      reason: row.reason,
      owner: row.owner,
      expires: day(row.expiresAt),
    };
  });
  const text = stringify({ apiVersion: EXCEPTION_FILE_API_VERSION, kind: EXCEPTION_FILE_KIND, exceptions });
  if (output === undefined) process.stdout.write(text);
  else await writeFile(output, text);
  return 0;
}

function describe(change: ExceptionChange): string {
  switch (change.type) {
    case "create":
      return `+ ${change.desired.key}: ${change.desired.checkId} (${scopeText(change.desired, change.desired.targetName)}), expires ${day(change.desired.expiresAt)}`;
    case "replace":
      return `~ ${change.desired.key}: ${change.fields.join(", ")} changed: revoked and created again`;
    case "extend":
      return `~ ${change.desired.key}: expires ${day(change.existing.expiresAt)} -> ${day(change.desired.expiresAt)}`;
    case "adopt":
      return `= ${change.desired.key}: dashboard exception now managed from the file`;
    case "revoke":
      return `- ${visibleText(change.existing.fileKey ?? change.existing.id)}: ${change.existing.checkId}: revoked (no longer in the file)`;
  }
}

/** Reads at most one byte past the cap, so a huge file is refused without being read whole. */
async function readCapped(file: string, cap: number): Promise<string> {
  const handle = await open(file, "r");
  try {
    if (!(await handle.stat()).isFile()) throw new Error("not a regular file");
    const buffer = Buffer.alloc(cap + 1);
    const { bytesRead } = await handle.read(buffer, 0, cap + 1, 0);
    if (bytesRead > cap) throw new Error(`larger than ${cap / 1024 / 1024} MB`);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

async function apply(db: Db, file: string, dryRun: boolean): Promise<number> {
  let text: string;
  try {
    text = await readCapped(file, 1024 * 1024);
  } catch (error) {
    process.stderr.write(
      `rampart exceptions: ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
    );
    return 2;
  }
  const { entries, problems } = await readExceptionFile(db, text);
  if (problems.length > 0) {
    for (const problem of problems) process.stderr.write(`rampart exceptions: ${file}: ${visibleText(problem)}\n`);
    process.stderr.write(`rampart exceptions: nothing applied (${problems.length} problem(s))\n`);
    return 2;
  }
  const changes = await planExceptionFile(db, entries);
  for (const change of changes) process.stdout.write(describe(change) + "\n");
  if (changes.length === 0) process.stdout.write(`no changes (${entries.length} exception(s) managed from the file)\n`);
  if (dryRun || changes.length === 0) return 0;
  await applyExceptionChanges(db, changes, cliActor());
  process.stdout.write(`applied ${changes.length} change(s)\n`);
  return 0;
}

const OPTIONS = {
  file: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  "dry-run": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export function run(argv: string[]): Promise<number> {
  return runVerbCommand(argv, {
    name: "exceptions",
    usage: USAGE,
    options: OPTIONS,
    verbs: ["list", "apply", "export"],
    usageProblem(verb, rest, values) {
      if (rest.length > 0) return `unexpected argument "${rest[0]}"`;
      if (verb === "apply" && values.file === undefined) return "apply needs -f FILE";
    },
    run(db, verb, _rest, values) {
      if (verb === "list") return list(db);
      if (verb === "export") return exportFile(db, values.output);
      return apply(db, values.file ?? "", values["dry-run"] ?? false);
    },
  });
}
