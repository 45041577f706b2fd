import { Prisma } from "@/lib/db";
import { storableText } from "./storable-text";

const MAX_LENGTH = 2000;

/** What viewers read when storing a run failed inside the database; the details go to the server log only. */
export const STORE_FAILED_MESSAGE =
  "Storing this run's results in the database failed; nothing was marked gone. An administrator can find the details in the server log.";

const PRISMA_ERRORS = [
  Prisma.PrismaClientKnownRequestError,
  Prisma.PrismaClientUnknownRequestError,
  Prisma.PrismaClientValidationError,
  Prisma.PrismaClientInitializationError,
  Prisma.PrismaClientRustPanicError,
];

/** A raw database error, thrown now or stored by a version before this check (its text starts so). */
function isDatabaseError(error: unknown): boolean {
  if (PRISMA_ERRORS.some((type) => error instanceof type)) return true;
  if (error instanceof Error && error.name === "DatabaseError") return true;
  const text = error instanceof Error ? error.message : String(error);
  return /Invalid `(prisma|tx)\.|Raw query failed\. Code:|^\s*PrismaClient/.test(text);
}

/**
 * The run error kept on the run row and shown to every viewer: collector errors are worded already and kept
 * (cleaned so that Postgres can store them); database errors become one worded sentence and are logged here.
 */
export function describeRunError(error: unknown, context: { runId: string; targetId: string }): string {
  if (isDatabaseError(error)) {
    const code = (error as { code?: unknown }).code;
    const text = error instanceof Error ? error.message : String(error);
    console.error(
      `rampart: run ${context.runId} of target ${context.targetId} failed while storing` +
        `${typeof code === "string" ? ` (${code})` : ""}: ${storableText(text).trim().slice(0, MAX_LENGTH)}`,
    );
    return STORE_FAILED_MESSAGE;
  }
  const text = error instanceof Error ? error.message : String(error);
  return storableText(text).slice(0, MAX_LENGTH);
}

/** The error to show for a stored run: rows written before errors were worded may hold a raw database error. */
export function displayRunError(stored: string | null): string | null {
  if (stored === null) return null;
  return isDatabaseError(stored) ? STORE_FAILED_MESSAGE : stored;
}
