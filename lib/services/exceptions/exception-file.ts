import { z } from "zod";
import { getCheckMeta } from "@/lib/checks/catalog";
import type { Db, Exception } from "@/lib/db";
import { parseDocuments } from "@/lib/manifests/parse-documents";
import { exceptionInputSchema } from "./create-exception";

// The exceptions file a security team keeps in Git (README "Exceptions as code"). Every entry is checked with the
// dashboard's own schema; the file is applied only when every entry is valid.

export const EXCEPTION_FILE_API_VERSION = "rampart.dev/v1";
export const EXCEPTION_FILE_KIND = "ExceptionList";
export const MAX_EXCEPTION_FILE_BYTES = 1024 * 1024;
const MAX_ENTRIES = 5000;

const scopeSchema = z
  .object({
    target: z.string().optional(),
    namespace: z.string().optional(),
    workload: z.string().optional(),
    container: z.string().optional(),
    image: z.string().optional(),
  })
  .strict();

const entrySchema = z
  .object({
    key: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "letters, digits, dot, dash, underscore (up to 100)"),
    check: z.string().refine((id) => getCheckMeta(id) !== undefined, "not a check id of the catalog"),
    scope: scopeSchema.default({}),
    reason: z.string(),
    owner: z.string(),
    expires: z.iso.date("a date as YYYY-MM-DD"),
  })
  .strict();
export type ExceptionFileEntry = z.infer<typeof entrySchema>;

const fileSchema = z
  .object({
    apiVersion: z.literal(EXCEPTION_FILE_API_VERSION),
    kind: z.literal(EXCEPTION_FILE_KIND),
    exceptions: z.array(z.unknown()).max(MAX_ENTRIES),
  })
  .strict();

/** A valid entry as the dashboard's schema stores it, with the target resolved by name. */
export interface DesiredException {
  key: string;
  checkId: string;
  targetId: string | null;
  targetName: string | null;
  namespace: string | null;
  workload: string | null;
  container: string | null;
  image: string | null;
  reason: string;
  owner: string;
  expiresAt: Date;
}

function issueText(error: z.ZodError, root: string): string {
  return error.issues.map((issue) => `${issue.path.join(".") || root}: ${issue.message}`).join("; ");
}

/** `exceptions[3] (key db-root)`, so a message names the entry without quoting any value but its key. */
function entryName(index: number, raw: unknown): string {
  const key = (raw as { key?: unknown } | null)?.key;
  const safe = typeof key === "string" && /^[A-Za-z0-9._-]{1,100}$/.test(key) ? ` (key ${key})` : "";
  return `exceptions[${index}]${safe}`;
}

/**
 * Reads an exceptions file: YAML or JSON, one document. Returns every problem, each naming its entry; when
 * there is any, nothing may be applied.
 */
export async function readExceptionFile(
  db: Db,
  text: string,
  now: Date = new Date(),
): Promise<{ entries: DesiredException[]; problems: string[] }> {
  if (Buffer.byteLength(text) > MAX_EXCEPTION_FILE_BYTES)
    return { entries: [], problems: [`the file is larger than ${MAX_EXCEPTION_FILE_BYTES / 1024 / 1024} MB`] };
  const parsed = parseDocuments(text, "yaml");
  const problems = parsed.problems.map((problem) => `document ${problem.index}: ${problem.message}`);
  if (problems.length > 0) return { entries: [], problems };
  if (parsed.documents.length !== 1) return { entries: [], problems: ["the file must hold exactly one document"] };
  const file = fileSchema.safeParse(parsed.documents[0]?.value);
  if (!file.success) return { entries: [], problems: [issueText(file.error, "file")] };

  const targets = new Map((await db.target.findMany({ select: { id: true, name: true } })).map((t) => [t.name, t.id]));
  const entries: DesiredException[] = [];
  const keys = new Set<string>();
  file.data.exceptions.forEach((raw, index) => {
    const name = entryName(index, raw);
    const entry = entrySchema.safeParse(raw);
    if (!entry.success) return problems.push(`${name}: ${issueText(entry.error, "entry")}`);
    const { key, check, scope, reason, owner, expires } = entry.data;
    if (keys.has(key)) return problems.push(`${name}: key: used by an earlier entry`);
    keys.add(key);
    const targetId = scope.target === undefined ? null : (targets.get(scope.target) ?? undefined);
    if (targetId === undefined) return problems.push(`${name}: scope.target: no target has this name`);
    const expiresAt = new Date(`${expires}T23:59:59Z`);
    if (expiresAt.getTime() <= now.getTime()) return problems.push(`${name}: expires: must be in the future`);
    const stored = exceptionInputSchema.safeParse({
      checkId: check,
      targetId,
      ...scope,
      reason,
      owner,
      expiresAt,
      createdBy: "file",
    });
    if (!stored.success) return problems.push(`${name}: ${issueText(stored.error, "entry")}`);
    const { createdBy: _createdBy, ...fields } = stored.data;
    entries.push({ key, targetName: scope.target ?? null, ...fields });
  });
  return { entries, problems };
}

const COMPARED = ["checkId", "targetId", "namespace", "workload", "container", "image", "reason", "owner"] as const;

export type ExceptionChange =
  | { type: "create"; desired: DesiredException }
  | { type: "extend"; desired: DesiredException; existing: Exception }
  | { type: "replace"; desired: DesiredException; existing: Exception; fields: string[] }
  | { type: "adopt"; desired: DesiredException; existing: Exception }
  | { type: "revoke"; existing: Exception };

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * What applying the file changes. Only exceptions managed from a file are revoked when their entry is gone; a
 * dashboard exception is adopted when an entry carries its id as key and says the same (what export writes).
 */
export async function planExceptionFile(
  db: Db,
  entries: readonly DesiredException[],
  now: Date = new Date(),
): Promise<ExceptionChange[]> {
  const active = await db.exception.findMany({
    where: { revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "asc" },
  });
  const managed = new Map(active.filter((e) => e.fileKey !== null).map((e) => [e.fileKey, e]));
  const unmanaged = new Map(active.filter((e) => e.fileKey === null).map((e) => [e.id, e]));
  const changes: ExceptionChange[] = [];
  for (const desired of entries) {
    const existing = managed.get(desired.key) ?? unmanaged.get(desired.key);
    managed.delete(desired.key);
    if (!existing) {
      changes.push({ type: "create", desired });
      continue;
    }
    const fields = COMPARED.filter((field) => existing[field] !== desired[field]);
    const sameDay = day(existing.expiresAt) === day(desired.expiresAt);
    if (fields.length > 0) changes.push({ type: "replace", desired, existing, fields });
    else if (existing.fileKey === null) changes.push({ type: "adopt", desired, existing });
    else if (!sameDay) changes.push({ type: "extend", desired, existing });
  }
  for (const existing of managed.values()) changes.push({ type: "revoke", existing });
  return changes;
}
