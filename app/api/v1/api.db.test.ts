import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/lib/db/testing";
import { createApiToken, revokeApiToken } from "@/lib/services/tokens";
import { createUser, deleteUser, setUserRole } from "@/lib/services/users";
import { GET as getFindings } from "./findings/route";
import { GET as getOpenApi } from "./openapi.json/route";
import { GET as getTargets } from "./targets/route";
import { GET as getTrends } from "./trends/route";
import { GET as getWorkloads } from "./workloads/route";
import { GET as getWorkloadRoute } from "./workloads/[workloadId]/route";

const database = setupTestDatabase({ processDb: true });
const ADMIN = { email: "admin@example.test" };
const HOSTILE = `<img src=x onerror=alert(1)>'; DROP TABLE "Finding"; --`;
let token = "";
let ownerId = "";

function call(handler: (request: Request) => Promise<Response>, path: string, bearer: string | null = token) {
  const headers: Record<string, string> = bearer === null ? {} : { authorization: `Bearer ${bearer}` };
  return handler(new Request(`http://127.0.0.1${path}`, { headers }));
}

beforeAll(async () => {
  const db = database.db;
  const owner = await createUser(
    db,
    { email: "ci@example.test", role: "viewer", password: "a long enough password" },
    ADMIN,
  );
  ownerId = owner.id;
  token = (await createApiToken(db, owner.id, { name: "ci", role: "viewer", expiresInDays: 30 }, ADMIN)).token;
  const target = await db.target.create({
    data: { name: "prod", platform: "docker", url: "unix:///var/run/docker.sock" },
  });
  const workload = await db.workload.create({ data: { targetId: target.id, kind: "Container", name: HOSTILE } });
  const container = await db.container.create({
    data: { workloadId: workload.id, name: HOSTILE, image: HOSTILE, factsHash: "h" },
  });
  await db.finding.create({
    data: {
      containerId: container.id,
      checkId: "run-as-non-root",
      status: "open",
      severity: "high",
      message: HOSTILE,
    },
  });
  const run = await db.collectionRun.create({ data: { targetId: target.id, status: "succeeded" } });
  const rollup = {
    targetId: target.id,
    namespace: "",
    checkId: "run-as-non-root",
    passed: 3,
    failed: 1,
    at: new Date(),
  };
  await db.runRollup.create({ data: { ...rollup, runId: run.id } });
  await db.rollupLatest.create({ data: rollup });
});

describe("/api/v1", () => {
  it("answers 401 without a token, with a malformed one, or an unknown one", async () => {
    for (const bearer of [null, "not a token", "rpt_unknownunknownunknown"]) {
      const response = await call(getTargets, "/api/v1/targets", bearer);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "authentication required" });
    }
  });

  it("serves targets, workloads, findings, trends and the schema to a viewer token, hostile names as plain data", async () => {
    const targets = await (await call(getTargets, "/api/v1/targets")).json();
    expect(targets.targets.map((t: { name: string }) => t.name)).toEqual(["prod"]);
    const workloads = await (await call(getWorkloads, "/api/v1/workloads")).json();
    expect(workloads.workloads[0]).toMatchObject({ name: HOSTILE, openFindings: 1 });
    const findings = await (await call(getFindings, "/api/v1/findings?severity=high&check=run-as-non-root")).json();
    expect(findings).toMatchObject({ total: 1, findings: [{ image: HOSTILE, message: HOSTILE }] });
    const none = await (await call(getFindings, "/api/v1/findings?severity=low")).json();
    expect(none.total).toBe(0);
    const trends = await (await call(getTrends, "/api/v1/trends?days=7")).json();
    expect(trends.points).toEqual([{ day: new Date().toISOString().slice(0, 10), passed: 3, failed: 1 }]);
    const schema = await (await call(getOpenApi, "/api/v1/openapi.json")).json();
    expect(Object.keys(schema.paths)).toEqual([
      "/api/v1/targets",
      "/api/v1/workloads",
      "/api/v1/workloads/{workloadId}",
      "/api/v1/findings",
      "/api/v1/trends",
      "/api/v1/reports",
      "/api/v1/vulnerability-exceptions",
      "/api/v1/vulnerability-exceptions/{exceptionId}",
    ]);
  });

  it("serves one workload with its combined fix merged from the stored fixes, 404 for unknown ids", async () => {
    const db = database.db;
    const target = await db.target.create({ data: { name: "k8s", platform: "kubernetes", url: "https://k8s.test" } });
    const workload = await db.workload.create({
      data: { targetId: target.id, kind: "Deployment", namespace: "shop", name: "api" },
    });
    const container = await db.container.create({
      data: { workloadId: workload.id, name: "api", image: "api:1", factsHash: "h" },
    });
    const patch = (field: string) =>
      `spec:\n  template:\n    spec:\n      containers:\n        - name: api\n          securityContext:\n            ${field}: true\n`;
    for (const [checkId, field] of [
      ["read-only-root-filesystem", "readOnlyRootFilesystem"],
      ["run-as-non-root", "runAsNonRoot"],
    ]) {
      await db.finding.create({
        data: {
          containerId: container.id,
          checkId: checkId as string,
          status: "open",
          severity: "high",
          message: "m",
          fixId: (
            await db.fix.create({
              data: { id: randomUUID(), remediation: { summary: "s", kubernetesPatch: patch(field as string) } },
            })
          ).id,
        },
      });
    }
    const get = (id: string, bearer?: string | null) =>
      getWorkloadRoute(
        new Request(`http://127.0.0.1/api/v1/workloads/${id}`, {
          headers: bearer === null ? {} : { authorization: `Bearer ${bearer ?? token}` },
        }),
        { params: Promise.resolve({ workloadId: id }) },
      );
    const body = await (await get(workload.id)).json();
    expect(body.workload.remediation.closes).toEqual(["api read-only-root-filesystem", "api run-as-non-root"]);
    expect(body.workload.remediation.kubectl).toBe(
      `kubectl patch deployment api -n shop --type strategic -p '{"spec":{"template":{"spec":{"containers":[{"name":"api","securityContext":{"readOnlyRootFilesystem":true,"runAsNonRoot":true}}]}}}}'`,
    );
    expect((await get("00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await get("' OR 1=1 --")).status).toBe(404);
    expect((await get(workload.id, null)).status).toBe(401);
    await db.target.delete({ where: { id: target.id } });
  });

  it("rejects SQL metacharacters and unknown parameters with 400, and the tables survive", async () => {
    const attacks = [
      "/api/v1/findings?check=' OR '1'='1",
      "/api/v1/findings?severity=high' --",
      '/api/v1/findings?check=x%3B DROP TABLE "Finding"',
      "/api/v1/findings?page=1 OR 1=1",
      "/api/v1/findings?status=closed",
      "/api/v1/findings?since=2026-13-45",
      "/api/v1/findings?teams=storefront",
      '/api/v1/workloads?namespace=default\' UNION SELECT * FROM "User" --',
      '/api/v1/trends?days=30;DELETE FROM "RunRollup"',
    ];
    // A target (or team) is named, so any text is a name to look up as a parameter: it matches nothing.
    const names = [
      "/api/v1/workloads?target=1' OR '1'='1",
      "/api/v1/trends?target=00000000-0000-0000-0000-000000000000'",
      "/api/v1/findings?target=x' OR '1'='1&team=a'--",
    ];
    const handlers = { findings: getFindings, workloads: getWorkloads, trends: getTrends };
    const handlerOf = (path: string) => handlers[path.split("/")[3]?.split("?")[0] as keyof typeof handlers];
    for (const path of attacks) {
      const response = await call(handlerOf(path), path);
      expect(response.status, path).toBe(400);
      expect(JSON.stringify(await response.json())).not.toContain("DROP");
    }
    for (const path of names) {
      const response = await call(handlerOf(path), path);
      expect(response.status, path).toBe(200);
      const body = (await response.json()) as Record<string, unknown[]>;
      expect(body.workloads ?? body.points ?? body.findings, path).toEqual([]);
    }
    expect(await database.db.finding.count()).toBe(1);
    expect(await database.db.runRollup.count()).toBe(1);
  });

  it("stops a token when it is revoked, and a deleted user's token", async () => {
    const db = database.db;
    const second = await createApiToken(db, ownerId, { name: "ci-2", role: "viewer", expiresInDays: 30 }, ADMIN);
    await revokeApiToken(db, second.id, ADMIN);
    expect((await call(getTargets, "/api/v1/targets", second.token)).status).toBe(401);
    expect((await call(getTargets, "/api/v1/targets")).status).toBe(200);
    await setUserRole(db, ownerId, "engineer", ADMIN);
    await deleteUser(db, ownerId, ADMIN);
    expect((await call(getTargets, "/api/v1/targets")).status).toBe(401);
  });
});
