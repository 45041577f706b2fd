import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderKubeconfig } from "./kubeconfig";
import { customResourceDefinition } from "./resources";
import type { KubernetesSimulator } from "./server";
import { ADMIN_TOKEN, SHOP_MANIFESTS, startTestCluster } from "./testing";

interface Item {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

interface Body {
  kind?: string;
  items: Item[];
  metadata: { resourceVersion?: string; continue?: string; labels?: Record<string, string> };
  message?: string;
  reason?: string;
  code?: number;
  gitVersion?: string;
  groups: { name: string }[];
  resources: { name: string }[];
  rows: { cells: unknown[]; object: Item }[];
}

interface Answer {
  status: number;
  body: Body;
}

let sim: KubernetesSimulator;

function get(pathAndQuery: string, token = ADMIN_TOKEN, accept = "application/json"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(pathAndQuery, sim.url);
    const headers: Record<string, string> = { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const req = request(url, { ca: sim.tls.ca, headers }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  sim = await startTestCluster({
    manifestPaths: [SHOP_MANIFESTS],
    pods: 120,
    seed: 9,
    tokens: {
      "pods-only": { user: "viewer", grants: [{ rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["list"] }] }] },
      "shop-only": {
        user: "shop-reader",
        grants: [{ namespaces: ["shop"], rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["get", "list"] }] }],
      },
    },
  });
});

afterAll(async () => {
  await sim?.close();
});

async function listAll(basePath: string, limit: number): Promise<{ names: string[]; pages: number }> {
  const names: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const answer = await get(`${basePath}?limit=${limit}${token ? `&continue=${encodeURIComponent(token)}` : ""}`);
    expect(answer.status).toBe(200);
    pages += 1;
    names.push(...answer.body.items.map((i: Item) => `${i.metadata.namespace}/${i.metadata.name}`));
    token = answer.body.metadata.continue;
  } while (token);
  return { names, pages };
}

describe("Kubernetes API simulator", () => {
  it("pages a list with limit and continue, every object exactly once", async () => {
    const whole = await get("/api/v1/pods");
    const { names, pages } = await listAll("/api/v1/pods", 7);
    expect(whole.body.kind).toBe("PodList");
    expect(names).toHaveLength(whole.body.items.length);
    expect(new Set(names).size).toBe(names.length);
    expect(pages).toBe(Math.ceil(names.length / 7));
  });

  it("serves a continued list from the snapshot it started on, then 410 Gone once compacted", async () => {
    const first = await get("/apis/apps/v1/namespaces/shop/deployments?limit=1");
    const rv = first.body.metadata.resourceVersion;
    sim.store.apply([
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "zz-late", namespace: "shop", uid: "u-late", creationTimestamp: "2026-01-01T00:00:00Z" },
        spec: {},
      },
    ]);
    const second = await get(
      `/apis/apps/v1/namespaces/shop/deployments?limit=5&continue=${first.body.metadata.continue}`,
    );
    expect(second.body.metadata.resourceVersion).toBe(rv);
    expect(second.body.items.map((i: Item) => i.metadata.name)).not.toContain("zz-late");
    sim.store.compact();
    const expired = await get(
      `/apis/apps/v1/namespaces/shop/deployments?limit=5&continue=${first.body.metadata.continue}`,
    );
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ kind: "Status", reason: "Expired", code: 410 });
    expect(
      (await get("/apis/apps/v1/namespaces/shop/deployments")).body.items.map((i: Item) => i.metadata.name),
    ).toContain("zz-late");
    sim.store.remove("Deployment", "shop", "zz-late");
  });

  it("expires continue tokens on demand", async () => {
    const first = await get("/api/v1/pods?limit=3");
    sim.faults.expireContinues = 1;
    expect((await get(`/api/v1/pods?limit=3&continue=${first.body.metadata.continue}`)).status).toBe(410);
    expect((await get(`/api/v1/pods?limit=3&continue=${first.body.metadata.continue}`)).status).toBe(200);
  });

  it("answers 401 to unknown tokens and 403 with upstream's wording to missing permissions", async () => {
    expect((await get("/api/v1/pods", "nope")).status).toBe(401);
    expect((await get("/api/v1/pods", "")).body).toMatchObject({ reason: "Unauthorized", code: 401 });
    const denied = await get("/apis/networking.k8s.io/v1/networkpolicies", "pods-only");
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe(
      'networkpolicies is forbidden: User "viewer" cannot list resource "networkpolicies" in API group "networking.k8s.io" at the cluster scope',
    );
    expect((await get("/api/v1/pods", "pods-only")).status).toBe(200);
  });

  it("limits namespace-bound tokens to their namespaces, including the namespace object itself", async () => {
    expect((await get("/api/v1/namespaces/shop/pods", "shop-only")).status).toBe(200);
    expect((await get("/api/v1/namespaces/shop", "shop-only")).body.metadata.labels?.team).toBe("storefront");
    const other = await get("/api/v1/namespaces/payments/pods", "shop-only");
    expect(other.body.message).toContain('in the namespace "payments"');
    expect((await get("/api/v1/pods", "shop-only")).status).toBe(403);
  });

  it("serves discovery and version", async () => {
    expect((await get("/version")).body.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    expect((await get("/apis")).body.groups.map((g: { name: string }) => g.name)).toEqual([
      "apps",
      "batch",
      "networking.k8s.io",
      "apiextensions.k8s.io",
    ]);
    const core = await get("/api/v1");
    expect(core.body.resources.find((r: { name: string }) => r.name === "pods")).toMatchObject({
      namespaced: true,
      kind: "Pod",
    });
    expect((await get("/api/v1/nodes")).status).toBe(404);
  });

  it("serves a custom resource only while its CRD exists, after authorization as upstream does", async () => {
    const reports = "/apis/aquasecurity.github.io/v1alpha1/namespaces/shop/vulnerabilityreports";
    const report = {
      apiVersion: "aquasecurity.github.io/v1alpha1",
      kind: "VulnerabilityReport",
      metadata: {
        name: "replicaset-api-1-api",
        namespace: "shop",
        uid: "r-1",
        creationTimestamp: "2026-01-01T00:00:00Z",
      },
      report: { vulnerabilities: [] },
    };
    sim.store.apply([report as never]);
    expect((await get(reports)).status).toBe(404);
    expect((await get(reports, "pods-only")).status).toBe(403);
    expect((await get("/apis")).body.groups.map((g) => g.name)).not.toContain("aquasecurity.github.io");
    sim.store.apply([customResourceDefinition("VulnerabilityReport") as never]);
    try {
      expect((await get(reports)).body.items.map((i) => i.metadata.name)).toEqual(["replicaset-api-1-api"]);
      expect((await get("/apis")).body.groups.map((g) => g.name)).toContain("aquasecurity.github.io");
      const discovery = await get("/apis/aquasecurity.github.io/v1alpha1");
      expect(discovery.body.resources.map((r) => r.name)).toEqual(["vulnerabilityreports"]);
      expect((await get(reports, "pods-only")).status).toBe(403);
    } finally {
      sim.store.remove("CustomResourceDefinition", undefined, "vulnerabilityreports.aquasecurity.github.io");
      sim.store.remove("VulnerabilityReport", "shop", "replicaset-api-1-api");
    }
    expect((await get(reports)).status).toBe(404);
  });

  it("answers a Table when asked, as kubectl does", async () => {
    const table = await get(
      "/apis/apps/v1/namespaces/shop/deployments",
      ADMIN_TOKEN,
      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
    );
    expect(table.body.kind).toBe("Table");
    const api = table.body.rows.find((r: Body["rows"][number]) => r.object.metadata.name === "api");
    expect(api?.cells.slice(0, 2)).toEqual(["api", "10/10"]);
  });
});

const KUBECTL = "/usr/bin/kubectl";
const run = promisify(execFile);
const hasKubectl = existsSync(KUBECTL);
if (!hasKubectl && !process.env.RAMPART_REQUIRE_ALL)
  console.warn("skipping kubectl fidelity tests: apt-get install -y kubernetes-client");

describe.skipIf(!hasKubectl && !process.env.RAMPART_REQUIRE_ALL)("kubectl against the simulator", () => {
  let dir: string;
  let kubeconfig: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "rampart-kubectl-"));
    kubeconfig = path.join(dir, "config");
    await writeFile(kubeconfig, renderKubeconfig({ url: sim.url, ca: sim.tls.ca, token: ADMIN_TOKEN }), {
      mode: 0o600,
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const kubectl = (...args: string[]) =>
    run(KUBECTL, ["--kubeconfig", kubeconfig, ...args], { env: { ...process.env, HOME: dir } });

  it("lists all pods as JSON across pages", async () => {
    const { stdout } = await kubectl("get", "pods", "-A", "-o", "json", "--chunk-size=25");
    const list = JSON.parse(stdout);
    expect(list.items.length).toBe(sim.store.count("pods"));
    expect(
      list.items.filter((p: Item) => p.metadata.namespace === "shop" && p.metadata.name.startsWith("api-")),
    ).toHaveLength(10);
  });

  it("prints deployments and network policies in columns", async () => {
    const deployments = (await kubectl("get", "deployments", "-A")).stdout;
    expect(deployments).toMatch(/^NAMESPACE\s+NAME\s+READY/);
    expect(deployments).toMatch(/shop\s+api\s+10\/10/);
    const policies = (await kubectl("get", "networkpolicies", "-A")).stdout;
    expect(policies).toMatch(/payments\s+default-deny/);
    expect(policies).toMatch(/shop\s+api-ingress/);
  });
});
