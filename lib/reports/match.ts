import { imageDigestsOf } from "@/lib/domain/facts";
import type {
  Available,
  ContainerFacts,
  ReportMatch,
  SecretReport,
  VulnerabilityReport,
  WorkloadInput,
} from "@/lib/domain/facts";
import {
  isFixableHighOrCritical,
  type KubernetesSubject,
  type PackageClass,
  type ReportDigest,
  type ReportSecret,
  type ScanReport,
  type VexStatus,
} from "./model";

/** A fixable HIGH/CRITICAL finding: all of a report that checks 9 and 10 judge. */
export interface IndexedFinding {
  id: string;
  severity: "HIGH" | "CRITICAL";
  class: PackageClass;
  pkg: string;
  fixedVersion: string | null;
}

/** A current report as matching needs it (from the database, or read from files offline). */
export interface IndexedReport {
  id: string;
  scanner: string;
  scannedAt: string;
  digests: ReportDigest[];
  subject: KubernetesSubject | null;
  /** The cluster a trivy-operator report came from (null: any). */
  targetId: string | null;
  scanned: { vulnerabilities: boolean; secrets: boolean };
  findings: IndexedFinding[];
  secrets: ReportSecret[];
}

export interface IndexedStatement {
  vulnerability: string;
  status: VexStatus;
  justification: string | null;
  products: string[];
}

export interface IndexedException {
  id: string;
  vulnerabilityId: string;
  image: string | null;
  namespace: string | null;
  workload: string | null;
  reason: string;
}

export interface ReportSet {
  reports: IndexedReport[];
  statements: IndexedStatement[];
  exceptions: IndexedException[];
  /** Whether Rampart holds any vulnerability report at all (else checks 9 and 10 are not-evaluated). */
  anyVulnerabilityReport: boolean;
}

/** A report read from a file, as matching needs it (offline `rampart scan --reports`). */
export function indexReport(report: ScanReport): IndexedReport {
  return {
    id: report.contentHash,
    scanner: report.scanner,
    scannedAt: report.scannedAt ?? new Date().toISOString(),
    digests: report.digests,
    subject: report.subject,
    targetId: null,
    scanned: report.scanned,
    findings: report.vulnerabilities.filter(isFixableHighOrCritical).map((v) => ({
      id: v.id,
      severity: v.severity as "HIGH" | "CRITICAL",
      class: v.class,
      pkg: v.package,
      fixedVersion: v.fixedVersion,
    })),
    secrets: report.secrets,
  };
}

const REMOVES: ReadonlySet<VexStatus> = new Set(["not_affected", "fixed"]);

/**
 * One way a report matches a container: by one of its digests, or by labels. Made once per report and digest when
 * the index is built, with the facts it gives once built: every container matching the same way shares them.
 */
interface Match {
  report: IndexedReport;
  digest: string;
  matchedBy: ReportMatch;
  /** Facts per package class, when no exception or VEX statement can set any finding aside (else undefined). */
  os: Available<VulnerabilityReport> | undefined;
  application: Available<VulnerabilityReport> | undefined;
  secrets: Available<SecretReport> | undefined;
}

function matchOf(report: IndexedReport, digest: string, matchedBy: ReportMatch): Match {
  return { report, digest, matchedBy, os: undefined, application: undefined, secrets: undefined };
}

/** The newer report; for the same report, the first digest matched (the image ID before repository digests). */
function newer(a: Match, b: Match): Match {
  if (a.report.id === b.report.id) return a;
  const later = a.report.scannedAt > b.report.scannedAt;
  return later || (a.report.scannedAt === b.report.scannedAt && a.report.id > b.report.id) ? a : b;
}

/**
 * trivy-operator names the object that owns the pods: a Deployment's ReplicaSet (`<name>-<pod-template-hash>`),
 * a CronJob's Job (`<name>-<schedule time>`), or the workload itself.
 */
function subjectNames(workload: { kind: string; name: string }, subject: KubernetesSubject): boolean {
  if (subject.kind === workload.kind && subject.name === workload.name) return true;
  const suffix = subject.name.startsWith(`${workload.name}-`) ? subject.name.slice(workload.name.length + 1) : null;
  if (suffix === null) return false;
  if (workload.kind === "Deployment" && subject.kind === "ReplicaSet") return /^[a-z0-9]{1,10}$/.test(suffix);
  if (workload.kind === "CronJob" && subject.kind === "Job") return /^[0-9]{1,12}$/.test(suffix);
  return false;
}

/** Matches reports to containers by digest sets and trivy-operator labels, and fills their report facts. */
export class ReportIndex {
  /** Per digest, the matches it gives: the report's own digest string, the same for every container matching it. */
  private readonly byDigest = new Map<string, Match[]>();
  /** Per namespace/container, trivy-operator reports with their match by labels (made once, like the digests'). */
  private readonly bySubject = new Map<string, Match[]>();
  private readonly statements = new Map<string, IndexedStatement[]>();
  /** Vulnerability ids some VEX statement or exception could set aside: only their findings are judged per container. */
  private readonly exceptable = new Set<string>();
  /**
   * Per report and package class, its open findings when none of them is exceptable (else null): the same for every
   * container, so each Match builds its facts from them once.
   */
  private readonly unexcepted = new Map<IndexedReport, Map<PackageClass, Finding[] | null>>();
  /** The newest matches of the container being attached (see consider): kept here so matching allocates nothing. */
  private newestVulnerability: Match | null = null;
  private newestSecrets: Match | null = null;

  constructor(private readonly set: ReportSet) {
    for (const report of set.reports) {
      for (const d of report.digests) this.push(this.byDigest, d.digest, matchOf(report, d.digest, d.kind));
      if (report.subject)
        this.push(
          this.bySubject,
          `${report.subject.namespace}/${report.subject.container}`,
          matchOf(report, "", "labels"),
        );
    }
    for (const statement of set.statements) {
      if (!REMOVES.has(statement.status)) continue;
      for (const product of statement.products)
        this.push(this.statements, `${product} ${statement.vulnerability}`, statement);
      this.exceptable.add(statement.vulnerability);
    }
    for (const exception of set.exceptions) this.exceptable.add(exception.vulnerabilityId);
  }

  /** The report's open findings of a class when no container can have any of them excepted, else null (cached). */
  private openEverywhere(report: IndexedReport, packageClass: PackageClass) {
    let byClass = this.unexcepted.get(report);
    if (!byClass) this.unexcepted.set(report, (byClass = new Map()));
    const cached = byClass.get(packageClass);
    if (cached !== undefined) return cached;
    const findings = report.findings.filter((f) => f.class === packageClass);
    const open = findings.some((f) => this.exceptable.has(f.id)) ? null : findings.map(openFinding);
    byClass.set(packageClass, open);
    return open;
  }

  private push<T>(map: Map<string, T[]>, key: string, value: T) {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }

  /** Fills every container's report facts; leaves them unset while no vulnerability report is held at all. */
  attach(input: WorkloadInput, targetId?: string): void {
    for (const facts of input.containers) this.attachContainer(facts, targetId);
  }

  /**
   * Considers the matches of every digest the running image is known by (imageDigestsOf's digests, in its order,
   * without building its array: a digest seen twice gives the same matches, which change nothing the second time),
   * then the trivy-operator reports naming the container.
   */
  private attachContainer(facts: ContainerFacts, targetId: string | undefined): void {
    this.newestVulnerability = null;
    this.newestSecrets = null;
    const seen = facts.imageDigests;
    if (seen?.length) for (const { digest } of seen) this.consider(this.byDigest.get(digest));
    else if (facts.imageDigest) this.consider(this.byDigest.get(facts.imageDigest));
    const config = facts.imageConfig && "value" in facts.imageConfig ? facts.imageConfig.value : undefined;
    if (config) {
      this.consider(this.byDigest.get(config.digest));
      if (config.platformDigest) this.consider(this.byDigest.get(config.platformDigest));
      this.consider(this.byDigest.get(config.configDigest));
    }
    if (facts.platform === "kubernetes" && this.bySubject.size > 0) {
      for (const match of this.bySubject.get(`${facts.workload.namespace}/${facts.name}`) ?? []) {
        const { report } = match;
        if (report.targetId !== null && report.targetId !== targetId) continue;
        if (report.subject && subjectNames(facts.workload, report.subject)) this.considerOne(match);
      }
    }
    const vulnerability = this.newestVulnerability as Match | null;
    const secrets = this.newestSecrets as Match | null;
    if (this.set.anyVulnerabilityReport) {
      facts.vulnerabilityReport = vulnerability ? this.judged(facts, vulnerability, "os") : { value: null };
      facts.dependencyReport = vulnerability ? this.judged(facts, vulnerability, "application") : { value: null };
    }
    if (secrets) facts.secretReport = secrets.secrets ??= { value: secretEvidence(secrets) };
  }

  private consider(matches: Match[] | undefined): void {
    if (matches) for (const match of matches) this.considerOne(match);
  }

  private considerOne(match: Match): void {
    const { scanned } = match.report;
    if (scanned.vulnerabilities)
      this.newestVulnerability = this.newestVulnerability ? newer(this.newestVulnerability, match) : match;
    if (scanned.secrets) this.newestSecrets = this.newestSecrets ? newer(this.newestSecrets, match) : match;
  }

  private judged(facts: ContainerFacts, match: Match, packageClass: PackageClass): Available<VulnerabilityReport> {
    // Shared by every container of the report matched the same way (facts are read, never changed, after matching).
    const shared = match[packageClass];
    if (shared) return shared;
    const everywhere = this.openEverywhere(match.report, packageClass);
    if (everywhere) return (match[packageClass] = { value: reportFacts(match, everywhere) });
    const open: VulnerabilityReport["fixableHighOrCritical"] = [];
    const excepted: NonNullable<VulnerabilityReport["excepted"]> = [];
    const digests = digestsOf(facts).map((d) => d.digest);
    for (const finding of match.report.findings) {
      if (finding.class !== packageClass) continue;
      const reason = this.exceptable.has(finding.id)
        ? (this.vexReason(digests, finding.id) ?? this.exceptionReason(facts, digests, finding.id))
        : null;
      if (reason) excepted.push({ id: finding.id, pkg: finding.pkg, reason });
      else open.push(openFinding(finding));
    }
    return { value: reportFacts(match, open, excepted) };
  }

  private vexReason(digests: string[], vulnerability: string): string | null {
    for (const digest of digests) {
      const statement = this.statements.get(`${digest} ${vulnerability}`)?.[0];
      if (statement) return `VEX ${statement.status}${statement.justification ? `: ${statement.justification}` : ""}`;
    }
    return null;
  }

  private exceptionReason(facts: ContainerFacts, digests: string[], vulnerability: string): string | null {
    const { workload } = facts;
    const rule = this.set.exceptions.find(
      (e) =>
        e.vulnerabilityId === vulnerability &&
        (e.namespace === null || e.namespace === workload.namespace) &&
        (e.workload === null || e.workload === workload.name || e.workload === `${workload.kind}/${workload.name}`) &&
        (e.image === null || imageCovers(e.image, facts.image, digests)),
    );
    return rule ? `exception ${rule.id}: ${rule.reason}` : null;
  }
}

type Finding = VulnerabilityReport["fixableHighOrCritical"][number];

function reportFacts(
  match: Match,
  open: VulnerabilityReport["fixableHighOrCritical"],
  excepted: NonNullable<VulnerabilityReport["excepted"]> = [],
): VulnerabilityReport {
  return {
    ...reportNamed(match),
    fixableHighOrCritical: open,
    ...(excepted.length > 0 ? { excepted } : {}),
  };
}

function openFinding(finding: IndexedFinding): VulnerabilityReport["fixableHighOrCritical"][number] {
  return {
    id: finding.id,
    severity: finding.severity,
    pkg: finding.pkg,
    ...(finding.fixedVersion ? { fixedVersion: finding.fixedVersion } : {}),
  };
}

/** An exception's image scope: a digest, a reference, or a repository without tag. */
function imageCovers(scope: string, image: string, digests: string[]): boolean {
  if (digests.includes(scope)) return true;
  if (scope === image) return true;
  const repository = image.replace(/@.*$/, "").replace(/:[^/:]+$/, "");
  return scope === repository;
}

export const digestsOf = imageDigestsOf;

/** What evidence says of the report a container matched: which report, by which digest, from which scanner and when. */
function reportNamed(match: Match): Pick<SecretReport, "id" | "digest" | "matchedBy" | "scanner" | "scannedAt"> {
  return {
    id: match.report.id,
    digest: match.digest,
    matchedBy: match.matchedBy,
    scanner: match.report.scanner,
    scannedAt: match.report.scannedAt,
  };
}

function secretEvidence(match: Match): SecretReport {
  return {
    ...reportNamed(match),
    secrets: match.report.secrets.map((s) => ({
      ruleId: s.ruleId,
      severity: s.severity,
      file: s.file,
      layer: s.layer,
    })),
  };
}
