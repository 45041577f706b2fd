import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBaseImage, canRunDockerd, startDockerd, type PrivateDockerd } from "@/e2e/support/dockerd";
import { setupTestDatabase } from "@/lib/db/testing";
import { createTarget, pollTargetNow, type EventStreamStatus } from "@/lib/services/targets";
import { startScheduler, type Scheduler } from "../scheduler";

const enabled = canRunDockerd();

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!enabled)("following a private dockerd's events between polls", () => {
  const database = setupTestDatabase();
  let engine: PrivateDockerd;
  let base: string;
  let scheduler: Scheduler | undefined;
  let targetId: string;

  beforeAll(async () => {
    engine = await startDockerd();
    base = await buildBaseImage(engine);
    await engine.docker(["create", "--name", "quiet", "--network", "none", "--read-only", base, "sleep", "3600"]);
  });

  afterAll(async () => {
    await scheduler?.stop();
    await engine?.stop();
  });

  async function eventStream(): Promise<(EventStreamStatus & { leaseOwner: string | null }) | undefined> {
    const target = await database.db.target.findUniqueOrThrow({ where: { id: targetId } });
    const status = target.eventStream as EventStreamStatus | null;
    return status ? { ...status, leaseOwner: target.leaseOwner } : undefined;
  }

  async function pollRuns(): Promise<number> {
    return database.db.collectionRun.count({ where: { targetId, status: "succeeded" } });
  }

  it("stores a critical not-privileged finding for a new privileged container before the next poll", async () => {
    targetId = (
      await createTarget(database.db, {
        name: "followed",
        platform: "docker",
        url: engine.url,
        intervalSeconds: 3600,
        settings: { includeStopped: true },
      })
    ).id;
    scheduler = startScheduler({ db: database.db, workerId: "events-worker", concurrency: 1, idleMs: 100 });
    await until("the stream to be live", async () => ((await eventStream())?.state === "live" ? true : undefined));
    expect(await eventStream()).toMatchObject({ state: "live", leaseOwner: "events-worker" });
    const polls = await pollRuns();
    const { nextRunAt } = await database.db.target.findUniqueOrThrow({ where: { id: targetId } });

    const started = Date.now();
    await engine.docker(["create", "--privileged", "--name", "priv", "--network", "none", base, "sleep", "3600"]);
    const finding = await until("the stored finding", () =>
      database.db.finding
        .findFirst({
          where: { checkId: "not-privileged", status: "open", container: { name: "priv", workload: { targetId } } },
        })
        .then((row) => row ?? undefined),
    );
    const latencyMs = Date.now() - started;
    console.log(`docker create --privileged -> stored critical finding: ${latencyMs} ms`);
    expect(finding.severity).toBe("critical");
    expect(Date.now()).toBeLessThan(nextRunAt.getTime());
    expect(await pollRuns()).toBe(polls);
    const quiet = await database.db.container.findFirstOrThrow({ where: { name: "quiet", workload: { targetId } } });
    expect(quiet.goneAt).toBeNull();
  });

  it("re-reads a docker update, which the listing does not show, and the next full poll finds nothing to judge", async () => {
    const limits = () =>
      database.db.finding.findFirst({
        where: { checkId: "resource-limits", container: { name: "quiet", workload: { targetId } } },
      });
    expect((await limits())?.status).toBe("open");
    await engine.docker(["update", "--memory=64m", "--memory-swap=128m", "--cpus=0.5", "--pids-limit=64", "quiet"]);
    await until("the limits finding resolved", async () =>
      (await limits())?.status === "resolved" ? true : undefined,
    );

    // The event's re-judgement stored facts hashes, as a poll does: a poll that reads everything again (a new
    // inspect epoch) finds every hash current and rewrites no container.
    const containers = () =>
      database.db.container.findMany({
        where: { workload: { targetId } },
        select: { id: true, factsHash: true, listedVersion: true },
        orderBy: { name: "asc" },
      });
    const before = await containers();
    await database.db.target.update({ where: { id: targetId }, data: { inspectedEpoch: null } });
    const polls = await pollRuns();
    await pollTargetNow(database.db, targetId);
    await until("the poll", async () => ((await pollRuns()) > polls ? true : undefined));
    const poll = await database.db.collectionRun.findFirstOrThrow({
      where: { targetId, status: "succeeded" },
      orderBy: { startedAt: "desc" },
    });
    expect({ opened: poll.findingsOpened, resolved: poll.findingsResolved }).toEqual({ opened: 0, resolved: 0 });
    expect(await containers()).toEqual(before);
    expect((await database.db.target.findUniqueOrThrow({ where: { id: targetId } })).inspectedEpoch).not.toBeNull();
  });

  it("falls back to polling with the reason when the stream drops, and polls keep working", async () => {
    await engine.kill();
    const dropped = await until("polling only", async () => {
      const status = await eventStream();
      return status?.state === "polling" && status.leaseOwner === null ? status : undefined;
    });
    expect(dropped.reason).toMatch(/^event stream dropped: /);

    await engine.restart();
    const polls = await pollRuns();
    await pollTargetNow(database.db, targetId);
    await until("a poll after the drop", async () => ((await pollRuns()) > polls ? true : undefined));
    const last = await database.db.collectionRun.findFirstOrThrow({
      where: { targetId, status: { not: "live" } },
      orderBy: { startedAt: "desc" },
    });
    expect({ status: last.status, containers: last.containers }).toEqual({ status: "succeeded", containers: 2 });
    await until("following again", async () => ((await eventStream())?.state === "live" ? true : undefined));
  });

  it("stops following on shutdown, saying so, and gives the lease back", async () => {
    await scheduler!.stop();
    scheduler = undefined;
    expect(await eventStream()).toMatchObject({ state: "polling", reason: "the worker stopped", leaseOwner: null });
  });
});
