// Engine benchmark: how evaluation (normalize + all checks + Pod Security) compares with merely parsing the JSON.
import { parseArgs } from "node:util";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import type { WorkloadInput } from "@/lib/domain/facts";
import type { NetworkPolicy } from "@/lib/domain/kubernetes";
import { evaluateWorkload } from "@/lib/evaluate";
import { normalizeDockerContainer } from "@/lib/normalize/docker";
import { normalizeKubernetesWorkload } from "@/lib/normalize/kubernetes";
import { indexReport, ReportIndex } from "@/lib/reports";
import { benchDigest, benchReport } from "./report-fixture";

type Json = Record<string, unknown>;
type Doc = { platform: "kubernetes"; object: Json } | { platform: "docker"; container: Json };

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMESPACES = ["shop", "payments", "search", "platform", "data", "default"];
const KINDS = ["Deployment", "Deployment", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"];
const DIGEST = "sha256:" + "ab12".repeat(16);
const IMAGE_DIGEST = /sha256:[a-f0-9]{64}/;

function securityContext(rand: () => number): Json | undefined {
  const r = rand();
  if (r < 0.35) {
    return {
      runAsNonRoot: true,
      runAsUser: 10001,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"], ...(rand() < 0.2 ? { add: ["NET_BIND_SERVICE"] } : {}) },
      seccompProfile: { type: "RuntimeDefault" },
    };
  }
  if (r < 0.65) return { runAsUser: rand() < 0.5 ? 0 : 1000, allowPrivilegeEscalation: rand() < 0.5 };
  if (r < 0.72) return { privileged: true, capabilities: { add: ["SYS_ADMIN", "NET_ADMIN"] } };
  return undefined;
}

function env(rand: () => number): Json[] {
  const list: Json[] = [
    { name: "LOG_LEVEL", value: "info" },
    { name: "PORT", value: "8080" },
  ];
  if (rand() < 0.5) list.push({ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } });
  if (rand() < 0.1) list.push({ name: "API_TOKEN", value: "bench-placeholder-not-a-secret" });
  if (rand() < 0.3) list.push({ name: "DB_PASSWORD_FILE", value: "/run/secrets/db" });
  return list;
}

function container(rand: () => number, name: string, index: number): Json {
  const tag = rand() < 0.2 ? `@${DIGEST}` : rand() < 0.15 ? ":latest" : `:1.${index}.${Math.floor(rand() * 20)}`;
  const c: Json = {
    name,
    image: `ghcr.io/acme/${name}${tag}`,
    env: env(rand),
    ports: [{ containerPort: 8080 + index, ...(rand() < 0.05 ? { hostPort: 80 } : {}) }],
    volumeMounts: [
      { name: "tmp", mountPath: "/tmp" },
      ...(rand() < 0.05 ? [{ name: "docker", mountPath: "/var/run/docker.sock" }] : []),
    ],
  };
  const sc = securityContext(rand);
  if (sc) c.securityContext = sc;
  if (rand() < 0.6)
    c.resources = { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "128Mi" } };
  return c;
}

function podSpec(rand: () => number, base: string, count: number): Json {
  const containers = Array.from({ length: count }, (_, i) => container(rand, i === 0 ? base : `${base}-side${i}`, i));
  const spec: Json = {
    containers,
    volumes: [
      { name: "tmp", emptyDir: {} },
      { name: "docker", hostPath: { path: "/var/run/docker.sock" } },
    ],
  };
  if (rand() < 0.15) spec.initContainers = [container(rand, `${base}-init`, 9)];
  if (rand() < 0.5) spec.securityContext = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
  if (rand() < 0.05) spec.hostNetwork = true;
  if (rand() < 0.4) spec.automountServiceAccountToken = false;
  return spec;
}

function kubernetesObject(rand: () => number, i: number, count: number): Json {
  const kind = KINDS[Math.floor(rand() * KINDS.length)] as string;
  const name = `svc-${i}`;
  const labels = { app: name, tier: rand() < 0.5 ? "web" : "backend" };
  const metadata = { name, namespace: NAMESPACES[i % NAMESPACES.length], labels };
  const template = {
    metadata: { labels },
    spec: {
      ...podSpec(rand, name, count),
      restartPolicy: kind === "Job" || kind === "CronJob" ? "OnFailure" : "Always",
    },
  };
  if (kind === "Pod") return { apiVersion: "v1", kind, metadata, spec: template.spec };
  if (kind === "CronJob")
    return {
      apiVersion: "batch/v1",
      kind,
      metadata,
      spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template } } },
    };
  const selector = { matchLabels: { app: name } };
  return {
    apiVersion: kind === "Job" ? "batch/v1" : "apps/v1",
    kind,
    metadata,
    spec: { replicas: 3, selector, template },
  };
}

function dockerContainer(rand: () => number, i: number): Json {
  const privileged = rand() < 0.08;
  return {
    Id: i.toString(16).padStart(64, "0"),
    Name: `/app-${i}`,
    Image: DIGEST,
    Config: {
      User: rand() < 0.5 ? "" : "app",
      Image: rand() < 0.2 ? `acme/app@${DIGEST}` : "acme/app:2.1",
      Env: ["PATH=/usr/bin", "PORT=8080"],
      Labels: {},
    },
    HostConfig: {
      Privileged: privileged,
      ReadonlyRootfs: rand() < 0.4,
      CapAdd: rand() < 0.2 ? ["NET_ADMIN"] : null,
      CapDrop: rand() < 0.4 ? ["ALL"] : null,
      SecurityOpt: rand() < 0.4 ? ["no-new-privileges:true"] : null,
      NetworkMode: rand() < 0.1 ? "host" : "bridge",
      Memory: rand() < 0.5 ? 268435456 : 0,
      NanoCpus: 0,
      CpuQuota: 0,
      PidsLimit: null,
      PortBindings: { "8080/tcp": [{ HostIp: "", HostPort: "8080" }] },
      Binds: rand() < 0.05 ? ["/var/run/docker.sock:/var/run/docker.sock"] : null,
    },
    Mounts: [],
    AppArmorProfile: "docker-default",
    NetworkSettings: { Networks: { bridge: { NetworkID: "n1" } } },
    State: { Status: "running", Running: true },
  };
}

/** Workload documents holding `containers` containers in all, as JSON text. */
export function generateFleetJson(containers: number, seed = 42): string {
  const rand = prng(seed);
  const docs: Doc[] = [];
  let made = 0;
  for (let i = 0; made < containers; i++) {
    if (rand() < 0.15) {
      docs.push({ platform: "docker", container: dockerContainer(rand, i) });
      made += 1;
      continue;
    }
    const count = Math.min(1 + Math.floor(rand() * 4), containers - made);
    const object = kubernetesObject(rand, i, count);
    const spec = podSpecOf(object);
    made += count + ((spec.initContainers as Json[] | undefined)?.length ?? 0);
    docs.push({ platform: "kubernetes", object });
  }
  return JSON.stringify(docs);
}

function podSpecOf(object: Json): Json {
  const spec = object.spec as Json;
  if (object.kind === "Pod") return spec;
  const template =
    object.kind === "CronJob" ? (((spec.jobTemplate as Json).spec as Json).template as Json) : (spec.template as Json);
  return template.spec as Json;
}

const POLICIES: NetworkPolicy[] = NAMESPACES.slice(0, 3).map((namespace) => ({
  metadata: { name: "default-deny", namespace },
  spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
}));

interface EvaluationTally {
  containers: number;
  failed: number;
  fixes: number;
  peakHeap: number;
}

function normalizeDoc(doc: Doc, document: number, networkPolicies: { value: NetworkPolicy[] }): WorkloadInput {
  const source = `fleet.json#${document}`;
  const input =
    doc.platform === "kubernetes"
      ? normalizeKubernetesWorkload(doc.object, { source, document, networkPolicies }).input
      : dockerInput(doc.container, source);
  if (!input) throw new Error(`${source}: generated document did not normalize`);
  return input;
}

/** Normalizes every document and drops the result: the share of normalization in evaluateFleet. */
export function normalizeFleet(docs: readonly Doc[]): number {
  const networkPolicies = { value: POLICIES };
  let containers = 0;
  docs.forEach((doc, document) => (containers += normalizeDoc(doc, document, networkPolicies).containers.length));
  return containers;
}

/**
 * Normalizes and evaluates every document, keeping only tallies as a streaming consumer would.
 * With `renderFixes` it also reads every failing result's remediation, which is rendered on first read.
 */
export function evaluateFleet(docs: readonly Doc[], renderFixes: boolean, reports?: ReportIndex): EvaluationTally {
  const tally: EvaluationTally = { containers: 0, failed: 0, fixes: 0, peakHeap: 0 };
  const networkPolicies = { value: POLICIES };
  docs.forEach((doc, document) => {
    const input = normalizeDoc(doc, document, networkPolicies);
    // What a collector records of the running image (a status imageID, an inspect's Image): one of the bench's
    // images, whether or not reports are held, so the two modes differ only by the reports. Cut from an imageID
    // as the normalizer does, so the digest is a fresh string each run (its hash not yet computed), as when polled.
    for (const facts of input.containers) {
      const imageId = `ghcr.io/acme/app@${benchDigest(1 + (imageIndex(facts.image) % BENCH_IMAGES))}`;
      facts.imageDigests = [{ kind: "repository", digest: imageId.match(IMAGE_DIGEST)![0] }];
    }
    reports?.attach(input);
    for (const container of evaluateWorkload(input).containers) {
      tally.containers += 1;
      for (const check of container.checks) {
        if (check.status !== "fail") continue;
        tally.failed += 1;
        if (renderFixes && check.remediation) tally.fixes += 1;
      }
    }
    if (document % 5000 === 0) tally.peakHeap = Math.max(tally.peakHeap, process.memoryUsage().heapUsed);
  });
  return tally;
}

/** Distinct images the fleet runs, each with one report when the bench runs with reports. */
const BENCH_IMAGES = 2000;

function imageIndex(image: string): number {
  let h = 0;
  for (let i = 0; i < image.length; i++) h = (Math.imul(h, 31) + image.charCodeAt(i)) >>> 0;
  return h;
}

/** One Trivy report of `vulns` findings per bench image (the reports bench's), as the collector's index holds them. */
export function benchReportIndex(vulns: number): ReportIndex {
  return new ReportIndex({
    reports: Array.from({ length: BENCH_IMAGES }, (_, i) => indexReport(benchReport(i, vulns))),
    statements: [],
    exceptions: [],
    anyVulnerabilityReport: true,
  });
}

function dockerInput(container: Json, source: string): WorkloadInput | undefined {
  const { facts } = normalizeDockerContainer({ container }, { source });
  if (!facts) return undefined;
  return { workload: facts.workload, source, labels: {}, containers: [facts] };
}

interface Timing {
  ms: number;
  /** CPU time of the process (all its threads, GC helpers included): less disturbed by other processes. */
  cpuMs: number;
}

function time<T>(fn: () => T): Timing & { value: T } {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const value = fn();
  const cpu = process.cpuUsage(cpuStart);
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000 };
}

let gc: (() => void) | undefined;

/** Each timed phase starts on a collected heap: V8's collector, exposed for this process on first use. */
function collectGarbage(): void {
  if (!gc) {
    v8.setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { containers: { type: "string" }, runs: { type: "string" }, reports: { type: "string" } },
  });
  const containers = Number(values.containers ?? 100_000);
  const runs = Number(values.runs ?? 3);
  if (!Number.isInteger(containers) || containers < 1 || !Number.isInteger(runs) || runs < 1) {
    process.stderr.write("Usage: npm run bench -- engine [--containers N] [--runs N] [--reports VULNS]\n");
    return 2;
  }
  // Warm the JIT on a small fleet so the figures measure steady state, for parsing and evaluating alike.
  const warm = JSON.parse(generateFleetJson(3000, 7)) as Doc[];
  evaluateFleet(warm, true);
  evaluateFleet(warm, false);

  // --reports N: each container's image has a report of N vulnerabilities (2,000 images), matched by digest.
  const reports = values.reports === undefined ? undefined : benchReportIndex(Number(values.reports));
  evaluateFleet(warm, false, reports);

  const text = generateFleetJson(containers);
  const parses: Timing[] = [];
  const evaluations: Timing[] = [];
  const normalizations: Timing[] = [];
  const reportEvaluations: Timing[] = [];
  let docs: Doc[] = [];
  let peakHeap = 0;
  for (let i = 0; i < runs; i++) {
    docs = [];
    collectGarbage();
    const parsed = time(() => JSON.parse(text) as Doc[]);
    parses.push(parsed);
    docs = parsed.value;
    // With --reports, the two modes run back to back on the same documents, first one then the other in turn, so
    // neither always runs on a warmer heap or a quieter machine.
    const modes = !reports ? [undefined] : i % 2 === 0 ? [undefined, reports] : [reports, undefined];
    for (const mode of modes) {
      collectGarbage();
      const evaluated = time(() => evaluateFleet(docs, false, mode));
      (mode ? reportEvaluations : evaluations).push(evaluated);
      peakHeap = Math.max(peakHeap, evaluated.value.peakHeap);
    }
    collectGarbage();
    normalizations.push(time(() => normalizeFleet(docs)));
  }
  // Rendering every fix is what `scan --format json` pays; measured once, it is many times slower.
  collectGarbage();
  const fixed = time(() => evaluateFleet(docs, true));
  const tally = { ...fixed.value, peakHeap: Math.max(peakHeap, fixed.value.peakHeap) };
  const withFixes = [fixed];
  const report = summarize({ text, parses, evaluations, normalizations, withFixes, tally });
  const withReports = reports ? reportsFigure(evaluations, reportEvaluations, tally.containers) : undefined;
  process.stdout.write(
    renderReport(report) +
      "\n" +
      (withReports ? renderReports(withReports, Number(values.reports)) + "\n" : "") +
      JSON.stringify(withReports ? { ...report, withReports } : report, null, 2) +
      "\n",
  );
  return 0;
}

// Best of N: on a shared machine the fastest run is the one least disturbed by other processes.
const best = (timings: Timing[]): Timing => ({
  ms: Math.min(...timings.map((t) => t.ms)),
  cpuMs: Math.min(...timings.map((t) => t.cpuMs)),
});
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const phase = (timing: Timing, containers: number) => ({
  ms: round(timing.ms),
  containersPerSecond: Math.round(containers / (timing.ms / 1000)),
  usPerContainer: round((timing.ms * 1000) / containers, 3),
  cpuUsPerContainer: round((timing.cpuMs * 1000) / containers, 3),
});

function summarize(m: {
  text: string;
  parses: Timing[];
  evaluations: Timing[];
  normalizations: Timing[];
  withFixes: Timing[];
  tally: EvaluationTally;
}) {
  const parse = best(m.parses);
  const evaluate = best(m.evaluations);
  const fixes = best(m.withFixes);
  const normalize = best(m.normalizations);
  const n = m.tally.containers;
  return {
    benchmark: "engine",
    containers: n,
    jsonBytes: Buffer.byteLength(m.text),
    failedChecks: m.tally.failed,
    remediationsRendered: m.tally.fixes,
    runs: m.parses.length,
    parse: phase(parse, n),
    evaluate: phase(evaluate, n),
    normalizeOnly: phase(normalize, n),
    evaluateAndRenderFixes: phase(fixes, n),
    ratio: round(evaluate.ms / parse.ms, 3),
    ratioWithFixes: round(fixes.ms / parse.ms, 3),
    cpuRatio: round(evaluate.cpuMs / parse.cpuMs, 3),
    cpuRatioWithFixes: round(fixes.cpuMs / parse.cpuMs, 3),
    target: 0.5,
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024, 1),
    peakHeapMiB: round(Math.max(m.tally.peakHeap, process.memoryUsage().heapUsed) / 1024 / 1024, 1),
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Per-container cost of evaluating with each image's report attached (ReportIndex.attach included) against without:
 * medians over the runs, and the median of each run's pair (run back to back), which the machine's load disturbs least.
 */
function reportsFigure(without: Timing[], withReports: Timing[], containers: number) {
  const mid = (timings: Timing[]): Timing => ({
    ms: median(timings.map((t) => t.ms)),
    cpuMs: median(timings.map((t) => t.cpuMs)),
  });
  const added = (pick: (t: Timing) => number) =>
    round(median(withReports.map((t, i) => (pick(t) / pick(without[i]!) - 1) * 100)), 1);
  return {
    runs: withReports.length,
    without: phase(mid(without), containers),
    evaluate: phase(mid(withReports), containers),
    addedPercent: added((t) => t.ms),
    addedCpuPercent: added((t) => t.cpuMs),
    target: 10,
  };
}

function renderReports(r: ReturnType<typeof reportsFigure>, vulns: number): string {
  return [
    `reports (2,000 images x ${vulns} vulnerabilities, each container's image matched), median of ${r.runs} interleaved runs:`,
    `  without: ${r.without.usPerContainer.toFixed(3)} µs/container, ${r.without.cpuUsPerContainer.toFixed(3)} CPU µs/container`,
    `  with:    ${r.evaluate.usPerContainer.toFixed(3)} µs/container, ${r.evaluate.cpuUsPerContainer.toFixed(3)} CPU µs/container`,
    `added by reports (median of each run's pair): ${r.addedPercent}% wall, ${r.addedCpuPercent}% CPU (target < ${r.target}%)`,
  ].join("\n");
}

function renderReport(r: ReturnType<typeof summarize>): string {
  const row = (label: string, p: ReturnType<typeof phase>) =>
    `${label.padEnd(34)} ${p.ms.toFixed(1).padStart(10)} ${String(p.containersPerSecond).padStart(14)} ${p.usPerContainer.toFixed(3).padStart(12)} ${p.cpuUsPerContainer.toFixed(3).padStart(12)}`;
  return [
    `engine benchmark: ${r.containers} containers, ${(r.jsonBytes / 1024 / 1024).toFixed(1)} MiB of JSON, best of ${r.runs} runs (remediation pass: 1 run)`,
    `${"phase".padEnd(34)} ${"ms".padStart(10)} ${"containers/s".padStart(14)} ${"µs/container".padStart(12)} ${"CPU µs/cont.".padStart(12)}`,
    row("JSON.parse", r.parse),
    row("normalize + evaluate", r.evaluate),
    row("  of which normalize alone", r.normalizeOnly),
    row("  + render every remediation", r.evaluateAndRenderFixes),
    `evaluate ÷ parse: ${r.ratio} (target ≤ ${r.target}); with every remediation rendered: ${r.ratioWithFixes}`,
    `in CPU time: evaluate ÷ parse ${r.cpuRatio}; with every remediation rendered: ${r.cpuRatioWithFixes}`,
    `peak RSS ${r.peakRssMiB} MiB, peak heap ${r.peakHeapMiB} MiB, failing checks ${r.failedChecks}, remediations ${r.remediationsRendered}`,
  ].join("\n");
}
