export { ingestReports, type IngestedReport, type IngestOptions, type IngestVia } from "./ingest-reports";
export { pruneReports } from "./prune-reports";
export {
  createVulnerabilityException,
  FLEET_WIDE_ONLY,
  listActiveVulnerabilityExceptions,
  mayManageVulnerabilityExceptions,
  revokeVulnerabilityException,
  vulnerabilityExceptionInputSchema,
  VULNERABILITY_ID,
  VulnerabilityExceptionAccessError,
  type VulnerabilityExceptionInput,
  type VulnerabilityExceptionRule,
} from "./vulnerability-exceptions";
export { loadReportContext, loadReportIndex, type ReportContext } from "./load-report-index";
