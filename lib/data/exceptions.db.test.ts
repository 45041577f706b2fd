import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { setupTestDatabase } from "@/lib/db/testing";
import { applyExceptionNow, createException, revokeException } from "@/lib/services/exceptions";
import { recordRun, startRun } from "@/lib/services/runs";
import { makeFleet } from "@/lib/services/testing/fleet";
import { WHOLE_FLEET } from "@/lib/scope/access-scope";
import { listExceptions } from "./exceptions";

const database = setupTestDatabase({ processDb: true });
const NOW = new Date("2026-04-01T00:00:00Z");
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000);
const base = { checkId: "run-as-non-root", reason: "vendor image", owner: "platform", createdBy: "sec@x" };
let targetId = "";

async function addFinding(db: Db, namespace: string, name: string) {
  const workload = await db.workload.create({ data: { targetId, namespace, kind: "Deployment", name } });
  // Its one failure lives in the finding; nothing passed.
  const container = await db.container.create({ data: { workloadId: workload.id, name: "main", image: "app:1", factsHash: name, score: 0 } });
  return db.finding.create({
    data: { containerId: container.id, checkId: "run-as-non-root", status: "open", severity: "high", message: "root" },
  });
}

beforeAll(async () => {
  targetId = (await database.db.target.create({ data: { name: "cluster-x", platform: "kubernetes", url: "https://x" } })).id;
});

describe("exceptions", () => {
  it("a namespace-scoped exception excepts that namespace's open findings only, and the container has no score left", async () => {
    const inside = await addFinding(database.db, "payments", "api");
    const outside = await addFinding(database.db, "shop", "web");
    const exception = await createException(database.db, { ...base, namespace: "payments", expiresAt: days(30) }, NOW);
    expect(await applyExceptionNow(database.db, exception, NOW)).toBe(1);
    const rows = await database.db.finding.findMany({ where: { id: { in: [inside.id, outside.id] } }, include: { container: true } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(inside.id)).toMatchObject({ status: "excepted", exceptionId: exception.id });
    expect(byId.get(inside.id)?.container.score).toBeNull();
    expect(byId.get(outside.id)).toMatchObject({ status: "open", exceptionId: null });
    expect(byId.get(outside.id)?.container.score).toBe(0);
  });

  it("lists active ones soonest first with their excepted findings, and expired or revoked ones apart", async () => {
    const later = await createException(database.db, { ...base, targetId, expiresAt: days(60) }, NOW);
    const revoked = await createException(database.db, { ...base, expiresAt: days(5) }, NOW);
    await revokeException(database.db, { exceptionId: revoked.id, revokedBy: "reviewer@rampart.test" }, NOW);
    const expired = await createException(database.db, { ...base, expiresAt: days(2) }, NOW);
    const lists = await listExceptions(WHOLE_FLEET, days(3));
    expect(lists.active.map((e) => [e.namespace, e.exceptedFindings])).toEqual([
      ["payments", 1],
      [null, 0],
    ]);
    expect(lists.active[1]).toMatchObject({ id: later.id, targetName: "cluster-x" });
    expect(lists.ended.map((e) => e.id)).toEqual([revoked.id, expired.id]);
  });

  it("a finding excepted at once and revoked before the next run is open again at once and after that run", async () => {
    const fleetTarget = (await database.db.target.create({ data: { name: "fleet", platform: "kubernetes", url: "https://f" } })).id;
    const poll = async (now: Date) => {
      const { runId } = await startRun(database.db, { targetId: fleetTarget, now });
      await recordRun(database.db, { runId, targetId: fleetTarget, evaluations: makeFleet({ containers: 1 }), complete: true, now });
    };
    await poll(NOW);
    const finding = await database.db.finding.findFirstOrThrow({ where: { checkId: "check-b", container: { workload: { targetId: fleetTarget } } } });
    expect(finding.status).toBe("open");
    const exception = await createException(database.db, { ...base, checkId: "check-b", targetId: fleetTarget, expiresAt: days(30) }, NOW);
    expect(await applyExceptionNow(database.db, exception, NOW)).toBe(1);
    await revokeException(database.db, { exceptionId: exception.id, revokedBy: "reviewer@rampart.test" }, days(1));
    expect((await database.db.finding.findUniqueOrThrow({ where: { id: finding.id } })).status).toBe("open");
    await poll(days(2));
    const after = await database.db.finding.findUniqueOrThrow({ where: { id: finding.id }, include: { events: { orderBy: { at: "asc" } } } });
    expect(after.status).toBe("open");
    expect(after.events.map((e) => e.kind)).toEqual(["excepted", "unexcepted"]);
  });
});
