import { Debug as clientDebug } from "@prisma/client/runtime/client";
import { clearLogs } from "@prisma/debug";

/** How many debug calls Prisma's client runtime and its driver adapter each remember, enabled or not. */
const REMEMBERED_CALLS = 100;
const filler = clientDebug("rampart:forget");

/**
 * Prisma remembers the arguments of its last 100 debug calls (for its panic reports) even with debugging off: the
 * client runtime the query plan, the pg adapter the query, each with its parameters. A batch's JSON parameters (a few
 * MB) stayed reachable for ~30 statements after they ran. This empties both histories; the adapter's is the
 * `@prisma/debug` package (clearLogs), the runtime bundles its own copy, overwritten with empty calls.
 */
export function forgetStatementLogs(): void {
  clearLogs();
  for (let i = 0; i < REMEMBERED_CALLS; i++) filler("");
}
