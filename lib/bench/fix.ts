// `rampart fix` benchmark: whole-process wall time of `rampart fix --diff` (the compiled CLI) on a generated
// install manifest shaped like Argo CD's (~1.9 MB: large CRD schemas, RBAC, ConfigMaps, Services, NetworkPolicies
// and a handful of Deployments and a StatefulSet, commented), against the 2 s target of issue 13.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { timeChild } from "./cli";

const BIN = fileURLToPath(new URL("../cli/bin.mjs", import.meta.url));
const TARGET_SECONDS = 2;

/** A CRD's openAPI schema: nested objects with descriptions, as generated CRDs carry them. */
function schema(depth: number, width: number, seed: number): Record<string, unknown> {
  const description = `Field ${seed} controls how the controller reconciles this part of the resource. `.repeat(3);
  if (depth === 0) return { type: "string", description };
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < width; i++) properties[`field${seed}x${i}`] = schema(depth - 1, width, seed * 7 + i);
  return { type: "object", description, properties };
}

function crd(name: string, seed: number): Record<string, unknown> {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${name}.argoproj.io`, labels: { "app.kubernetes.io/part-of": "argocd" } },
    spec: {
      group: "argoproj.io",
      names: { kind: name, plural: `${name.toLowerCase()}s` },
      scope: "Namespaced",
      versions: [{ name: "v1alpha1", served: true, storage: true, schema: { openAPIV3Schema: schema(5, 4, seed) } }],
    },
  };
}

function deployment(name: string, kind = "Deployment"): Record<string, unknown> {
  const labels = { "app.kubernetes.io/name": name };
  return {
    apiVersion: "apps/v1",
    kind,
    metadata: { name, namespace: "argocd", labels },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          containers: [
            {
              name,
              image: "quay.io/argoproj/argocd:v2.11.0",
              args: [`/usr/local/bin/${name}`],
              ports: [{ containerPort: 8080 }],
              env: [
                {
                  name: "ARGOCD_LOG_LEVEL",
                  valueFrom: { configMapKeyRef: { name: "argocd-cmd-params-cm", key: "log.level", optional: true } },
                },
              ],
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            },
          ],
          volumes: [{ name: "tmp", emptyDir: {} }],
        },
      },
    },
  };
}

/** About 1.9 MB of YAML: the CRDs are most of it, as in Argo CD's install.yaml. */
export function generateInstallManifest(targetBytes = 1_900_000): string {
  const workloads = [
    "argocd-applicationset-controller",
    "argocd-dex-server",
    "argocd-notifications-controller",
    "argocd-redis",
    "argocd-repo-server",
    "argocd-server",
  ].map((name) => deployment(name));
  workloads.push(deployment("argocd-application-controller", "StatefulSet"));
  const others = workloads.flatMap((w) => {
    const name = (w.metadata as { name: string }).name;
    return [
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: "argocd" } },
      { apiVersion: "v1", kind: "Service", metadata: { name, namespace: "argocd" }, spec: { ports: [{ port: 80 }] } },
    ];
  });
  const parts = [...others, ...workloads].map((doc) => `# ${doc.kind} of the install\n${stringify(doc)}`);
  let text = parts.join("---\n");
  for (let i = 0; Buffer.byteLength(text) < targetBytes; i++) text = `${stringify(crd(`Kind${i}`, i + 1))}---\n${text}`;
  return text;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { runs: { type: "string" } } });
  const runs = Number(values.runs ?? 5);
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write("Usage: npm run bench -- fix [--runs N]\n");
    return 2;
  }
  const dir = await mkdtemp(path.join(tmpdir(), "rampart-bench-fix-"));
  try {
    const file = path.join(dir, "install.yaml");
    const text = generateInstallManifest();
    await writeFile(file, text);
    const args = [BIN, "fix", "--diff", file];
    await timeChild(args); // compiles the CLI when stale; not counted
    const times: number[] = [];
    const cpu: number[] = [];
    let code = 0;
    for (let i = 0; i < runs; i++) {
      const timed = await timeChild(args);
      times.push(timed.ms);
      cpu.push(timed.cpuMs);
      code = timed.code;
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    const report = {
      benchmark: "fix",
      manifestBytes: Buffer.byteLength(text),
      documents: text.split(/^---$/m).length,
      runs,
      exitCode: code,
      medianMs: Math.round(median),
      cpuMedianMs: Math.round(cpu[Math.floor(cpu.length / 2)] ?? 0),
      loadAverage: loadavg()[0] ?? 0,
      minMs: Math.round(times[0] ?? 0),
      maxMs: Math.round(times.at(-1) ?? 0),
      targetMs: TARGET_SECONDS * 1000,
    };
    process.stdout.write(
      `rampart fix --diff on a ${(report.manifestBytes / 1e6).toFixed(2)} MB install manifest (${report.documents} documents): ` +
        `median ${report.medianMs} ms wall (min ${report.minMs}, max ${report.maxMs}), ${report.cpuMedianMs} ms CPU, ` +
        `over ${runs} runs, target < ${report.targetMs} ms; exit ${report.exitCode}; load average ${report.loadAverage.toFixed(1)}\n` +
        `${JSON.stringify(report, null, 2)}\n`,
    );
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
