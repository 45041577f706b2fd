import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptCredentials } from "@/lib/auth/credentials";
import {
  FILE_TOKEN,
  HOSTILE_KINDS,
  writeHostileKubeconfigs,
  type HostileKubeconfig,
} from "@/lib/collectors/kubernetes/testing/hostile-kubeconfigs";
import { runCollection } from "@/lib/collectors/run-collection";
import { setupTestDatabase } from "@/lib/db/testing";
import type { KubernetesSimulator } from "@/lib/simulator/kubernetes";
import { SHOP_MANIFESTS, startTestCluster } from "@/lib/simulator/kubernetes/testing";
import { createTarget } from ".";

const test = setupTestDatabase();
let sim: KubernetesSimulator;
let dir = "";
let hostile: HostileKubeconfig[] = [];

beforeAll(async () => {
  process.env.RAMPART_SECRET_KEY ??= randomBytes(32).toString("base64");
  dir = await mkdtemp(path.join(tmpdir(), "rampart-stored-"));
  const rampart = { user: "rampart", grants: [{ rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] }] };
  sim = await startTestCluster({ manifestPaths: [SHOP_MANIFESTS], tokens: { [FILE_TOKEN]: rampart } });
  hostile = await writeHostileKubeconfigs(dir, { url: sim.url, ca: sim.tls.ca });
});

afterAll(async () => {
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A row as a Rampart from before this check could have written it: straight into the table. */
async function legacyRow(
  name: string,
  fields: { platform: string; url: string; settings?: object; credentials?: object },
) {
  return test.db.target.create({
    data: {
      name,
      platform: fields.platform,
      url: fields.url,
      settings: fields.settings ?? {},
      credentials: fields.credentials ? encryptCredentials(fields.credentials) : null,
    },
  });
}

describe("a stored target polled by the collector", () => {
  it.each(HOSTILE_KINDS)(
    "with a kubeconfig using %s fails its run with the named error; nothing runs or is sent",
    async (kind) => {
      const item = hostile.find((h) => h.kind === kind)!;
      const row = await legacyRow(`legacy-${kind}`, {
        platform: "kubernetes",
        url: sim.url,
        credentials: { kubeconfig: item.kubeconfig },
      });
      const before = sim.requests.length;
      const result = await runCollection({ db: test.db, targetId: row.id });
      expect(result.status).toBe("failed");
      expect(result.error).toMatch(item.refusal);
      const run = await test.db.collectionRun.findUniqueOrThrow({ where: { id: result.runId } });
      expect(run.error).toMatch(item.refusal);
      expect(run.error).not.toContain(FILE_TOKEN);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(existsSync(item.marker), `${kind} ran its command`).toBe(false);
      expect(sim.requests.length, `${kind} reached the API server`).toBe(before);
    },
  );

  it("with Docker TLS paths on the server fails without opening them, the same for files that exist or not", async () => {
    const secret = path.join(dir, "stolen-token");
    const existing = await legacyRow("legacy-docker-tls", {
      platform: "docker",
      url: "tcp://127.0.0.1:9",
      settings: { tlsCaFile: secret, tlsCertFile: secret, tlsKeyFile: secret },
    });
    const missing = await legacyRow("legacy-docker-missing", {
      platform: "docker",
      url: "tcp://127.0.0.1:9",
      settings: { tlsCaFile: "/nonexistent/ca.pem", tlsCertFile: "/nonexistent/c", tlsKeyFile: "/nonexistent/k" },
    });
    const errors = [];
    for (const row of [existing, missing]) {
      const result = await runCollection({ db: test.db, targetId: row.id });
      expect(result.status).toBe("failed");
      errors.push(result.error);
    }
    const expected =
      "Docker at tcp://127.0.0.1:9: this target names TLS files on the Rampart server (tlsCaFile, tlsCertFile, tlsKeyFile), which Rampart no longer reads; add the target again with the CA, certificate and key uploaded as PEM";
    expect(errors).toEqual([expected, expected]);
  });
});

describe("createTarget (every writer: dashboard, API, CLI)", () => {
  it("refuses hostile kubeconfigs, server paths and TLS material that does not parse", async () => {
    const exec = hostile.find((h) => h.kind === "exec")!;
    await expect(
      createTarget(test.db, {
        name: "new-exec",
        platform: "kubernetes",
        url: sim.url,
        credentials: { kubeconfig: exec.kubeconfig },
      }),
    ).rejects.toThrow(exec.refusal);
    await expect(
      createTarget(test.db, {
        name: "new-paths",
        platform: "docker",
        url: "tcp://127.0.0.1:9",
        settings: { tlsKeyFile: "/etc/shadow" },
      }),
    ).rejects.toThrow("a target cannot name files on the Rampart server (tlsKeyFile): upload the PEM instead");
    await expect(
      createTarget(test.db, {
        name: "new-bad-pem",
        platform: "docker",
        url: "tcp://127.0.0.1:9",
        credentials: { tlsCa: "not pem", tlsCert: "x", tlsKey: "y" },
      }),
    ).rejects.toThrow("the CA certificate is not a PEM certificate");
    expect(await test.db.target.count({ where: { name: { startsWith: "new-" } } })).toBe(0);
  });
});
