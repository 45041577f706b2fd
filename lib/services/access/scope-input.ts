import { z } from "zod";
import type { Db } from "@/lib/db";
import type { DbClient } from "@/lib/services/statement-counter";
import { visibleText } from "@/lib/format/visible-text";
import { accessScopeSchema, MAX_SCOPE_ENTRIES, storedScope, type AccessScope } from "@/lib/scope/access-scope";
import { plainText } from "@/lib/validation/plain-text";

/** A scope as an admin types it: target names, `target/namespace` lines and team lines. */
export const scopeInputSchema = z.object({
  targets: z.array(plainText().trim().min(1).max(200)).max(MAX_SCOPE_ENTRIES).default([]),
  namespaces: plainText({ multiline: true }).max(30_000).default(""),
  teams: plainText({ multiline: true }).max(30_000).default(""),
});

export type ScopeInput = z.input<typeof scopeInputSchema>;

export class ScopeInputError extends Error {}

const linesOf = (text: string) =>
  text
    .split(/\r?\n|,/)
    .map((line) => line.trim())
    .filter(Boolean);

/**
 * The stored scope of a typed one (null = the whole fleet): target names resolved to ids, so renaming a target
 * keeps the scope and a deleted target's entries match nothing. Names what it cannot read.
 */
export async function resolveScopeInput(db: Db, input: ScopeInput): Promise<AccessScope | null> {
  const parsed = scopeInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScopeInputError(`scope ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  const namespaceLines = linesOf(parsed.data.namespaces);
  const pairs = namespaceLines.map((line, i) => {
    const at = line.lastIndexOf("/");
    if (at <= 0 || at === line.length - 1)
      throw new ScopeInputError(`namespaces, line ${i + 1}: "${visibleText(line)}" is not target/namespace`);
    return { target: line.slice(0, at), namespace: line.slice(at + 1) };
  });
  const names = [...new Set([...parsed.data.targets, ...pairs.map((p) => p.target)])];
  const rows = await db.target.findMany({ where: { name: { in: names } }, select: { id: true, name: true } });
  const ids = new Map(rows.map((row) => [row.name, row.id]));
  const idOf = (name: string) => {
    const id = ids.get(name);
    if (!id) throw new ScopeInputError(`no target is named "${visibleText(name)}"`);
    return id;
  };
  const scope = accessScopeSchema.safeParse({
    targets: parsed.data.targets.map(idOf),
    namespaces: pairs.map((p) => ({ targetId: idOf(p.target), namespace: p.namespace })),
    teams: linesOf(parsed.data.teams),
  });
  if (!scope.success) {
    const issue = scope.error.issues[0];
    throw new ScopeInputError(`scope ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  return storedScope(scope.data);
}

/** Target names by id, for showing stored scopes. */
export async function targetNames(db: DbClient): Promise<Map<string, string>> {
  const rows = await db.target.findMany({ select: { id: true, name: true } });
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** A stored scope as the form's fields; a deleted target's entries are left out. */
export function scopeFormValues(
  stored: unknown,
  names: ReadonlyMap<string, string>,
): { targets: string[]; namespaces: string; teams: string } {
  const parsed = accessScopeSchema.safeParse(stored ?? {});
  if (!parsed.success) return { targets: [], namespaces: "", teams: "" };
  const known = (id: string) => names.get(id);
  return {
    targets: parsed.data.targets.flatMap((id) => known(id) ?? []),
    namespaces: parsed.data.namespaces
      .flatMap((n) => (known(n.targetId) ? [`${known(n.targetId)}/${n.namespace}`] : []))
      .join("\n"),
    teams: parsed.data.teams.join("\n"),
  };
}

/** The scope fields of a posted form: `scopeTargets` (repeated), `scopeNamespaces` and `scopeTeams` (lines). */
export function scopeFields(formData: FormData): ScopeInput {
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : "";
  };
  return {
    targets: formData.getAll("scopeTargets").filter((v): v is string => typeof v === "string" && v !== ""),
    namespaces: text("scopeNamespaces"),
    teams: text("scopeTeams"),
  };
}
