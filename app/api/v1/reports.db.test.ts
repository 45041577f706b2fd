import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/lib/db/testing";
import { createApiToken } from "@/lib/services/tokens";
import { createUser } from "@/lib/services/users";
import { POST as postReport } from "./reports/route";
import { DELETE as deleteException } from "./vulnerability-exceptions/[exceptionId]/route";
import { GET as listExceptions, POST as postException } from "./vulnerability-exceptions/route";

const database = setupTestDatabase({ processDb: true });
const ADMIN = { email: "admin@example.test" };
const CORPUS = path.resolve(__dirname, "../../../../shared/corpus/reports");
const tokens: Record<"viewer" | "engineer" | "security", string> = { viewer: "", engineer: "", security: "" };

function post(body: string, token: string, headers: Record<string, string> = {}) {
  return postReport(
    new Request("http://127.0.0.1/api/v1/reports", {
      method: "POST",
      body,
      headers: { authorization: `Bearer ${token}`, "content-length": String(Buffer.byteLength(body)), ...headers },
    }),
  );
}

beforeAll(async () => {
  for (const role of ["viewer", "engineer", "security"] as const) {
    const user = await createUser(
      database.db,
      { email: `${role}@example.test`, role, password: "a long enough password" },
      ADMIN,
    );
    tokens[role] = (await createApiToken(database.db, user.id, { name: role, role, expiresInDays: 30 }, ADMIN)).token;
  }
});

describe("POST /api/v1/reports", () => {
  it("needs the engineer role, stores once, then answers unchanged", async () => {
    const body = await readFile(path.join(CORPUS, "grype/many_vulns_with_epss_values.json"), "utf8");
    expect((await post(body, tokens.viewer)).status).toBe(403);
    const first = await post(body, tokens.engineer);
    expect(first.status).toBe(201);
    const stored = await first.json();
    expect(stored.reports[0]).toMatchObject({ status: "stored", format: "grype-json", vulnerabilities: 15 });
    const again = await post(body, tokens.engineer);
    expect(again.status).toBe(200);
    expect((await again.json()).reports[0]).toMatchObject({ id: stored.reports[0].id, status: "unchanged" });
    expect(await database.db.scanReport.count({ where: { id: stored.reports[0].id } })).toBe(1);
    const audit = await database.db.auditLog.findMany({
      where: { action: "reports.ingested", actor: "engineer@example.test" },
    });
    expect(audit).toHaveLength(2);
  });

  it("refuses an unreadable report whole, naming the field, and stores nothing", async () => {
    const doc = JSON.parse(await readFile(path.join(CORPUS, "trivy/alpine-310.json"), "utf8"));
    doc.Results[0].Vulnerabilities[2].PkgName = ["x"];
    const before = await database.db.scanReport.count();
    const response = await post(JSON.stringify(doc), tokens.engineer);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe(
      "request body: Results[0].Vulnerabilities[2].PkgName: expected string, got array",
    );
    expect(await database.db.scanReport.count()).toBe(before);
  });

  it("answers 411 without a Content-Length and 413 above the limit", async () => {
    const request = new Request("http://127.0.0.1/api/v1/reports", {
      method: "POST",
      body: "{}",
      headers: { authorization: `Bearer ${tokens.engineer}` },
    });
    expect((await postReport(request)).status).toBe(411);
    const big = await post("{}", tokens.engineer, { "content-length": String(40 * 1024 * 1024) });
    expect(big.status).toBe(413);
  });

  it("never answers with a secret's matched text", async () => {
    const doc = JSON.parse(await readFile(path.join(CORPUS, "trivy/secrets.json"), "utf8"));
    const planted = "PLANTED-api-7c1d2e3f";
    doc.Results[0].Secrets[1].Match = planted;
    doc.Results[0].Secrets[1].Code.Lines[0].Content = planted;
    const response = await post(JSON.stringify(doc), tokens.engineer);
    expect(response.status).toBe(201);
    expect(await response.text()).not.toContain(planted);
  });
});

describe("/api/v1/vulnerability-exceptions", () => {
  it("security creates and revokes; an engineer cannot", async () => {
    const input = {
      vulnerabilityId: "CVE-2022-28391",
      image: "busybox:1.32.1",
      reason: "busybox nslookup is never run",
      owner: "platform",
      expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    };
    const request = (token: string, body: unknown) =>
      new Request("http://127.0.0.1/api/v1/vulnerability-exceptions", {
        method: "POST",
        body: JSON.stringify(body),
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      });
    expect((await postException(request(tokens.engineer, input))).status).toBe(403);
    const bad = await postException(request(tokens.security, { ...input, vulnerabilityId: "' OR 1=1" }));
    expect(bad.status).toBe(400);
    const created = await postException(request(tokens.security, input));
    expect(created.status).toBe(201);
    const { exception } = await created.json();
    const list = async () =>
      (
        await (
          await listExceptions(
            new Request("http://127.0.0.1/api/v1/vulnerability-exceptions", {
              headers: { authorization: `Bearer ${tokens.viewer}` },
            }),
          )
        ).json()
      ).exceptions.map((e: { id: string }) => e.id);
    expect(await list()).toContain(exception.id);
    const revoke = (token: string) =>
      deleteException(
        new Request(`http://127.0.0.1/api/v1/vulnerability-exceptions/${exception.id}`, {
          method: "DELETE",
          headers: { authorization: `Bearer ${token}` },
        }),
        { params: Promise.resolve({ exceptionId: exception.id }) },
      );
    expect((await revoke(tokens.engineer)).status).toBe(403);
    expect((await revoke(tokens.security)).status).toBe(200);
    expect(await list()).not.toContain(exception.id);
  });

  it("refuses a security token limited to part of the fleet: an exception names no target and reaches them all", async () => {
    const db = database.db;
    const target = await db.target.create({ data: { name: "team-host", platform: "docker", url: "unix:///x.sock" } });
    const owner = await db.user.findUniqueOrThrow({ where: { email: "security@example.test" }, select: { id: true } });
    const scope = { targets: [target.id], namespaces: [], teams: [] };
    const narrow = (
      await createApiToken(
        db,
        owner.id,
        { name: "narrow", role: "security", expiresInDays: 30, accessScope: scope },
        ADMIN,
      )
    ).token;
    const standing = await postException(
      new Request("http://127.0.0.1/api/v1/vulnerability-exceptions", {
        method: "POST",
        body: JSON.stringify({
          vulnerabilityId: "CVE-2023-0001",
          reason: "accepted by the whole-fleet team",
          owner: "platform",
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        }),
        headers: { authorization: `Bearer ${tokens.security}`, "content-type": "application/json" },
      }),
    );
    const { exception } = await standing.json();
    const before = await db.vulnerabilityException.count();
    const answers = [
      await listExceptions(
        new Request("http://127.0.0.1/api/v1/vulnerability-exceptions", {
          headers: { authorization: `Bearer ${narrow}` },
        }),
      ),
      await postException(
        new Request("http://127.0.0.1/api/v1/vulnerability-exceptions", {
          method: "POST",
          body: JSON.stringify({
            vulnerabilityId: "CVE-2023-0002",
            reason: "r",
            owner: "o",
            expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          }),
          headers: { authorization: `Bearer ${narrow}`, "content-type": "application/json" },
        }),
      ),
      await deleteException(
        new Request(`http://127.0.0.1/api/v1/vulnerability-exceptions/${exception.id}`, {
          method: "DELETE",
          headers: { authorization: `Bearer ${narrow}` },
        }),
        { params: Promise.resolve({ exceptionId: exception.id }) },
      ),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(403);
      const body = await answer.text();
      expect(body).toContain("whole fleet");
      expect(body).not.toContain("CVE-2023-0001");
    }
    expect(await db.vulnerabilityException.count()).toBe(before);
    expect((await db.vulnerabilityException.findUniqueOrThrow({ where: { id: exception.id } })).revokedAt).toBeNull();
  });
});
