import type { Platform, WorkloadInput } from "@/lib/domain/facts";
import type { ScanReport } from "@/lib/reports";

/** Everything a collector needs to reach one target; credentials already decrypted, never logged. */
export interface TargetConnection {
  name: string;
  platform: Platform;
  /** `unix:///var/run/docker.sock`, `tcp://host:2376`, or a Kubernetes API server URL. */
  url: string;
  settings: TargetSettings;
  credentials: TargetCredentials;
  /**
   * Set only for a connection built from the invoking user's own command line or environment (`rampart collect
   * --kubeconfig/--docker`, serve's DOCKER_CERT_PATH): file paths are read and kubeconfig plugins run as kubectl
   * would. Connections from the dashboard, the API or a stored row never have it: their kubeconfigs must be inline.
   */
  trustLocalFiles?: boolean;
}

export interface TargetSettings {
  /** Docker: also judge stopped containers. */
  includeStopped?: boolean;
  /** Docker over tcp:// without TLS: allowed only when set, and shown as a warning. */
  insecure?: boolean;
  /** Kubernetes: only these namespaces (for namespaced access). */
  namespaces?: string[];
  /** Kubernetes: kubeconfig context to use. */
  context?: string;
  /** Kubernetes: skip TLS verification only when the kubeconfig says so. */
  skipTlsVerify?: boolean;
  /** Kubernetes: in-cluster service account. */
  inCluster?: boolean;
  /**
   * TLS files on the Rampart host (Docker `DOCKER_CERT_PATH` style): read only when `trustLocalFiles` is set. A stored
   * row that has them (written before TLS material was uploaded) fails its poll with a message to upload the PEM.
   */
  tlsCaFile?: string;
  tlsCertFile?: string;
  tlsKeyFile?: string;
}

export interface TargetCredentials {
  /** PEM contents, when uploaded rather than given as file paths. */
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  bearerToken?: string;
  kubeconfig?: string;
}

/** What went wrong or was left out during one run; a run that is not complete marks nothing gone. */
export interface CollectionReport {
  warnings: string[];
  complete: boolean;
  /** Set when the collector read every listed container again, under this inspect epoch (see KnownListing). */
  inspectedEpoch?: string;
}

/**
 * What the store knows of a target's containers, so a collector may leave unchanged ones unread: a container whose
 * listed version is stored is not read again while the inspect epoch equals the one of the last full read.
 */
export interface KnownListing {
  /** What else decides results and is not in a listing: catalog version, active exceptions, the day. */
  epoch: string;
  /** The inspect epoch of the target's last complete poll that read every container; null before the first. */
  inspectedEpoch: string | null;
  /** Listed versions of the target's current stored containers. */
  listedVersions: ReadonlySet<string>;
}

/** One adapter per platform; everything after it is platform-neutral. */
export interface Collector {
  platform: Platform;
  listWorkloads(
    target: TargetConnection,
    report: CollectionReport,
    signal: AbortSignal,
    known?: KnownListing,
  ): AsyncIterable<WorkloadInput>;
  /**
   * Scanner reports the platform itself holds (Kubernetes: trivy-operator's), page by page; what is not installed,
   * forbidden or unreadable is said in `report.warnings`. Read before the workloads, so they are matched in the same run.
   */
  listReports?(target: TargetConnection, report: CollectionReport, signal: AbortSignal): AsyncIterable<ScanReport[]>;
  /** Reaches the target and describes it (`Docker 28.2.2 on host-a`), or throws an error saying what and where. */
  testConnection(target: TargetConnection, signal: AbortSignal): Promise<string>;
}
