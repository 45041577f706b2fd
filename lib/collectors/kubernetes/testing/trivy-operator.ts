import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { customResourceDefinition } from "@/lib/simulator/kubernetes";

const CORPUS = path.resolve(__dirname, "../../../../../shared/corpus/reports/trivy-operator");

/** What `kubectl apply` of trivy-operator's CRDs leaves: the simulator serves the two report kinds once these exist. */
export const TRIVY_OPERATOR_CRDS = [
  customResourceDefinition("VulnerabilityReport"),
  customResourceDefinition("ExposedSecretReport"),
];

type Json = Record<string, unknown> & { metadata: Record<string, unknown>; report: Record<string, unknown> };

async function corpusObject(file: string, at: Date): Promise<Json> {
  const object = parse(await readFile(path.join(CORPUS, file), "utf8")) as Json;
  // The files are from 2022-2023: only the scan time moves, so the reports are younger than the maximum age.
  object.report.updateTimestamp = at.toISOString();
  return object;
}

/**
 * The corpus' trivy-operator reports as a cluster holds them: a VulnerabilityReport (one fixable CRITICAL in the OS
 * package curl) and an ExposedSecretReport for the `nginx` container of Deployment default/nginx-deployment, and a
 * VulnerabilityReport (one fixable HIGH in the Go module gogo/protobuf) for kube-system/coredns.
 */
export async function corpusTrivyOperatorReports(at = new Date()) {
  return {
    nginx: await corpusObject("vulnerabilityreport_single_vuln.json", at),
    nginxSecrets: await corpusObject("exposedsecretreport_single_vuln.json", at),
    coredns: await corpusObject("vulnerability-ttl.yaml", at),
  };
}

function deployment(namespace: string, name: string, container: string, image: string) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: container, image }] } },
    },
  };
}

/** The workloads the corpus reports were made for (trivy-operator names their ReplicaSets in its labels). */
export const REPORTED_WORKLOADS = [
  deployment("default", "nginx-deployment", "nginx", "nginx:alpine"),
  deployment("kube-system", "coredns", "coredns", "k8s.gcr.io/coredns/coredns:v1.8.0"),
];
