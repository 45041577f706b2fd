import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { setupTestDatabase } from "@/lib/db/testing";
import { createException } from "@/lib/services/exceptions";
import { run as exceptions } from "./commands/exceptions";
import { run as targets } from "./commands/targets";
import { runCommand } from "./testing/run-command";

const test = setupTestDatabase();
let dir: string;
const previousUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  process.env.DATABASE_URL = test.url;
  dir = await mkdtemp(path.join(os.tmpdir(), "rampart-config-"));
});

afterAll(async () => {
  if (previousUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = previousUrl;
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const full = path.join(dir, name);
  await writeFile(full, text);
  return full;
}

const NEXT_YEAR = new Date().getUTCFullYear() + 1;

function exceptionFile(entries: string): string {
  return `apiVersion: rampart.dev/v1\nkind: ExceptionList\nexceptions:\n${entries}`;
}

const LEGACY = `  - key: legacy-api-root
    check: run-as-non-root
    scope: { target: edge, namespace: shop, workload: Deployment/api }
    reason: the vendor image needs root until v5
    owner: team-payments
    expires: ${NEXT_YEAR}-03-31
`;
const DEBUG = `  - key: debug-tools
    check: not-privileged
    scope: { namespace: debug }
    reason: break-glass pod
    owner: sre
    expires: ${NEXT_YEAR}-01-15
`;

describe("rampart targets", () => {
  it("adds, lists and removes targets with the dashboard's checks and audit rows", async () => {
    const added = await runCommand(targets, ["add", "--name", "edge", "--docker", "unix:///var/run/docker.sock"]);
    expect(added).toMatchObject({ code: 0, stdout: "added docker target edge (unix:///var/run/docker.sock)\n" });
    expect((await runCommand(targets, ["add", "--name", "edge", "--docker", "unix:///x.sock"])).stderr).toContain(
      "a target named edge exists",
    );
    const bad = await runCommand(targets, ["add", "--name", "tcp-host", "--docker", "tcp://10.0.0.1:2376"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("tlsCert: tcp:// needs a client certificate and key");
    const kubeconfig = await file(
      "exec.kubeconfig",
      `apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: c, cluster: {server: "https://k.test"}}]\n` +
        `contexts: [{name: c, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {exec: {command: /bin/sh, apiVersion: client.authentication.k8s.io/v1}}}]\n`,
    );
    const exec = await runCommand(targets, ["add", "--name", "k", "--kubeconfig", kubeconfig]);
    expect(exec.code).toBe(2);
    expect(exec.stderr).toMatch(/--kubeconfig: .*exec/);

    await runCommand(targets, ["add", "--name", "gone-soon", "--docker", "unix:///run/other.sock", "--interval", "60"]);
    const listed = await runCommand(targets, ["list"]);
    expect(
      listed.stdout
        .split("\n")
        .filter(Boolean)
        .map((line) => line.split(/\s+/)[0]),
    ).toEqual(["NAME", "edge", "gone-soon"]);
    expect(await runCommand(targets, ["remove", "gone-soon"])).toMatchObject({ code: 0 });
    expect(await runCommand(targets, ["remove", "gone-soon"])).toMatchObject({ code: 2 });
    const audit = await test.db.auditLog.findMany({
      where: { action: { startsWith: "target." } },
      orderBy: { at: "asc" },
    });
    expect(audit.map((row) => [row.action, row.target])).toEqual([
      ["target.created", "edge"],
      ["target.created", "gone-soon"],
      ["target.deleted", "gone-soon"],
    ]);
    expect(audit.every((row) => row.actor.startsWith("cli:"))).toBe(true);
  });
});

describe("rampart exceptions", () => {
  it("applies a file idempotently with a diff, revokes only file-managed entries that leave it, and exports", async () => {
    const dashboard = await createException(test.db, {
      checkId: "read-only-root-filesystem",
      namespace: "ops",
      reason: "accepted on the dashboard",
      owner: "ops",
      expiresAt: new Date(`${NEXT_YEAR}-06-30T23:59:59Z`),
      createdBy: "security@example.test",
    });
    const first = await file("exceptions.yaml", exceptionFile(LEGACY + DEBUG));
    const applied = await runCommand(exceptions, ["apply", "-f", first]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toBe(
      `+ legacy-api-root: run-as-non-root (target=edge namespace=shop workload=Deployment/api), expires ${NEXT_YEAR}-03-31\n` +
        `+ debug-tools: not-privileged (namespace=debug), expires ${NEXT_YEAR}-01-15\n` +
        "applied 2 change(s)\n",
    );
    const again = await runCommand(exceptions, ["apply", "-f", first]);
    expect(again.stdout).toBe("no changes (2 exception(s) managed from the file)\n");

    const second = await file(
      "exceptions-2.yaml",
      exceptionFile(LEGACY.replace(`${NEXT_YEAR}-03-31`, `${NEXT_YEAR}-04-30`)),
    );
    const dry = await runCommand(exceptions, ["apply", "-f", second, "--dry-run"]);
    expect(dry.stdout).toBe(
      `~ legacy-api-root: expires ${NEXT_YEAR}-03-31 -> ${NEXT_YEAR}-04-30\n` +
        "- debug-tools: not-privileged: revoked (no longer in the file)\n",
    );
    expect(await test.db.exception.count({ where: { revokedAt: { not: null } } })).toBe(0);
    expect((await runCommand(exceptions, ["apply", "-f", second])).code).toBe(0);
    const rows = await test.db.exception.findMany({ orderBy: { createdAt: "asc" } });
    expect(rows.map((row) => [row.fileKey, row.revokedAt === null])).toEqual([
      [null, true],
      ["legacy-api-root", true],
      ["debug-tools", false],
    ]);
    expect(rows[0]?.id).toBe(dashboard.id);

    const reasonChanged = await file("exceptions-3.yaml", exceptionFile(LEGACY.replace("until v5", "until v6")));
    expect((await runCommand(exceptions, ["apply", "-f", reasonChanged])).stdout).toContain(
      "~ legacy-api-root: reason changed: revoked and created again",
    );

    const listed = await runCommand(exceptions, ["list"]);
    expect(listed.stdout).toMatch(/legacy-api-root\s+run-as-non-root.*file/);
    expect(listed.stdout).toMatch(new RegExp(`${dashboard.id}\\s+read-only-root-filesystem.*dashboard`));

    const exported = await runCommand(exceptions, ["export"]);
    const document = parse(exported.stdout) as { exceptions: { key: string; reason: string }[] };
    expect(document.exceptions.map((e) => e.key)).toEqual(["legacy-api-root", dashboard.id]);
    const exportedFile = await file("exported.yaml", exported.stdout);
    expect((await runCommand(exceptions, ["apply", "-f", exportedFile])).stdout).toBe(
      `= ${dashboard.id}: dashboard exception now managed from the file\napplied 1 change(s)\n`,
    );
    expect((await runCommand(exceptions, ["apply", "-f", exportedFile])).stdout).toContain("no changes (2 ");

    const audit = await test.db.auditLog.findMany({ where: { action: { startsWith: "exception." } } });
    expect(audit.map((row) => row.action).sort()).toEqual(
      [
        "exception.created",
        "exception.created",
        "exception.extended",
        "exception.revoked",
        "exception.revoked",
        "exception.created",
        "exception.adopted",
      ].sort(),
    );
    expect(
      audit.every((row) => row.actor.startsWith("cli:") && (row.detail as { source?: string }).source === "file"),
    ).toBe(true);
  });

  it.each([
    [
      "an alias bomb",
      `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
      /alias/i,
    ],
    ["not YAML", "exceptions: [unclosed\n", /invalid YAML/],
    ["the wrong kind", "apiVersion: rampart.dev/v1\nkind: Deployment\nexceptions: []\n", /kind: /],
    [
      "a wrong type",
      exceptionFile(DEBUG.replace("owner: sre", "owner: [sre]")),
      /exceptions\[0\] \(key debug-tools\): owner: /,
    ],
    [
      "an unknown check",
      exceptionFile(DEBUG.replace("not-privileged", "no-such-check")),
      /\(key debug-tools\): check: not a check id/,
    ],
    [
      "an unknown target",
      exceptionFile(LEGACY.replace("target: edge", "target: nowhere")),
      /\(key legacy-api-root\): scope.target: no target/,
    ],
    [
      "a past expiry",
      exceptionFile(DEBUG.replace(`${NEXT_YEAR}-01-15`, "2020-01-01")),
      /\(key debug-tools\): expires: must be in the future/,
    ],
    [
      "a duplicate key",
      exceptionFile(DEBUG + DEBUG),
      /exceptions\[1\] \(key debug-tools\): key: used by an earlier entry/,
    ],
    [
      "a NUL in a reason",
      exceptionFile(DEBUG.replace("break-glass pod", '"break\\0glass"')),
      /\(key debug-tools\): reason: must not contain control characters/,
    ],
    [
      "an unknown field",
      exceptionFile(DEBUG.replace("owner: sre", "owner: sre\n    approvedBy: me")),
      /\(key debug-tools\): entry: Unrecognized key/,
    ],
    ["over 1 MB", `# ${"x".repeat(1024 * 1024)}\n`, /larger than 1 MB/],
  ])("refuses %s, naming the entry, and applies nothing", async (_, text, message) => {
    const before = await test.db.exception.count();
    const bad = await file("bad.yaml", text);
    const result = await runCommand(exceptions, ["apply", "-f", bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
    expect(await test.db.exception.count()).toBe(before);
  });

  it("refuses usage errors", async () => {
    expect((await runCommand(exceptions, ["apply"])).code).toBe(2);
    expect((await runCommand(exceptions, ["frobnicate"])).code).toBe(2);
    expect((await runCommand(exceptions, ["apply", "-f", path.join(dir, "missing.yaml")])).stderr).toContain("ENOENT");
  });
});
