import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { ClientRequest } from "node:http";
import { request } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "./expand";
import { renderKubeconfig } from "./kubeconfig";
import { startKubernetesSimulator, type KubernetesSimulator } from "./server";
import { ADMIN_TOKEN, SHOP_MANIFESTS, startTestCluster, testTls } from "./testing";

interface WatchLine {
  type: string;
  object: { kind?: string; code?: number; reason?: string; metadata: { name?: string; resourceVersion?: string } };
}

let sim: KubernetesSimulator;
const hasKubectl = existsSync("/usr/bin/kubectl") || process.env.RAMPART_REQUIRE_ALL === "1";

/** Opens a watch and collects its lines until `count` arrived or the server ended it. */
function watch(pathAndQuery: string, count: number, token = ADMIN_TOKEN) {
  const lines: WatchLine[] = [];
  let req: ClientRequest | undefined;
  let ready: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (ready = resolve));
  const done = new Promise<{ status: number; lines: WatchLine[]; ended: boolean }>((resolve, reject) => {
    const url = new URL(pathAndQuery, sim.url);
    req = request(url, { ca: sim.tls.ca, headers: { authorization: `Bearer ${token}` } }, (res) => {
      ready();
      let pending = "";
      const finish = (ended: boolean) => resolve({ status: res.statusCode ?? 0, lines, ended });
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        const parts = (pending + chunk).split("\n");
        pending = parts.pop() ?? "";
        for (const part of parts) lines.push(JSON.parse(part) as WatchLine);
        if (lines.length >= count) {
          finish(false);
          req?.destroy();
        }
      });
      res.on("end", () => {
        if (pending.trim()) lines.push(JSON.parse(pending) as WatchLine);
        finish(true);
      });
    });
    req.on("error", (error: Error) => (lines.length >= count ? undefined : reject(error)));
    req.end();
  });
  return { opened, done };
}

function deployment(name: string, image: string): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "shop", uid: `uid-${name}`, creationTimestamp: "2026-12-01T00:00:00Z" },
    spec: { template: { spec: { containers: [{ name: "app", image }] } } },
  };
}

beforeAll(async () => {
  sim = await startTestCluster({ manifestPaths: [SHOP_MANIFESTS] });
});

afterAll(async () => {
  await sim?.close();
});

describe("watches on the Kubernetes simulator", () => {
  it("streams ADDED, MODIFIED and DELETED after the given resourceVersion, for that resource and namespace", async () => {
    const from = sim.store.currentVersion;
    const open = watch(`/apis/apps/v1/namespaces/shop/deployments?watch=1&resourceVersion=${from}`, 3);
    await open.opened;
    const elsewhere = deployment("other-ns", "a:1");
    sim.store.apply([{ ...elsewhere, metadata: { ...elsewhere.metadata, namespace: "ops" } }]);
    sim.store.apply([deployment("fresh", "a:1")]);
    sim.store.apply([deployment("fresh", "a:2")]);
    sim.store.remove("Deployment", "shop", "fresh");
    const { status, lines } = await open.done;
    expect(status).toBe(200);
    expect(lines.map((l) => [l.type, l.object.metadata.name, Number(l.object.metadata.resourceVersion)])).toEqual([
      ["ADDED", "fresh", from + 2],
      ["MODIFIED", "fresh", from + 3],
      ["DELETED", "fresh", from + 4],
    ]);
  });

  it("starts from the current state as ADDED events when no resourceVersion is given", async () => {
    const { lines } = await watch("/apis/apps/v1/namespaces/shop/deployments?watch=true", 2).done;
    expect(lines.map((l) => [l.type, l.object.metadata.name])).toEqual([
      ["ADDED", "api"],
      ["ADDED", "web"],
    ]);
  });

  it("answers a compacted resourceVersion with one 410 Expired ERROR event and ends the stream", async () => {
    const old = sim.store.currentVersion;
    sim.store.apply([deployment("later", "a:1")]);
    sim.store.compact();
    const { status, lines, ended } = await watch(`/api/v1/pods?watch=1&resourceVersion=${old}`, 2).done;
    expect({ status, ended }).toEqual({ status: 200, ended: true });
    expect(lines).toEqual([
      {
        type: "ERROR",
        object: expect.objectContaining({ kind: "Status", code: 410, reason: "Expired" }) as unknown,
      },
    ]);
    expect(sim.requests.at(-1)).toMatchObject({ path: "/api/v1/pods", status: 200, watchError: 410 });
  });

  it("sends bookmarks carrying the current resourceVersion when asked, and ends at timeoutSeconds", async () => {
    const tls = await testTls();
    const quick = await startKubernetesSimulator({
      objects: [],
      tokens: { t: { user: "u", grants: [{ rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["watch"] }] }] } },
      tls,
      bookmarkMs: 100,
    });
    const saved = sim;
    sim = quick;
    try {
      const rv = quick.store.currentVersion;
      const query = `watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=1`;
      const { lines, ended } = await watch(`/api/v1/pods?${query}`, 100, "t").done;
      expect(ended).toBe(true);
      expect(lines.length).toBeGreaterThanOrEqual(3);
      for (const line of lines) expect(line).toEqual({ type: "BOOKMARK", object: expect.anything() as unknown });
      expect(lines[0]!.object).toEqual({ kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: String(rv) } });
    } finally {
      sim = saved;
      await quick.close();
    }
  });

  it("needs the watch verb", async () => {
    sim.tokens.set("lister", {
      user: "lister",
      grants: [{ rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["list"] }] }],
    });
    const { status, lines } = await watch("/api/v1/pods?watch=1", 1, "lister").done;
    expect(status).toBe(403);
    expect(lines[0]).toMatchObject({ code: 403, reason: "Forbidden" });
  });

  it.skipIf(!hasKubectl)("serves kubectl get --watch", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "rampart-sim-watch-"));
    const config = path.join(dir, "config");
    await writeFile(config, renderKubeconfig({ url: sim.url, ca: sim.tls.ca, token: ADMIN_TOKEN }));
    const args = ["--kubeconfig", config, "get", "deployments", "-n", "shop", "--watch", "-o", "name"];
    const kubectl = new Promise<string>((resolve) => {
      const child = execFile("kubectl", args, { timeout: 20_000 }, (_, stdout) => resolve(stdout));
      setTimeout(() => child.kill(), 3_000);
    });
    setTimeout(() => sim.store.apply([deployment("watched", "a:1")]), 1_500);
    try {
      const names = (await kubectl).split("\n").filter(Boolean);
      expect(names).toEqual(expect.arrayContaining(["deployment.apps/api", "deployment.apps/watched"]));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
