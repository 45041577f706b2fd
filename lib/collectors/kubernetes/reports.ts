import type { CollectionReport, TargetConnection } from "@/lib/collectors/types";
import { readTrivyOperatorObject, ReportError, type ScanReport } from "@/lib/reports";
import { createKubeApis } from "./client";
import type { CollectOptions } from "./collect";
import { statusOf } from "./errors";
import { EXPOSED_SECRET_REPORTS, pagedLists, VULNERABILITY_REPORTS } from "./lists";
import { readPages } from "./paging";

/** A report holds hundreds of vulnerabilities: small pages keep the two pages in flight small. */
const REPORT_PAGE_SIZE = 50;

const KINDS = [
  { lister: VULNERABILITY_REPORTS, kind: "VulnerabilityReport" },
  { lister: EXPOSED_SECRET_REPORTS, kind: "ExposedSecretReport" },
] as const;

type Kind = (typeof KINDS)[number]["kind"];

/**
 * trivy-operator's VulnerabilityReports and ExposedSecretReports, page by page. Absent CRDs are "not installed" and
 * a forbidden list is named with the permission it needs (both in `report.warnings`, like NetworkPolicies'); an
 * object that cannot be read is named and skipped; the rest are read.
 */
export async function* collectKubernetesReports(
  target: TargetConnection,
  report: CollectionReport,
  signal: AbortSignal,
  options: CollectOptions = {},
): AsyncGenerator<ScanReport[]> {
  const apis = await createKubeApis(target, signal, options.requestTimeoutMs);
  const namespaces = target.settings.namespaces?.length ? target.settings.namespaces : undefined;
  const pageSize = Math.min(options.pageSize ?? REPORT_PAGE_SIZE, REPORT_PAGE_SIZE);
  const missing: string[] = [];
  try {
    for (const { lister, kind } of KINDS) {
      for (const list of pagedLists(apis, lister, namespaces)) {
        try {
          for await (const page of readPages(list, apis.server, pageSize)) {
            const reports = page.flatMap((item) => readObject(item, kind, report));
            if (reports.length > 0) yield reports;
          }
        } catch (error) {
          if (statusOf(error) === 404) {
            missing.push(`${lister.resource}.${lister.group}`);
            break;
          }
          if (statusOf(error) !== 403) throw error;
          report.warnings.push(`trivy-operator ${kind}s not read: ${(error as Error).message}`);
        }
      }
    }
  } finally {
    await apis.close();
  }
  if (missing.length > 0)
    report.warnings.push(
      `trivy-operator reports not read: not installed (the cluster serves no ${missing.join(" or ")})`,
    );
}

function readObject(item: unknown, kind: Kind, report: CollectionReport): ScanReport[] {
  const metadata = (item as { metadata?: { namespace?: unknown; name?: unknown } } | null)?.metadata;
  const where = `${kind} ${String(metadata?.namespace ?? "")}/${String(metadata?.name ?? "")}`.slice(0, 600);
  try {
    return [readTrivyOperatorObject(item, kind, where)];
  } catch (error) {
    if (!(error instanceof ReportError)) throw error;
    report.warnings.push(`${where} could not be read: ${[error.field, error.reason].filter(Boolean).join(": ")}`);
    return [];
  }
}
