import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCollection } from "@/lib/collectors/run-collection";
import { setupTestDatabase } from "@/lib/db/testing";
import { SEVERITIES } from "@/lib/domain/severity";
import { HISTOGRAMS } from "@/lib/metrics/collector-histograms";
import { parseExposition, valueOf } from "@/lib/metrics/exposition.testing";
import { createTarget } from "@/lib/services/targets";
import { createApiToken } from "@/lib/services/tokens";
import { createUser, setUserAccessScope } from "@/lib/services/users";
import { ALL_RULES, type KubernetesSimulator } from "@/lib/simulator/kubernetes";
import { SHOP_MANIFESTS, startTestCluster } from "@/lib/simulator/kubernetes/testing";
import { GET } from "./route";

const database = setupTestDatabase({ processDb: true });
const SIM_TOKEN = "metrics-sim-token";
const HOSTILE = 'lab "b"\\ox\nline2';
let sim: KubernetesSimulator;
let token = "";

const scrape = (bearer: string | null) =>
  GET(
    new Request("http://127.0.0.1/metrics", { headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` } }),
  );

beforeAll(async () => {
  process.env.RAMPART_SECRET_KEY ??= randomBytes(32).toString("base64");
  const db = database.db;
  const fullAccess = { user: "rampart", grants: [{ rules: ALL_RULES }] };
  sim = await startTestCluster({ manifestPaths: [SHOP_MANIFESTS], tokens: { [SIM_TOKEN]: fullAccess } });
  const admin = { email: "admin@example.test" };
  const owner = await createUser(
    db,
    { email: "prom@example.test", role: "viewer", password: "a long enough password" },
    admin,
  );
  token = (await createApiToken(db, owner.id, { name: "prometheus", role: "viewer", expiresInDays: 30 }, admin)).token;

  const cluster = await createTarget(db, {
    name: "sim-cluster",
    platform: "kubernetes",
    url: sim.url,
    credentials: { bearerToken: SIM_TOKEN, tlsCa: sim.tls.ca },
  });
  expect((await runCollection({ db, targetId: cluster.id })).status).toBe("succeeded");
  sim.tokens.set(SIM_TOKEN, { user: "rampart", grants: [] });
  expect((await runCollection({ db, targetId: cluster.id })).status).toBe("failed");
  sim.tokens.set(SIM_TOKEN, fullAccess);
  expect((await runCollection({ db, targetId: cluster.id })).status).toBe("succeeded");
  // A name no form would take, written directly: it must come out escaped, not break the format.
  await db.target.create({ data: { name: HOSTILE, platform: "docker", url: "unix:///nowhere.sock" } });
});

afterAll(async () => {
  await sim?.close();
});

describe("/metrics", () => {
  it("answers 401 without an API token, and a strictly valid exposition with one", async () => {
    for (const bearer of [null, "rpt_unknownunknownunknown"]) expect((await scrape(bearer)).status).toBe(401);
    const response = await scrape(token);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await response.text();
    const families = parseExposition(text);
    expect([...families.keys()].every((name) => name.startsWith("rampart_"))).toBe(true);
    expect(text).not.toContain(SIM_TOKEN);

    const db = database.db;
    const cluster = { target: "sim-cluster" };
    const current = { goneAt: null, workload: { goneAt: null, target: { name: "sim-cluster" } } };
    expect(valueOf(families, "rampart_target_containers", { ...cluster, platform: "kubernetes" })).toBe(
      await db.container.count({ where: current }),
    );
    expect(valueOf(families, "rampart_target_run_failures_total", cluster)).toBe(1);
    expect(valueOf(families, "rampart_target_run_failures_total", { target: HOSTILE })).toBe(0);
    expect(valueOf(families, "rampart_target_containers", { target: HOSTILE, platform: "docker" })).toBe(0);
    const lastSuccess = await db.collectionRun.findFirst({
      where: { status: "succeeded" },
      orderBy: { finishedAt: "desc" },
    });
    expect(valueOf(families, "rampart_target_last_success_timestamp_seconds", cluster)).toBe(
      lastSuccess!.finishedAt!.getTime() / 1000,
    );
    const score = valueOf(families, "rampart_target_score_ratio", cluster)!;
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThan(1);

    for (const severity of SEVERITIES)
      expect(valueOf(families, "rampart_open_findings", { severity })).toBe(
        await db.finding.count({ where: { status: "open", severity } }),
      );

    // Failing containers per check agree with the open findings of current containers (two separate sources).
    const failing = families.get("rampart_check_failing_containers")!.samples;
    expect(failing.length).toBeGreaterThan(3);
    expect(failing.some((s) => s.value > 0)).toBe(true);
    for (const sample of failing) {
      expect(sample.labels.target).toBe("sim-cluster");
      const open = await db.finding.count({
        where: { status: "open", checkId: sample.labels.check, container: current },
      });
      expect(sample.value, sample.labels.check).toBe(open);
      const ratio = valueOf(families, "rampart_check_compliance_ratio", sample.labels)!;
      expect(ratio).toBeGreaterThanOrEqual(0);
      expect(ratio).toBeLessThanOrEqual(1);
    }

    // Three runs of the cluster, each adding its own observations to the shared rows.
    const runs = "rampart_collector_run_duration_seconds";
    expect(valueOf(families, runs, { platform: "kubernetes" }, `${runs}_count`)).toBe(3);
    expect(valueOf(families, runs, { platform: "kubernetes", le: "+Inf" }, `${runs}_bucket`)).toBe(3);
    const requests = "rampart_collector_request_duration_seconds";
    const requestCount = valueOf(families, requests, { api: "kubernetes" }, `${requests}_count`)!;
    // Two full runs list pods, namespaces, service accounts, controllers and policies; the failed one stops early.
    expect(requestCount).toBeGreaterThanOrEqual(2 * 8);
    expect(valueOf(families, requests, { api: "kubernetes" }, `${requests}_sum`)).toBeGreaterThan(0);
    expect(families.get(requests)!.samples.filter((s) => s.name.endsWith("_bucket")).length).toBe(
      HISTOGRAMS[requests].bounds.length + 1,
    );

    // Bounded labels only: nothing names a container, image, workload or namespace.
    const labelNames = new Set([...families.values()].flatMap((f) => f.samples.flatMap((s) => Object.keys(s.labels))));
    expect([...labelNames].sort()).toEqual([
      "api",
      "catalog",
      "check",
      "le",
      "platform",
      "severity",
      "target",
      "version",
    ]);
  });

  it("refuses a token limited to part of the fleet, or whose user is, without a number of the fleet", async () => {
    const db = database.db;
    const admin = { email: "admin@example.test" };
    const target = await db.target.findUniqueOrThrow({ where: { name: "sim-cluster" }, select: { id: true } });
    const scope = { targets: [target.id], namespaces: [], teams: [] };
    const owner = await db.user.findUniqueOrThrow({ where: { email: "prom@example.test" }, select: { id: true } });
    const narrowToken = await createApiToken(
      db,
      owner.id,
      { name: "narrow", role: "viewer", expiresInDays: 30, accessScope: scope },
      admin,
    );
    const scopedUser = await createUser(
      db,
      { email: "team@example.test", role: "viewer", password: "a long enough password" },
      admin,
    );
    await setUserAccessScope(db, scopedUser.id, scope, admin);
    const teamToken = await createApiToken(
      db,
      scopedUser.id,
      { name: "team", role: "viewer", expiresInDays: 30 },
      admin,
    );
    for (const bearer of [narrowToken.token, teamToken.token]) {
      const response = await scrape(bearer);
      expect(response.status).toBe(403);
      const body = await response.text();
      expect(body).toContain("whole fleet");
      expect(body).not.toContain("rampart_");
    }
    expect((await scrape(token)).status).toBe(200);
  });

  it("the shipped Grafana dashboard asks only for metrics that are served", async () => {
    const dashboard = JSON.parse(await readFile("deploy/grafana/rampart.json", "utf8")) as {
      panels: { targets: { expr: string }[] }[];
    };
    const families = parseExposition(await (await scrape(token)).text());
    const asked = dashboard.panels.flatMap((panel) => panel.targets.map((t) => t.expr));
    const names = new Set(asked.flatMap((expr) => expr.match(/rampart_[a-z_]+/g) ?? []));
    expect(names.size).toBeGreaterThan(6);
    for (const name of names) expect(families.has(name.replace(/_(bucket|sum|count)$/, "")), name).toBe(true);
  });

  it("the strict parser refuses what Prometheus would", () => {
    const ok = "# HELP rampart_x x\n# TYPE rampart_x gauge\nrampart_x 1\n";
    expect(() => parseExposition(ok)).not.toThrow();
    for (const bad of [
      ok.slice(0, -1),
      ok.replace("rampart_x 1", 'rampart_x{a="b} 1'),
      ok.replace("rampart_x 1", "rampart_x one"),
      ok.replace("rampart_x 1", "rampart_y 1"),
      ok.replace("gauge", "counter"),
      `${ok}rampart_x 2\n`,
      "# TYPE rampart_x gauge\nrampart_x 1\n",
    ])
      expect(() => parseExposition(bad), JSON.stringify(bad)).toThrow();
  });
});
