import type { Remediation } from "./result";
import type { Status } from "./severity";

/** One check result as stored with its container and read by the pages: evidence without facts, so no secret derivative. */
export interface StoredResult {
  id: string;
  status: Status;
  severity: string;
  message: string;
  fieldPath: string;
  excepted: boolean;
  exceptionId: string | null;
  /** The rendered fix of a failing result (patches, flags, file lines): built from facts, never a secret value. */
  remediation?: Remediation;
}
