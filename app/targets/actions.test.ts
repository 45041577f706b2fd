import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { makeTlsFiles, type TlsFiles } from "@/e2e/support/tls-certs";
import {
  FILE_TOKEN,
  HOSTILE_KINDS,
  writeHostileKubeconfigs,
  type HostileKubeconfig,
} from "@/lib/collectors/kubernetes/testing/hostile-kubeconfigs";
import type { KubernetesSimulator } from "@/lib/simulator/kubernetes";
import { SHOP_MANIFESTS, startTestCluster } from "@/lib/simulator/kubernetes/testing";
import { INITIAL_ADD_TARGET_STATE } from "@/components/targets/add-docker-target-form";

// The server actions as the dashboard calls them, with an admin session and a database that records writes.
const created: { data: Record<string, unknown> }[] = [];
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/auth/session", () => ({ requireRole: async () => ({ email: "admin@example.test", role: "admin" }) }));
vi.mock("@/lib/data/targets", () => ({ getTargetSettings: async () => null }));
vi.mock("@/lib/demo", () => ({}));
vi.mock("@/lib/db", () => ({
  getDb: () => ({
    target: {
      create: async (args: { data: Record<string, unknown> }) => {
        created.push(args);
        return { id: "t1", ...args.data };
      },
    },
    auditLog: { create: async () => ({}) },
  }),
}));

const { addClusterTarget, addDockerTarget } = await import("./actions");

let sim: KubernetesSimulator;
let dir = "";
let hostile: HostileKubeconfig[] = [];
let tls: TlsFiles;
let otherTls: TlsFiles;

beforeAll(async () => {
  process.env.RAMPART_SECRET_KEY ??= randomBytes(32).toString("base64");
  dir = await mkdtemp(path.join(tmpdir(), "rampart-actions-"));
  const rampart = { user: "rampart", grants: [{ rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] }] };
  sim = await startTestCluster({ manifestPaths: [SHOP_MANIFESTS], tokens: { [FILE_TOKEN]: rampart } });
  hostile = await writeHostileKubeconfigs(dir, { url: sim.url, ca: sim.tls.ca });
  const tlsDirs = [path.join(dir, "tls-a"), path.join(dir, "tls-b")];
  const { mkdir } = await import("node:fs/promises");
  await Promise.all(tlsDirs.map((d) => mkdir(d)));
  [tls, otherTls] = (await Promise.all(tlsDirs.map((d) => makeTlsFiles(d)))) as [TlsFiles, TlsFiles];
});

afterAll(async () => {
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

function form(fields: Record<string, string | File>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

describe("addClusterTarget (Add cluster / Test connection on /targets)", () => {
  it.each(HOSTILE_KINDS)(
    "refuses an uploaded kubeconfig with %s, naming the field; nothing runs or is sent",
    async (kind) => {
      const item = hostile.find((h) => h.kind === kind)!;
      const before = sim.requests.length;
      for (const intent of ["test", "add"]) {
        const upload = new File([item.kubeconfig], "config", { type: "application/yaml" });
        const state = await addClusterTarget(
          INITIAL_ADD_TARGET_STATE,
          form({ name: `hostile-${kind}`, mode: "kubeconfig", kubeconfigFile: upload, intent }),
        );
        expect(state.fieldErrors.kubeconfig, `${kind} ${intent}`).toMatch(item.refusal);
        expect(state.fieldErrors.kubeconfig).toContain("ServiceAccount token");
        expect(state.connection).toBeNull();
        expect(state.addedName).toBeNull();
        expect(JSON.stringify(state)).not.toContain(FILE_TOKEN);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(existsSync(item.marker), `${kind} ran its command`).toBe(false);
      expect(sim.requests.length, `${kind} reached the API server`).toBe(before);
      expect(created.filter((c) => c.data.name === `hostile-${kind}`)).toEqual([]);
    },
  );
});

describe("addDockerTarget (TLS as uploaded or pasted PEM)", () => {
  const tcp = { name: "tls-host", url: "tcp://127.0.0.1:1" };

  it("no longer takes paths on the server: posted path fields are ignored and a path pasted as PEM is refused", async () => {
    const state = await addDockerTarget(
      INITIAL_ADD_TARGET_STATE,
      form({ ...tcp, tlsCaFile: "/etc/ssl/ca.pem", tlsCertFile: "/etc/passwd", tlsKeyFile: "/etc/shadow" }),
    );
    expect(state.fieldErrors).toMatchObject({
      tlsCert: "tcp:// needs a client certificate and key",
      tlsKey: "tcp:// needs a client certificate and key",
    });
    const pasted = await addDockerTarget(
      INITIAL_ADD_TARGET_STATE,
      form({ ...tcp, tlsCa: "/etc/ssl/ca.pem", tlsCert: "/etc/passwd", tlsKey: "/etc/shadow" }),
    );
    expect(pasted.fieldErrors).toEqual({
      tlsCa: "the CA certificate is not a PEM certificate (-----BEGIN CERTIFICATE-----)",
      tlsCert: "the client certificate is not a PEM certificate (-----BEGIN CERTIFICATE-----)",
      tlsKey: "the key is not a PEM private key (-----BEGIN … PRIVATE KEY-----)",
    });
    expect(created).toEqual([]);
  });

  it("refuses a key that does not match the uploaded certificate, and stores matching PEM encrypted", async () => {
    const pem = (text: string, name: string) => new File([text], name);
    const mismatched = await addDockerTarget(
      INITIAL_ADD_TARGET_STATE,
      form({
        ...tcp,
        tlsCaUpload: pem(tls.ca, "ca.pem"),
        tlsCertUpload: pem(tls.clientCert, "cert.pem"),
        tlsKeyUpload: pem(otherTls.clientKey, "key.pem"),
      }),
    );
    expect(mismatched.fieldErrors).toEqual({ tlsKey: "the key does not belong to the client certificate" });
    const added = await addDockerTarget(
      INITIAL_ADD_TARGET_STATE,
      form({
        ...tcp,
        tlsCaUpload: pem(tls.ca, "ca.pem"),
        tlsCertUpload: pem(tls.clientCert, "cert.pem"),
        tlsKey: tls.clientKey,
      }),
    );
    expect(added).toMatchObject({ error: null, addedName: "tls-host" });
    const row = created.find((c) => c.data.name === "tls-host")!;
    expect(row.data.settings).toEqual({});
    expect(typeof row.data.credentials).toBe("string");
    expect(row.data.credentials).not.toContain("PRIVATE KEY");
    const { decryptCredentials } = await import("@/lib/auth/credentials");
    expect(decryptCredentials(row.data.credentials as string)).toEqual({
      tlsCa: tls.ca.trim(),
      tlsCert: tls.clientCert.trim(),
      tlsKey: tls.clientKey.trim(),
    });
  });
});
