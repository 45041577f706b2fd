import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScheduler, type Scheduler } from "@/lib/collectors/scheduler";
import { setupTestDatabase } from "@/lib/db/testing";
import { createTarget, type EventStreamStatus } from "@/lib/services/targets";
import { ALL_RULES, type KubeObject, type KubernetesSimulator } from "@/lib/simulator/kubernetes";
import { SHOP_MANIFESTS, startTestCluster } from "@/lib/simulator/kubernetes/testing";

const test = setupTestDatabase();
const TOKEN = "watch-db-token";
let sim: KubernetesSimulator;
let scheduler: Scheduler | undefined;
let targetId: string;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The deployment with every container privileged, under another name when given. */
function privileged(name: string, as = name): KubeObject {
  const deployment = structuredClone(sim.store.get("deployments", "shop", name)!);
  deployment.metadata.name = as;
  const pod = (deployment.spec as { template: { spec: { containers: { securityContext?: object }[] } } }).template;
  for (const container of pod.spec.containers) container.securityContext = { privileged: true };
  return deployment;
}

const polls = () => test.db.collectionRun.count({ where: { targetId, status: "succeeded" } });

function privilegedFinding(workload: string) {
  return until(`a stored not-privileged finding on ${workload}`, () =>
    test.db.finding
      .findFirst({
        where: {
          checkId: "not-privileged",
          status: "open",
          container: { workload: { targetId, kind: "Deployment", namespace: "shop", name: workload } },
        },
      })
      .then((row) => row ?? undefined),
  );
}

const leaseSeconds = process.env.RAMPART_LEASE_SECONDS;

beforeAll(async () => {
  process.env.RAMPART_SECRET_KEY ??= randomBytes(32).toString("base64");
  // A short lease is renewed every second, so a lost one shows quickly.
  process.env.RAMPART_LEASE_SECONDS = "3";
  sim = await startTestCluster({
    manifestPaths: [SHOP_MANIFESTS],
    tokens: { [TOKEN]: { user: "rampart", grants: [{ rules: ALL_RULES }] } },
  });
  const target = await createTarget(test.db, {
    name: "watched-cluster",
    platform: "kubernetes",
    url: sim.url,
    intervalSeconds: 3600,
    credentials: { bearerToken: TOKEN, tlsCa: sim.tls.ca },
  });
  targetId = target.id;
  scheduler = startScheduler({ db: test.db, workerId: "watch-worker", concurrency: 1, idleMs: 100 });
  await until("following the cluster", async () => {
    const row = await test.db.target.findUniqueOrThrow({ where: { id: targetId } });
    return (row.eventStream as EventStreamStatus | null)?.state === "live" ? true : undefined;
  });
});

afterAll(async () => {
  await scheduler?.stop();
  await sim?.close();
  if (leaseSeconds === undefined) delete process.env.RAMPART_LEASE_SECONDS;
  else process.env.RAMPART_LEASE_SECONDS = leaseSeconds;
});

async function eventStream() {
  const row = await test.db.target.findUniqueOrThrow({ where: { id: targetId } });
  return { ...(row.eventStream as EventStreamStatus | null), leaseOwner: row.leaseOwner };
}

describe("following a simulated cluster with watches between polls", () => {
  it("stores a new and a modified privileged Deployment without a poll", async () => {
    const before = await polls();
    const started = Date.now();
    sim.store.apply([privileged("api", "rogue")]);
    expect(await privilegedFinding("rogue")).toMatchObject({ severity: "critical" });
    console.log(`new privileged Deployment -> stored critical finding: ${Date.now() - started} ms`);
    sim.store.apply([privileged("web")]);
    expect(await privilegedFinding("web")).toMatchObject({ severity: "critical" });
    expect(await polls()).toBe(before);
    const watched = sim.requests.filter((r) => r.query.watch === "true").map((r) => r.path);
    expect(new Set(watched)).toEqual(
      new Set([
        "/api/v1/pods",
        "/apis/apps/v1/deployments",
        "/apis/apps/v1/replicasets",
        "/apis/apps/v1/statefulsets",
        "/apis/apps/v1/daemonsets",
        "/apis/batch/v1/jobs",
        "/apis/batch/v1/cronjobs",
      ]),
    );
  });

  it("re-lists after 410 Gone and stores what changed while it was cut off", async () => {
    const before = await polls();
    const seen = sim.requests.length;
    sim.faults.holdWatches = true;
    sim.endWatches();
    sim.store.apply([privileged("api")]);
    sim.store.compact();
    sim.faults.holdWatches = false;
    expect(await privilegedFinding("api")).toMatchObject({ severity: "critical" });
    const after = sim.requests.slice(seen).filter((r) => r.path === "/apis/apps/v1/deployments");
    const expired = after.findIndex((r) => r.query.watch === "true" && r.watchError === 410);
    expect(expired).toBeGreaterThanOrEqual(0);
    const relist = after.findIndex((r, i) => i > expired && r.query.watch === undefined && r.status === 200);
    expect(relist).toBeGreaterThan(expired);
    expect(after.slice(relist + 1).some((r) => r.query.watch === "true" && r.watchError === undefined)).toBe(true);
    expect(await polls()).toBe(before);
    const row = await test.db.target.findUniqueOrThrow({ where: { id: targetId } });
    expect(row.eventStream).toMatchObject({ state: "live" });
  });

  it("marks nothing gone on a deletion, but asks for an early poll that does", async () => {
    const before = await polls();
    const removedAt = Date.now();
    sim.store.remove("Deployment", "shop", "rogue");
    await until("an early poll", async () => ((await polls()) > before ? true : undefined));
    const rogue = await test.db.workload.findFirstOrThrow({ where: { targetId, name: "rogue" } });
    // A later poll may already have started by now: the mark only has to come after the removal, from a poll.
    expect(rogue.goneAt?.getTime()).toBeGreaterThanOrEqual(removedAt);
    const live = await test.db.collectionRun.findMany({ where: { targetId, status: "live" } });
    expect(live.length).toBeGreaterThanOrEqual(3);
    await until("following again after the poll", async () =>
      (await eventStream()).state === "live" && sim.openWatches() === 7 ? true : undefined,
    );
  });

  it("stops watching when another worker takes the lease, and says so", async () => {
    await test.db.target.update({
      where: { id: targetId },
      data: { leaseOwner: "other-worker", leaseExpiresAt: new Date(Date.now() + 60_000) },
    });
    const stopped = await until("polling only", async () => {
      const status = await eventStream();
      return status.state === "polling" ? status : undefined;
    });
    expect(stopped).toMatchObject({
      reason: "the target was disabled or its lease went to another worker",
      leaseOwner: "other-worker",
    });
    await until("the watches to close", async () => (sim.openWatches() === 0 ? true : undefined));
  });
});
