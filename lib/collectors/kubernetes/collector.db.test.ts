import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCollection } from "@/lib/collectors/run-collection";
import { setupTestDatabase } from "@/lib/db/testing";
import { createTarget } from "@/lib/services/targets";
import { ALL_RULES, type KubernetesSimulator } from "@/lib/simulator/kubernetes";
import { SHOP_MANIFESTS, startTestCluster } from "@/lib/simulator/kubernetes/testing";

const test = setupTestDatabase();
const TOKEN = "collector-db-token";
const fullAccess = { user: "rampart", grants: [{ rules: ALL_RULES }] };
let sim: KubernetesSimulator;

beforeAll(async () => {
  process.env.RAMPART_SECRET_KEY ??= randomBytes(32).toString("base64");
  sim = await startTestCluster({ manifestPaths: [SHOP_MANIFESTS], tokens: { [TOKEN]: fullAccess } });
});

afterAll(async () => {
  await sim?.close();
});

const workloadsOf = (targetId: string) =>
  test.db.workload.findMany({ where: { targetId }, include: { containers: true } });

describe("runCollection on a simulated cluster", () => {
  it("stores one row per workload, and only a complete run marks a vanished one gone", async () => {
    const target = await createTarget(test.db, {
      name: "sim-cluster",
      platform: "kubernetes",
      url: sim.url,
      credentials: { bearerToken: TOKEN, tlsCa: sim.tls.ca },
    });
    const first = await runCollection({ db: test.db, targetId: target.id });
    expect(first).toMatchObject({ status: "succeeded", containers: 8 });
    const stored = await workloadsOf(target.id);
    expect(stored.map((w) => `${w.kind}/${w.namespace}/${w.name}`).sort()).toEqual([
      "CronJob/payments/settlement-report",
      "DaemonSet/ops/log-agent",
      "Deployment/shop/api",
      "Deployment/shop/web",
      "Job/ops/db-migrate",
      "Pod/shop/debug",
      "StatefulSet/payments/ledger-db",
    ]);
    const api = stored.find((w) => w.name === "api");
    expect(api?.containers.map((c) => c.digest)).toEqual([expect.stringMatching(/^sha256:[a-f0-9]{64}$/)]);
    expect(api).toMatchObject({ replicas: 10, labels: { app: "api" }, namespaceLabels: { team: "storefront" } });
    expect(
      await test.db.finding.count({ where: { container: { workload: { targetId: target.id } } } }),
    ).toBeGreaterThan(0);

    sim.store.remove("Deployment", "shop", "web");
    sim.tokens.set(TOKEN, {
      user: "rampart",
      grants: [{ rules: [{ apiGroups: ["*"], resources: ["namespaces", "serviceaccounts"], verbs: ["list"] }] }],
    });
    const failed = await runCollection({ db: test.db, targetId: target.id });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^cannot list \w+ at cluster scope: forbidden \(needs list on /);
    expect((await workloadsOf(target.id)).filter((w) => w.goneAt !== null)).toEqual([]);

    sim.tokens.set(TOKEN, fullAccess);
    const third = await runCollection({ db: test.db, targetId: target.id });
    expect(third.status).toBe("succeeded");
    const gone = (await workloadsOf(target.id)).filter((w) => w.goneAt !== null).map((w) => w.name);
    expect(gone).toEqual(["web"]);
  });
});
