import { createReadStream } from "node:fs";
import { errorCode, listInputFiles } from "@/lib/manifests/list-files";
import { ReportError } from "./fields";
import type { ScanReport } from "./model";
import { readCapped, readReports } from "./read";

export interface ReadReportFilesResult {
  reports: { file: string; report: ScanReport }[];
  errors: ReportError[];
}

/**
 * Reads report files, directories (their .json/.yaml/.yml files, recursively) and `-` (standard input). A file
 * that cannot be read adds one error and nothing else; the others are still read.
 */
export async function readReportFiles(
  paths: string[],
  stdin: AsyncIterable<Buffer | string> = process.stdin,
): Promise<ReadReportFilesResult> {
  const named = paths.filter((p) => p !== "-");
  const listed = await listInputFiles(named);
  const result: ReadReportFilesResult = {
    reports: [],
    errors: listed.errors.map((e) => new ReportError(e.source, "", e.message)),
  };
  const files = paths.includes("-") ? ["-", ...listed.files] : listed.files;
  for (const file of files) {
    const name = file === "-" ? "(standard input)" : file;
    try {
      const text = await readCapped(file === "-" ? stdin : createReadStream(file), name);
      result.reports.push(...readReports(name, text).map((report) => ({ file: name, report })));
    } catch (error) {
      result.errors.push(
        error instanceof ReportError ? error : new ReportError(name, "", `cannot read: ${errorCode(error)}`),
      );
    }
  }
  return result;
}
