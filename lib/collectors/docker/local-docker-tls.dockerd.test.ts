import { randomBytes } from "node:crypto";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRunDockerd, startDockerd, type PrivateDockerd } from "@/e2e/support/dockerd";
import { decryptCredentials } from "@/lib/auth/credentials";
import { addLocalDockerOnFirstRun } from "@/lib/cli/commands/serve";
import { runCollection } from "@/lib/collectors/run-collection";
import { setupTestDatabase } from "@/lib/db/testing";

const enabled = canRunDockerd();

describe.skipIf(!enabled)("rampart serve's first start with DOCKER_HOST=tcp:// and DOCKER_CERT_PATH", () => {
  const database = setupTestDatabase();
  let engine: PrivateDockerd;
  let certPath = "";
  const saved = { host: process.env.DOCKER_HOST, certPath: process.env.DOCKER_CERT_PATH };

  beforeAll(async () => {
    process.env.RAMPART_SECRET_KEY ??= randomBytes(32).toString("base64");
    engine = await startDockerd({ tls: true });
    certPath = await mkdtemp(path.join(tmpdir(), "rampart-cert-path-"));
    const files = engine.tls!.files;
    await copyFile(files.caFile, path.join(certPath, "ca.pem"));
    await copyFile(files.clientCertFile, path.join(certPath, "cert.pem"));
    await copyFile(files.clientKeyFile, path.join(certPath, "key.pem"));
  });

  afterAll(async () => {
    for (const [key, value] of [
      ["DOCKER_HOST", saved.host],
      ["DOCKER_CERT_PATH", saved.certPath],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await engine?.stop();
    await rm(certPath, { recursive: true, force: true });
  });

  it("stores the operator's PEM encrypted instead of paths, and the target polls once the files are gone", async () => {
    process.env.DOCKER_HOST = engine.tls!.url;
    process.env.DOCKER_CERT_PATH = certPath;
    await addLocalDockerOnFirstRun(database.db);
    const row = await database.db.target.findUniqueOrThrow({ where: { name: "local-docker" } });
    expect(row).toMatchObject({ platform: "docker", url: engine.tls!.url, settings: {} });
    expect(row.credentials).not.toContain("PRIVATE KEY");
    const files = engine.tls!.files;
    expect(decryptCredentials(row.credentials!)).toEqual({
      tlsCa: files.ca,
      tlsCert: files.clientCert,
      tlsKey: files.clientKey,
    });
    await rm(certPath, { recursive: true, force: true });
    const result = await runCollection({ db: database.db, targetId: row.id });
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ status: "succeeded" });
  });
});
