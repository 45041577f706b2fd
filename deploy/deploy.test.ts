import { execFileSync, spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, parse } from "yaml";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const BIN = fileURLToPath(new URL("../lib/cli/bin.mjs", import.meta.url));
const hasKubectl = spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0;
if (!hasKubectl && process.env.RAMPART_REQUIRE_ALL !== "1")
  console.warn("skipping the Kustomize rendering test: apt-get install -y kubernetes-client");

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface ScanResult {
  workload: { kind: string; name: string };
  podSecurity?: { restricted: { allowed: boolean } };
  containers: { checks: { id: string; status: string; severity: string }[] }[];
}

/** `rampart scan` as users run it, with stdin; exit code and parsed JSON report. */
function scan(args: string[], input?: string): { status: number | null; results: ScanResult[]; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, "scan", ...args, "--format", "json"], {
    cwd: ROOT,
    input,
    encoding: "utf8",
  });
  return {
    status: run.status,
    results: (JSON.parse(run.stdout) as { results: ScanResult[] }).results,
    stderr: run.stderr,
  };
}

const failing = (results: ScanResult[], severities: string[]) =>
  results.flatMap((r) =>
    r.containers.flatMap((c) =>
      c.checks
        .filter((k) => k.status === "fail" && severities.includes(k.severity))
        .map((k) => `${r.workload.name} ${k.id}`),
    ),
  );

describe.skipIf(!hasKubectl && process.env.RAMPART_REQUIRE_ALL !== "1")("deploy/kubernetes", () => {
  it("renders with kubectl kustomize and passes rampart scan - --level restricted --fail-on high", () => {
    const rendered = execFileSync("kubectl", ["kustomize", "deploy/kubernetes"], { cwd: ROOT, encoding: "utf8" });
    const { status, results } = scan(["-", "--level", "restricted", "--fail-on", "high"], rendered);
    expect(status).toBe(0);
    expect(results.map((r) => `${r.workload.kind}/${r.workload.name}`).sort()).toEqual([
      "Deployment/rampart-web",
      "Deployment/rampart-worker",
    ]);
    expect(results.every((r) => r.podSecurity?.restricted.allowed)).toBe(true);
    expect(failing(results, ["critical", "high"])).toEqual([]);
    // Only the image digest, which the release pins in kustomization.yaml's images: entry.
    expect(failing(results, ["medium", "low"]).sort()).toEqual([
      "rampart-web image-pinned-by-digest",
      "rampart-worker image-pinned-by-digest",
    ]);

    const objects = parseAllDocuments(rendered).map((doc) => doc.toJS() as Raw);
    const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
    // The ClusterRole the repository ships, bound to the worker's ServiceAccount; read-only verbs only.
    const [role] = byKind("ClusterRole");
    expect(role?.metadata.name).toBe("rampart-reader");
    const verbs = new Set(role!.rules.flatMap((rule: { verbs: string[] }) => rule.verbs));
    expect([...verbs].sort()).toEqual(["get", "list", "watch"]);
    expect(byKind("ClusterRoleBinding")[0]?.subjects).toEqual([
      { kind: "ServiceAccount", name: "rampart", namespace: "rampart" },
    ]);
    for (const deployment of byKind("Deployment")) {
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      const env = Object.fromEntries(container.env.map((e: { name: string }) => [e.name, e]));
      expect(env.DATABASE_URL.valueFrom.secretKeyRef).toEqual({ name: "rampart", key: "database-url" });
      expect(env.RAMPART_SECRET_KEY.valueFrom.secretKeyRef).toEqual({ name: "rampart", key: "secret-key" });
      expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(container.resources.limits.memory).toBeTruthy();
      expect(deployment.spec.replicas).toBe(2);
    }
    const web = byKind("Deployment").find((d) => d.metadata.name === "rampart-web")!.spec.template.spec;
    expect(web.containers[0].readinessProbe.httpGet.path).toBe("/readyz");
    expect(web.containers[0].livenessProbe.httpGet.path).toBe("/healthz");
    const policies = byKind("NetworkPolicy");
    expect(policies.find((p) => p.metadata.name === "default-deny")?.spec).toEqual({
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
    });
    expect(policies.find((p) => p.metadata.name === "rampart-worker")?.spec.ingress).toBeUndefined();
  });
});

describe("Rampart's own Dockerfile and production Compose file", () => {
  it("pass rampart scan --fail-on high: non-root numeric user, pinned bases, secrets as files", async () => {
    const { status, results } = scan(["Dockerfile", "deploy/compose/compose.yaml", "--fail-on", "high"]);
    expect(status).toBe(0);
    expect(failing(results, ["critical", "high"])).toEqual([]);
    expect(results.map((r) => r.workload.name).sort()).toEqual(["Dockerfile", "migrate", "postgres", "web", "worker"]);
    const dockerfile = await readFile(`${ROOT}/Dockerfile`, "utf8");
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    const compose = parse(await readFile(`${ROOT}/deploy/compose/compose.yaml`, "utf8"), { merge: true }) as {
      services: Record<string, { deploy?: { replicas?: number }; environment?: Record<string, string> }>;
    };
    expect(compose.services.web?.deploy?.replicas).toBe(2);
    expect(compose.services.worker?.deploy?.replicas).toBe(2);
    expect(Object.keys(compose.services.web?.environment ?? {})).toContain("DATABASE_URL_FILE");
  });
});
