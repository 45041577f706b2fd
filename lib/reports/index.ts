export * from "./model";
export { ReportError } from "./fields";
export { MAX_REPORT_BYTES, readCapped, readReports, readTrivyOperatorObject } from "./read";
export { readReportFiles } from "./files";
export {
  digestsOf,
  indexReport,
  ReportIndex,
  type IndexedException,
  type IndexedFinding,
  type IndexedReport,
  type IndexedStatement,
  type ReportSet,
} from "./match";
