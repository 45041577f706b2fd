import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Exception } from "@/lib/db";
import { setupTestDatabase } from "@/lib/db/testing";
import { accessOf, WHOLE_FLEET, type Access, type AccessScope } from "@/lib/scope/access-scope";
import { applyExceptionNow, createException } from "@/lib/services/exceptions";
import { getAuditReport } from "./audit-report";
import { countFindingsOutsideAccess, exceptionOutsideAccess } from "./exception-access";
import { listExceptions, listTargetChoices } from "./exceptions";

const database = setupTestDatabase({ processDb: true });
const NOW = new Date();
const IN_30_DAYS = new Date(NOW.getTime() + 30 * 86_400_000);
const CHECK = "run-as-non-root";
const ids = { kube: "", dock: "" };
const findings: Record<"api" | "tools" | "web", string> = { api: "", tools: "", web: "" };
const x: Record<"shopApi" | "fleet" | "dock" | "future", Exception | undefined> = {
  shopApi: undefined,
  fleet: undefined,
  dock: undefined,
  future: undefined,
};

const scope = (partial: Partial<AccessScope>): AccessScope => ({ targets: [], namespaces: [], teams: [], ...partial });
const only = (partial: Partial<AccessScope>): Access => accessOf(scope(partial));

async function workload(target: "kube" | "dock", namespace: string, kind: string, name: string, team: string) {
  const db = database.db;
  const w = await db.workload.create({
    data: { targetId: ids[target], namespace, kind, name, labels: { team } },
  });
  const c = await db.container.create({ data: { workloadId: w.id, name: "main", image: "app:1", factsHash: name } });
  const f = await db.finding.create({
    data: { containerId: c.id, checkId: CHECK, status: "open", severity: "high", message: "runs as root" },
  });
  return f.id;
}

async function exception(fields: { targetId?: string; namespace?: string; workload?: string }) {
  const base = { checkId: CHECK, reason: "vendor image", owner: "sre", createdBy: "admin@x", expiresAt: IN_30_DAYS };
  return createException(database.db, { ...base, ...fields }, NOW);
}

beforeAll(async () => {
  const db = database.db;
  ids.kube = (await db.target.create({ data: { name: "kube", platform: "kubernetes", url: "https://k" } })).id;
  ids.dock = (await db.target.create({ data: { name: "dock", platform: "docker", url: "unix:///d.sock" } })).id;
  findings.api = await workload("kube", "shop", "Deployment", "api", "payments");
  findings.tools = await workload("kube", "ops", "Deployment", "tools", "platform");
  findings.web = await workload("dock", "", "Container", "web", "payments");
  x.shopApi = await exception({ targetId: ids.kube, namespace: "shop", workload: "Deployment/api" });
  x.fleet = await exception({});
  x.dock = await exception({ targetId: ids.dock });
  x.future = await exception({ targetId: ids.kube, namespace: "future" });
  expect(await applyExceptionNow(db, x.shopApi, NOW)).toBe(1);
  expect(await applyExceptionNow(db, x.dock, NOW)).toBe(1);
});

/** id → [may change it, excepted findings counted] of the active list a caller sees. */
async function seen(access: Access) {
  const { active } = await listExceptions(access, NOW);
  const name = (id: string) => Object.entries(x).find(([, e]) => e?.id === id)?.[0];
  return Object.fromEntries(active.map((row) => [name(row.id), [row.isWithinAccess, row.exceptedFindings]]));
}

describe("exceptions within a scoped user's access", () => {
  it("lists the exceptions bearing on the scope, counts only its findings, and marks which it may change", async () => {
    expect(await seen(WHOLE_FLEET)).toEqual({
      shopApi: [true, 1],
      fleet: [true, 0],
      dock: [true, 1],
      future: [true, 0],
    });
    // One namespace: its own exception, and the fleet-wide one that reaches into it (not its to change).
    expect(await seen(only({ namespaces: [{ targetId: ids.kube, namespace: "shop" }] }))).toEqual({
      shopApi: [true, 1],
      fleet: [false, 0],
    });
    // A whole target: also an exception on a namespace nothing runs in yet.
    expect(await seen(only({ targets: [ids.kube] }))).toEqual({
      shopApi: [true, 1],
      fleet: [false, 0],
      future: [true, 0],
    });
    // A team over two targets: reached through its workloads (Kind/name included); a named workload of the team
    // is the team's to change, a whole target is not.
    expect(await seen(only({ teams: ["payments"] }))).toEqual({
      shopApi: [true, 1],
      fleet: [false, 0],
      dock: [false, 1],
    });
    expect(await seen(only({ teams: ["platform"] }))).toEqual({ fleet: [false, 0] });
    expect(await seen(only({ teams: ["nobody"] }))).toEqual({});
  });

  it("refuses an exception wider than the caller's access, naming what the caller sees", async () => {
    const shop = only({ namespaces: [{ targetId: ids.kube, namespace: "shop" }] });
    const place = (targetId: string | null, namespace: string | null, workload: string | null) => ({
      targetId,
      namespace,
      workload,
    });
    expect(await exceptionOutsideAccess(shop, place(ids.kube, "shop", null))).toBeNull();
    expect(await exceptionOutsideAccess(shop, place(ids.kube, null, null))).toMatch(/namespace kube\/shop/);
    expect(await exceptionOutsideAccess(shop, place(null, "shop", null))).toMatch(/reaches beyond/);
    expect(await exceptionOutsideAccess(shop, place(ids.dock, null, "web"))).toMatch(/namespace kube\/shop/);

    const payments = only({ teams: ["payments"] });
    expect(await exceptionOutsideAccess(payments, place(ids.kube, "shop", "Deployment/api"))).toBeNull();
    expect(await exceptionOutsideAccess(payments, place(ids.kube, null, "api"))).toBeNull();
    expect(await exceptionOutsideAccess(payments, place(ids.dock, null, "web"))).toBeNull();
    expect(await exceptionOutsideAccess(payments, place(ids.kube, "ops", "tools"))).toMatch(/team payments/);
    expect(await exceptionOutsideAccess(payments, place(ids.kube, "shop", "ghost"))).toMatch(/team payments/);
    expect(await exceptionOutsideAccess(payments, place(ids.kube, "shop", null))).toMatch(/team payments/);

    // A token narrower than its user: both must hold it.
    const userAndToken = accessOf(scope({ targets: [ids.kube] }), scope({ namespaces: [{ targetId: ids.kube, namespace: "shop" }] }));
    expect(await exceptionOutsideAccess(userAndToken, place(ids.kube, "shop", null))).toBeNull();
    expect(await exceptionOutsideAccess(userAndToken, place(ids.kube, "ops", null))).toMatch(/namespace kube\/shop/);
    expect(await exceptionOutsideAccess(WHOLE_FLEET, place(null, null, null))).toBeNull();
  });

  it("counts selected findings the caller may not see, unknown ids included", async () => {
    const shop = only({ namespaces: [{ targetId: ids.kube, namespace: "shop" }] });
    expect(await countFindingsOutsideAccess([findings.api], shop)).toBe(0);
    expect(await countFindingsOutsideAccess([findings.api, findings.tools, findings.web], shop)).toBe(2);
    expect(await countFindingsOutsideAccess([findings.api, randomUUID()], shop)).toBe(1);
    expect(await countFindingsOutsideAccess([findings.tools, findings.web], WHOLE_FLEET)).toBe(0);
  });

  it("offers only the targets in scope on the form, and the audit report lists the same exceptions", async () => {
    const payments = only({ teams: ["payments"] });
    expect((await listTargetChoices(only({ namespaces: [{ targetId: ids.kube, namespace: "shop" }] }))).map((t) => t.name)).toEqual(["kube"]);
    expect((await listTargetChoices(payments)).map((t) => t.name)).toEqual(["dock", "kube"]);
    const report = await getAuditReport({ scope: { access: payments }, date: new Date().toISOString().slice(0, 10) });
    const listed = (await listExceptions(payments, NOW)).active.map((row) => row.id).sort();
    expect(report.exceptions.map((e) => e.id).sort()).toEqual(listed);
  });
});
