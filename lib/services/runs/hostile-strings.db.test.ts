import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCollection } from "@/lib/collectors/run-collection";
import { setupTestDatabase } from "@/lib/db/testing";
import { STORE_FAILED_MESSAGE } from "@/lib/services/runs";
import { createTarget } from "@/lib/services/targets";
import { ALL_RULES, type KubernetesSimulator } from "@/lib/simulator/kubernetes";
import { expandManifests } from "@/lib/simulator/kubernetes/expand";
import { SHOP_MANIFESTS, startTestCluster } from "@/lib/simulator/kubernetes/testing";

const test = setupTestDatabase();
const TOKEN = "hostile-strings-token";
let sim: KubernetesSimulator;

function hostileDeployment() {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "evil", namespace: "shop", labels: { app: "evil\u202Egpj.exe", note: "half \uD800 pair" } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: "evil" } },
      template: {
        metadata: { labels: { app: "evil" } },
        spec: { containers: [{ name: "side\u0000car", image: "registry.example/evil:\u0000latest" }] },
      },
    },
  };
}

beforeAll(async () => {
  process.env.RAMPART_SECRET_KEY ??= randomBytes(32).toString("base64");
  sim = await startTestCluster({
    manifestPaths: [SHOP_MANIFESTS],
    tokens: { [TOKEN]: { user: "rampart", grants: [{ rules: ALL_RULES }] } },
  });
  sim.store.apply(expandManifests([hostileDeployment()]).objects);
});

afterAll(async () => {
  await sim?.close();
});

describe("a cluster whose objects hold characters Postgres cannot store", () => {
  it("stores every workload, the hostile one with replaced characters, and says so in a warning", async () => {
    const target = await createTarget(test.db, {
      name: "hostile-cluster",
      platform: "kubernetes",
      url: sim.url,
      credentials: { bearerToken: TOKEN, tlsCa: sim.tls.ca },
    });
    const result = await runCollection({ db: test.db, targetId: target.id });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe("succeeded");
    const workloads = await test.db.workload.findMany({
      where: { targetId: target.id },
      include: { containers: true },
    });
    expect(workloads.map((w) => w.name).sort()).toEqual([
      "api",
      "db-migrate",
      "debug",
      "evil",
      "ledger-db",
      "log-agent",
      "settlement-report",
      "web",
    ]);
    const evil = workloads.find((w) => w.name === "evil");
    expect(evil?.containers.map((c) => [c.name, c.image])).toEqual([
      ["side\uFFFDcar", "registry.example/evil:\uFFFDlatest"],
    ]);
    expect(evil?.labels).toEqual({ app: "evil\u202Egpj.exe", note: "half \uFFFD pair" });
    expect(
      await test.db.finding.count({ where: { container: { workload: { targetId: target.id } } } }),
    ).toBeGreaterThan(0);
    expect(result.warnings.join("\n")).toMatch(/shop\/evil.*replaced/);
  });
});

describe("a run whose results the database refuses", () => {
  it("keeps a worded error on the run, never the database's own text", async () => {
    const target = await createTarget(test.db, {
      name: "refused-cluster",
      platform: "kubernetes",
      url: sim.url,
      credentials: { bearerToken: TOKEN, tlsCa: sim.tls.ca },
    });
    await test.db.$executeRawUnsafe(
      `ALTER TABLE "Workload" ADD CONSTRAINT "no_evil" CHECK ("name" <> 'evil') NOT VALID`,
    );
    try {
      const result = await runCollection({ db: test.db, targetId: target.id });
      expect(result.status).toBe("failed");
      expect(result.error).toBe(STORE_FAILED_MESSAGE);
      const run = await test.db.collectionRun.findUniqueOrThrow({ where: { id: result.runId } });
      expect(run).toMatchObject({ status: "failed", error: STORE_FAILED_MESSAGE });
      expect(run.error).not.toMatch(/prisma|no_evil|23514|constraint/i);
    } finally {
      await test.db.$executeRawUnsafe(`ALTER TABLE "Workload" DROP CONSTRAINT "no_evil"`);
    }
  });
});
