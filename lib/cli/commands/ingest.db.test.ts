import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setupTestDatabase } from "@/lib/db/testing";
import { createApiToken } from "@/lib/services/tokens";
import { createUser } from "@/lib/services/users";
import { runCommand } from "../testing/run-command";
import { run } from "./ingest";

const test = setupTestDatabase({ processDb: true });
const CORPUS = path.resolve(__dirname, "../../../../shared/corpus/reports");
const PLANTED = "PLANTED-cli-0a1b2c3d4e";
let dir = "";
let server: Server;
let base = "";

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rampart-ingest-"));
  const secrets = JSON.parse(await readFile(path.join(CORPUS, "trivy/secrets.json"), "utf8"));
  secrets.Results[0].Secrets[0].Match = PLANTED;
  secrets.Results[0].Secrets[0].Code.Lines[0].Content = PLANTED;
  await writeFile(path.join(dir, "planted.json"), JSON.stringify(secrets));
  await writeFile(path.join(dir, "broken.json"), '{"SchemaVersion": 2, "Results": [');
  // The real route handler behind a plain HTTP server: what `--url` talks to.
  const { POST } = await import("@/app/api/v1/reports/route");
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers(Object.entries(req.headers).map(([k, v]) => [k, String(v)]) as [string, string][]);
    const response = await POST(
      new Request(`http://127.0.0.1${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) }),
    );
    res.writeHead(response.status, { "content-type": "application/json" });
    res.end(await response.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("rampart ingest", () => {
  it("stores the readable files into DATABASE_URL, names the unreadable one, and never prints a secret", async () => {
    vi.stubEnv("DATABASE_URL", test.url);
    const first = await runCommand(run, [path.join(CORPUS, "grype"), dir]);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(`${path.join(dir, "broken.json")}: not valid JSON`);
    expect(first.stdout).toContain(`${path.join(CORPUS, "grype/json-image.json")}: stored (2 vulnerabilities`);
    expect(first.stdout).toContain(`${path.join(dir, "planted.json")}: stored (0 vulnerabilities, 2 secrets`);
    expect(first.stdout + first.stderr).not.toContain(PLANTED);
    expect(await test.db.scanReport.count()).toBe(4);
    const again = await runCommand(run, [path.join(CORPUS, "grype")]);
    expect(again.code).toBe(0);
    expect(again.stdout.match(/: unchanged/g)).toHaveLength(3);
    expect(await test.db.scanReport.count()).toBe(4);
    vi.unstubAllEnvs();
  });

  it("posts to a server with --url and a token, and refuses a missing token", async () => {
    const user = await createUser(
      test.db,
      { email: "ci@example.test", role: "engineer", password: "a long enough password" },
      { email: "admin@example.test" },
    );
    const { token } = await createApiToken(
      test.db,
      user.id,
      { name: "ci", role: "engineer", expiresInDays: 1 },
      { email: "admin@example.test" },
    );
    const file = path.join(CORPUS, "vex/openvex-oci-attach.json");
    expect((await runCommand(run, [file, "--url", base])).code).toBe(2);
    const posted = await runCommand(run, [file, "--url", base, "--token", token]);
    expect(posted).toMatchObject({ code: 0, stderr: "" });
    expect(posted.stdout).toBe(`${file}: stored (0 vulnerabilities, 0 secrets, 4 VEX statements)\n`);
    const refused = await runCommand(run, [path.join(dir, "broken.json"), "--url", base, "--token", token]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("400 request body: not valid JSON");
    const wrong = await runCommand(run, [file, "--url", base, "--token", "rpt_not-a-real-token-000"]);
    expect(wrong.stderr).toContain("401");
  });
});
