import type { Db } from "@/lib/db";
import { visibleText } from "@/lib/format/visible-text";
import { resolveScopeInput, ScopeInputError } from "@/lib/services/access/scope-input";
import { listUsers, setUserAccessScope } from "@/lib/services/users";
import { columns } from "../output/columns";
import { InputError, runVerbCommand, type VerbValues } from "../verb-command";
import { cliActor } from "../with-database";

export const USAGE = `Usage: rampart users <list|scope> [options]

  list
  scope EMAIL [--target NAME]... [--namespace TARGET/NAMESPACE]... [--team TEAM]...
  scope EMAIL --clear

scope sets what a user may see, as the Users page does: whole targets, one namespace of a target, or a team
(its workloads on every target). The entries add up; the user sees workloads matching any of them. --clear
gives back the whole fleet. Each change is audit-logged (user.scope-changed). Uses DATABASE_URL, or the
embedded database. Exit codes: 0 done, 1 failed, 2 usage or input error.
`;

const OPTIONS = {
  target: { type: "string", multiple: true },
  namespace: { type: "string", multiple: true },
  team: { type: "string", multiple: true },
  clear: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = VerbValues<typeof OPTIONS>;

async function list(db: Db): Promise<number> {
  const lines = [["EMAIL", "ROLE", "ENABLED", "SEES"]];
  for (const user of await listUsers(db))
    lines.push([visibleText(user.email), user.role, user.disabled ? "no" : "yes", visibleText(user.scope)]);
  process.stdout.write(columns(lines));
  return 0;
}

async function scope(db: Db, email: string, values: Values): Promise<number> {
  const entries = [...(values.target ?? []), ...(values.namespace ?? []), ...(values.team ?? [])];
  if ((values.clear ?? false) === entries.length > 0)
    throw new InputError("give --clear, or at least one --target, --namespace or --team");
  const user = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (!user) throw new InputError(`no user has the email ${visibleText(email)}`);
  let stored;
  try {
    stored = await resolveScopeInput(db, {
      targets: values.target ?? [],
      namespaces: (values.namespace ?? []).join("\n"),
      teams: (values.team ?? []).join("\n"),
    });
  } catch (error) {
    if (error instanceof ScopeInputError) throw new InputError(error.message);
    throw error;
  }
  await setUserAccessScope(db, user.id, stored, cliActor());
  const after = (await listUsers(db)).find((row) => row.id === user.id);
  process.stdout.write(`${visibleText(email)} now sees: ${visibleText(after?.scope ?? "")}\n`);
  return 0;
}

export function run(argv: string[]): Promise<number> {
  return runVerbCommand(argv, {
    name: "users",
    usage: USAGE,
    options: OPTIONS,
    verbs: ["list", "scope"],
    usageProblem(verb, rest) {
      if (verb === "scope" && rest.length !== 1) return "scope takes one email";
      if (verb === "list" && rest.length > 0) return `unexpected argument "${rest[0]}"`;
    },
    run: (db, verb, rest, values) => (verb === "list" ? list(db) : scope(db, rest[0] ?? "", values)),
  });
}
