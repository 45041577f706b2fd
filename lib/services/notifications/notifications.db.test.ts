import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/lib/db/testing";
import type { WorkloadEvaluation } from "@/lib/domain/result";
import type { NotificationPayload } from "@/lib/notifications/payload";
import { failRun, recordRun, startRun } from "../runs";
import { createTarget } from "../targets";
import { makeFleet } from "../testing/fleet";
import {
  createChannel,
  createRule,
  deliverDueNotifications,
  enqueueExpiringExceptions,
  enqueueRunNotifications,
  MAX_ATTEMPTS,
  notifyAfterRun,
  sendTestNotification,
} from ".";
import { decryptCredentialsWith, loadKey } from "@/lib/auth/credentials";
import type { Db } from "@/lib/db";
import { reencryptCredentials } from "../keys";

const test = setupTestDatabase();
const ADMIN = { email: "admin@example.test", ip: "127.0.0.1" };

interface Received {
  path: string;
  headers: Record<string, string | undefined>;
  body: string;
}

/** A loopback receiver: records every request and answers with the next queued reply (else 204). */
class Receiver {
  readonly received: Received[] = [];
  readonly replies: { status: number; body: string }[] = [];
  private server: Server | undefined;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const headers = Object.fromEntries(
          Object.entries(request.headers).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]),
        );
        this.received.push({ path: request.url ?? "", headers, body: Buffer.concat(chunks).toString("utf8") });
        const reply = this.replies.shift() ?? { status: 204, body: "" };
        response.writeHead(reply.status).end(reply.body);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()));
  }

  take(): Received[] {
    return this.received.splice(0);
  }
}

/** The Standard Webhooks check, written out here rather than through lib/notifications/signing. */
function verifiedBody(request: Received, secret: string): NotificationPayload {
  const id = request.headers["webhook-id"] ?? "";
  const timestamp = request.headers["webhook-timestamp"] ?? "";
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${request.body}`).digest("base64");
  expect(id).toMatch(/^msg_[0-9a-f-]{36}$/);
  expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(3600 * 24 * 400);
  expect(request.headers["webhook-signature"]).toBe(`v1,${expected}`);
  return JSON.parse(request.body) as NotificationPayload;
}

const receiver = new Receiver();
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());

let count = 0;
async function newTarget(): Promise<{ id: string; name: string }> {
  count += 1;
  const name = `cluster-${count}`;
  const { id } = await createTarget(test.db, { name, platform: "kubernetes", url: "https://kubernetes.test" });
  return { id, name };
}

async function storeRun(targetId: string, evaluations: WorkloadEvaluation[], at: Date) {
  const { runId } = await startRun(test.db, { targetId, now: at });
  const stored = await recordRun(test.db, { runId, targetId, evaluations, complete: true, now: at });
  await enqueueRunNotifications(test.db, {
    runId,
    targetId,
    status: "succeeded",
    at,
    findingsOpened: stored.findingsOpened,
  });
  return runId;
}

async function openFindingIds(targetId: string, names: string[]): Promise<string[]> {
  const rows = await test.db.finding.findMany({
    where: { status: "open", container: { workload: { targetId, name: { in: names } } } },
    select: { id: true },
  });
  return rows.map((row) => row.id).sort();
}

async function webhookChannel(name: string, path = "/hook") {
  const created = await createChannel(test.db, { name, kind: "webhook", url: `${receiver.url}${path}` }, ADMIN);
  if (!created.generatedSecret) throw new Error("no secret generated");
  return { id: created.id, secret: created.generatedSecret };
}

const T1 = new Date(Date.now() - 3 * 3600_000);
const T2 = new Date(Date.now() - 2 * 3600_000);
const T3 = new Date(Date.now() - 3600_000);

beforeEach(async () => {
  await test.db.notificationChannel.deleteMany();
  receiver.take();
  receiver.replies.length = 0;
});

describe("notifications", () => {
  it("sends one signed message per run and rule with exactly the findings the run opened or reopened", async () => {
    const target = await newTarget();
    const channel = await webhookChannel("security-hook", "/rampart?x=1");
    await createRule(test.db, { channelId: channel.id, event: "new-findings", minSeverity: "high" }, ADMIN);

    await storeRun(target.id, makeFleet({ containers: 3 }), T1);
    expect(await deliverDueNotifications(test.db)).toBe(1);
    const [first, ...rest] = receiver.take();
    expect(rest).toHaveLength(0);
    expect(first?.path).toBe("/rampart?x=1");
    const payload = first ? verifiedBody(first, channel.secret) : undefined;
    expect(payload?.type).toBe("findings.new");
    if (payload?.type !== "findings.new") throw new Error("wrong payload");
    expect(payload.data.target).toEqual(target);
    expect(payload.data.total).toBe(3);
    expect(payload.data.findings.map((f) => f.id).sort()).toEqual(
      await openFindingIds(target.id, ["app-0", "app-1", "app-2"]),
    );
    expect(first?.body).not.toContain(channel.secret.slice(6));

    // Run 2: app-0 is fixed, app-3 and app-4 are new; run 3: app-0 fails again (reopened).
    await storeRun(target.id, makeFleet({ containers: 5, statusB: (i) => (i === 0 ? "pass" : "fail") }), T2);
    await deliverDueNotifications(test.db);
    const second = receiver.take();
    expect(second).toHaveLength(1);
    const secondPayload = second[0] ? verifiedBody(second[0], channel.secret) : undefined;
    if (secondPayload?.type !== "findings.new") throw new Error("wrong payload");
    expect(secondPayload.data.findings.map((f) => f.workload).sort()).toEqual(["app-3", "app-4"]);
    expect(secondPayload.data.findings.map((f) => f.id).sort()).toEqual(
      await openFindingIds(target.id, ["app-3", "app-4"]),
    );

    const third = await storeRun(target.id, makeFleet({ containers: 5 }), T3);
    await deliverDueNotifications(test.db);
    const reopened = receiver.take().map((r) => verifiedBody(r, channel.secret));
    expect(reopened.map((p) => (p.type === "findings.new" ? p.data.findings.map((f) => f.workload) : []))).toEqual([
      ["app-0"],
    ]);

    // Enqueueing the same run again sends nothing twice; an unchanged run sends nothing.
    await enqueueRunNotifications(test.db, {
      runId: third,
      targetId: target.id,
      status: "succeeded",
      at: T3,
      findingsOpened: 1,
    });
    await storeRun(target.id, makeFleet({ containers: 5 }), new Date());
    expect(await deliverDueNotifications(test.db)).toBe(0);
    const log = await test.db.notificationDelivery.findMany({ where: { channelId: channel.id } });
    expect(log.map((row) => [row.status, row.responseStatus, row.attempts])).toEqual([
      ["delivered", 204, 1],
      ["delivered", 204, 1],
      ["delivered", 204, 1],
    ]);
  });

  it("scopes rules by severity, namespace, team and check", async () => {
    const target = await newTarget();
    const fleet = makeFleet({ containers: 10, perNamespace: 5 });
    for (const [i, evaluation] of fleet.entries()) if (i % 2 === 0) evaluation.labels = { team: "payments" };
    const channel = await webhookChannel("scoped");
    const rules = {
      critical: await createRule(
        test.db,
        { channelId: channel.id, event: "new-findings", minSeverity: "critical" },
        ADMIN,
      ),
      namespace: await createRule(
        test.db,
        { channelId: channel.id, event: "new-findings", minSeverity: "low", namespace: "ns-1" },
        ADMIN,
      ),
      team: await createRule(
        test.db,
        { channelId: channel.id, event: "new-findings", minSeverity: "medium", team: "payments" },
        ADMIN,
      ),
      otherCheck: await createRule(
        test.db,
        { channelId: channel.id, event: "new-findings", checkId: "check-a" },
        ADMIN,
      ),
      otherTarget: await createRule(
        test.db,
        { channelId: channel.id, event: "new-findings", targetId: (await newTarget()).id },
        ADMIN,
      ),
    };
    await storeRun(target.id, fleet, T1);
    const queued = await test.db.notificationDelivery.findMany({ where: { channelId: channel.id } });
    expect(queued.map((row) => row.ruleId).sort()).toEqual([rules.namespace.id, rules.team.id].sort());
    await deliverDueNotifications(test.db);
    const byRule = new Map(
      receiver.take().map((request) => {
        const payload = verifiedBody(request, channel.secret);
        const id = request.headers["webhook-id"]?.slice(4);
        const ruleId = queued.find((row) => row.id === id)?.ruleId;
        return [ruleId, payload.type === "findings.new" ? payload.data.findings.map((f) => f.workload).sort() : []];
      }),
    );
    expect(byRule.get(rules.namespace.id)).toEqual(["app-5", "app-6", "app-7", "app-8", "app-9"]);
    expect(byRule.get(rules.team.id)).toEqual(["app-0", "app-2", "app-4", "app-6", "app-8"]);
  });

  it("retries with backoff under the same webhook id, logging status and a capped visible excerpt", async () => {
    const target = await newTarget();
    const channel = await webhookChannel("flaky");
    await createRule(test.db, { channelId: channel.id, event: "new-findings", minSeverity: "low" }, ADMIN);
    receiver.replies.push(
      { status: 500, body: `<h1>boom</h1>\u0000\u202E${"x".repeat(5000)}` },
      { status: 200, body: "ok" },
    );
    await storeRun(target.id, makeFleet({ containers: 1 }), T1);

    const now = new Date();
    await deliverDueNotifications(test.db, { now });
    let row = await test.db.notificationDelivery.findFirstOrThrow({ where: { channelId: channel.id } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, responseStatus: 500, error: "HTTP 500" });
    expect(row.responseExcerpt?.length).toBe(200);
    expect(row.responseExcerpt).toMatch(/^<h1>boom<\/h1>\\u0000\\u202Exxx/);
    expect(row.nextAttemptAt.getTime() - now.getTime()).toBe(30_000);
    expect(await deliverDueNotifications(test.db, { now: new Date(now.getTime() + 29_000) })).toBe(0);

    await deliverDueNotifications(test.db, { now: new Date(now.getTime() + 30_000) });
    row = await test.db.notificationDelivery.findFirstOrThrow({ where: { channelId: channel.id } });
    expect(row).toMatchObject({
      status: "delivered",
      attempts: 2,
      responseStatus: 200,
      responseExcerpt: "ok",
      error: null,
    });
    const ids = receiver.take().map((request) => request.headers["webhook-id"]);
    expect(ids).toEqual([`msg_${row.id}`, `msg_${row.id}`]);
  });

  it("gives up after the last attempt, and an unreachable receiver fails no one", async () => {
    const target = await newTarget();
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const url = `http://127.0.0.1:${port}/`;
    const closed = await createChannel(test.db, { name: "closed", kind: "webhook", url }, ADMIN);
    await createRule(test.db, { channelId: closed.id, event: "new-findings", minSeverity: "low" }, ADMIN);
    await storeRun(target.id, makeFleet({ containers: 1 }), T1);
    let now = Date.now();
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      await deliverDueNotifications(test.db, { now: new Date(now) });
      now += 3 * 3600_000;
    }
    const row = await test.db.notificationDelivery.findFirstOrThrow({ where: { channelId: closed.id } });
    expect(row).toMatchObject({
      status: "failed",
      attempts: MAX_ATTEMPTS,
      responseStatus: null,
      error: "ECONNREFUSED",
    });
  });

  it("posts Slack text, warns when a target starts failing (once), and digests expiring exceptions daily", async () => {
    const target = await newTarget();
    const slack = await createChannel(
      test.db,
      { name: "slack", kind: "slack", url: `${receiver.url}/services/T0/B0/abc` },
      ADMIN,
    );
    expect(slack.generatedSecret).toBeNull();
    await createRule(test.db, { channelId: slack.id, event: "new-findings", minSeverity: "low" }, ADMIN);
    await createRule(test.db, { channelId: slack.id, event: "target-failing", targetId: target.id }, ADMIN);
    await createRule(test.db, { channelId: slack.id, event: "exception-expiring", withinDays: 7 }, ADMIN);

    await storeRun(target.id, makeFleet({ containers: 2 }), T1);
    for (const at of [T2, T3]) {
      const { runId } = await startRun(test.db, { targetId: target.id, now: at });
      await failRun(test.db, { runId, error: "cannot list pods: forbidden", now: at });
      await enqueueRunNotifications(test.db, {
        runId,
        targetId: target.id,
        status: "failed",
        at,
        findingsOpened: 0,
        error: "cannot list pods: forbidden",
      });
    }
    const soon = new Date(Date.now() + 3 * 86_400_000);
    await test.db.exception.create({
      data: { checkId: "check-b", namespace: "ns-0", reason: "r", owner: "team-a", expiresAt: soon, createdBy: "a" },
    });
    await test.db.exception.create({
      data: {
        checkId: "check-b",
        reason: "r",
        owner: "team-b",
        expiresAt: new Date(Date.now() + 30 * 86_400_000),
        createdBy: "a",
      },
    });
    expect(await enqueueExpiringExceptions(test.db)).toBe(1);
    expect(await enqueueExpiringExceptions(test.db)).toBe(0);
    await deliverDueNotifications(test.db);
    const texts = receiver.take().map((request) => {
      expect(request.path).toBe("/services/T0/B0/abc");
      expect(request.headers["webhook-signature"]).toBeUndefined();
      return (JSON.parse(request.body) as { text: string }).text;
    });
    expect(texts).toHaveLength(3);
    expect(texts.find((t) => t.includes("new finding"))).toContain(`2 new findings (low or above) on ${target.name}`);
    expect(texts.filter((t) => t.startsWith("Rampart: polling"))).toEqual([
      `Rampart: polling ${target.name} failed: cannot list pods: forbidden`,
    ]);
    const digest = texts.find((t) => t.includes("expire")) ?? "";
    expect(digest).toContain("team-a");
    expect(digest).not.toContain("team-b");
  });

  it("keeps URLs and secrets encrypted, refuses non-http URLs and bad secrets, and sends a test on demand", async () => {
    const channel = await webhookChannel("tested", "/secret-path-123");
    const row = await test.db.notificationChannel.findUniqueOrThrow({ where: { id: channel.id } });
    expect(row.credentials).not.toContain("secret-path-123");
    expect(row.credentials).not.toContain(channel.secret.slice(6, 20));
    expect(row.endpoint).toBe(receiver.url);
    for (const url of ["file:///etc/passwd", "gopher://127.0.0.1/", "ftp://example.test/x", "not a url"]) {
      await expect(createChannel(test.db, { name: `bad-${url}`, kind: "webhook", url }, ADMIN)).rejects.toThrow(
        /http:\/\/ or https:\/\//,
      );
    }
    await expect(
      createChannel(test.db, { name: "bad-secret", kind: "webhook", url: receiver.url, secret: "hunter2" }, ADMIN),
    ).rejects.toThrow(/whsec_/);

    const result = await sendTestNotification(test.db, channel.id, ADMIN);
    expect(result).toMatchObject({ ok: true, status: 204 });
    const [request] = receiver.take();
    expect(request ? verifiedBody(request, channel.secret) : undefined).toMatchObject({
      type: "test",
      data: { channel: "tested" },
    });
    const audit = await test.db.auditLog.findMany({ where: { action: { startsWith: "notification." } } });
    expect(JSON.stringify(audit)).not.toContain("secret-path-123");
    expect(audit.map((a) => a.action)).toContain("notification.test-sent");
  });

  it("never fails the run it follows: a notification error is logged by name only", async () => {
    const broken = {
      notificationRule: { findMany: () => Promise.reject(new Error("connection reset: postgres://user:pw@db")) },
    } as unknown as Db;
    const logged: string[] = [];
    const original = console.error;
    console.error = (message: string) => logged.push(message);
    try {
      const outcome = { runId: "r1", targetId: "t1", status: "succeeded" as const, at: new Date(), findingsOpened: 3 };
      await expect(notifyAfterRun(broken, outcome)).resolves.toBeUndefined();
    } finally {
      console.error = original;
    }
    expect(logged).toEqual(["rampart: notifications for run r1 not queued: Error"]);
  });

  it("rotate-key re-encrypts channel URLs and secrets with the target credentials", async () => {
    const channel = await webhookChannel("rotated", "/rotated-path");
    const oldKey = loadKey();
    const newKey = Buffer.alloc(32, 5);
    await reencryptCredentials(test.db, { oldKey, newKey, keySource: "environment" });
    const row = await test.db.notificationChannel.findUniqueOrThrow({ where: { id: channel.id } });
    expect(decryptCredentialsWith(newKey, row.credentials)).toEqual({
      url: `${receiver.url}/rotated-path`,
      secret: channel.secret,
    });
    await reencryptCredentials(test.db, { oldKey: newKey, newKey: oldKey, keySource: "environment" });
  });
});
