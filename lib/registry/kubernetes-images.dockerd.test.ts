import { randomBytes } from "node:crypto";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLANTED } from "@/lib/collectors/docker/testing/fleet";
import { collectKubernetesWorkloads } from "@/lib/collectors/kubernetes";
import { runCollection } from "@/lib/collectors/run-collection";
import { setupTestDatabase } from "@/lib/db/testing";
import type { WorkloadInput } from "@/lib/domain/facts";
import type { WorkloadEvaluation } from "@/lib/domain/result";
import { evaluateWorkload } from "@/lib/evaluate";
import { normalizeKubernetesWorkload } from "@/lib/normalize/kubernetes";
import { applyStrategicMergePatch } from "@/lib/remediation/strategic-merge";
import { saveRegistryCredential } from "@/lib/services/registry";
import { createTarget } from "@/lib/services/targets";
import type { KubernetesSimulator } from "@/lib/simulator/kubernetes";
import { ADMIN_TOKEN, newReport, startTestCluster, targetFor } from "@/lib/simulator/kubernetes/testing";
import { memoryCache } from "./client";
import { createImageInspector } from "./inspect-workloads";
import { canRunRegistryFleet, IMAGES, LOGIN, startRegistryFleet, type RegistryFleet } from "./testing/images";

// The Kubernetes simulator serves pods that run images pushed to Debian's docker-registry; the real collector,
// inspector and checks read their configs.

const enabled = canRunRegistryFleet();
const test = setupTestDatabase();

function deployment(name: string, image: string, replicas = 1): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "apps" },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "main", image }] } },
    },
  };
}

function resultOf(evaluations: WorkloadEvaluation[], workload: string, checkId: string) {
  const found = evaluations
    .find((e) => e.workload.name === workload)
    ?.containers[0]?.checks.find((c) => c.checkId === checkId);
  if (!found) throw new Error(`no ${checkId} result for ${workload}`);
  return found;
}

describe.runIf(enabled)("image configs of Kubernetes workloads from real registries", () => {
  let fleet: RegistryFleet;
  let sim: KubernetesSimulator;
  let images: Record<string, string>;

  beforeAll(async () => {
    process.env.RAMPART_SECRET_KEY ??= randomBytes(32).toString("base64");
    fleet = await startRegistryFleet();
    images = {
      root: `${fleet.basic.host}/${IMAGES.root}`,
      uid: `${fleet.plain.host}/${IMAGES.uid}`,
      named: `${fleet.token.host}/${IMAGES.named}`,
      envSecret: `${fleet.basic.host}/${IMAGES.envSecret}`,
      argSecret: `${fleet.plain.host}/${IMAGES.argSecret}`,
      tokenPrivate: `${fleet.token.host}/${IMAGES.envSecret}`,
      multi: `${fleet.plain.host}/${IMAGES.multi}`,
      unlisted: "registry.unlisted.test/team/app:1",
    };
    const ref = (image: string) => image.slice(image.indexOf("/") + 1);
    const imageDigests = new Map(
      Object.values(images)
        .filter((image) => fleet.digests[ref(image)])
        .map((image) => [image, fleet.digests[ref(image)]!]),
    );
    const objects = [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } },
      // No pod runs these two: their tags are resolved by the registry (the others' digests are in the cache already).
      ...Object.entries(images).map(([name, image]) =>
        deployment(name.toLowerCase(), image, name === "multi" || name === "tokenPrivate" ? 0 : 1),
      ),
    ];
    sim = await startTestCluster({ objects, imageDigests });
    const by = { actor: "admin@example.test" };
    await saveRegistryCredential(test.db, { host: fleet.plain.host, insecure: true }, by);
    await saveRegistryCredential(test.db, { host: fleet.basic.host, ca: fleet.tls.ca, ...LOGIN }, by);
    await saveRegistryCredential(test.db, { host: fleet.token.host, ca: fleet.tls.ca }, by);
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
    await fleet?.stop();
  });

  it("finds the planted ENV secret and build argument, and says why other configs were not read", async () => {
    const target = await createTarget(test.db, {
      name: "registry-cluster",
      platform: "kubernetes",
      url: sim.url,
      credentials: { bearerToken: ADMIN_TOKEN, tlsCa: sim.tls.ca },
    });
    const run = await runCollection({ db: test.db, targetId: target.id, keepEvaluations: true });
    expect(run.status).toBe("succeeded");
    const secrets = (workload: string) => resultOf(run.evaluations, workload, "no-secrets-in-image");
    expect(secrets("envsecret")).toMatchObject({ status: "fail", fieldPath: "ImageConfig.config.Env[1]" });
    expect(secrets("envsecret").message).toContain("API_TOKEN");
    expect(secrets("argsecret")).toMatchObject({
      status: "fail",
      message: expect.stringContaining("API_KEY with a build argument"),
    });
    expect(secrets("root")).toMatchObject({ status: "pass" });
    expect(secrets("unlisted")).toMatchObject({
      status: "not-evaluated",
      message: expect.stringMatching(/^No registry settings for registry.unlisted.test/),
    });
    expect(secrets("tokenprivate")).toMatchObject({
      status: "not-evaluated",
      message: `Image config not read from ${fleet.token.host}: Registry ${fleet.token.host} needs a credential and none is configured for it, and no scanner report lists the image's secrets`,
    });
    const pinned = resultOf(run.evaluations, "multi", "image-pinned-by-digest");
    expect(pinned.detail).toContain("the fix pins the registry's digest for the tag");
    expect(pinned.remediation?.kubectl).toContain(`${IMAGES.multi}@${fleet.digests[IMAGES.multi]}`);
    const stored = [run.evaluations, await test.db.finding.findMany(), await test.db.imageMetadata.findMany()]
      .map((rows) => JSON.stringify(rows))
      .join("\n");
    expect(stored).not.toContain(PLANTED.imageEnv);
    expect(stored).not.toContain(PLANTED.buildArg);
    expect(await test.db.imageMetadata.count()).toBeGreaterThan(5);
  });

  it("gives a root image a fix with runAsUser that, applied, passes run-as-non-root and restricted runAsNonRoot", async () => {
    const requests: string[] = [];
    const cache = memoryCache();
    const options = {
      registries: [
        { host: fleet.plain.host, insecure: true },
        { host: fleet.basic.host, ca: fleet.tls.ca, login: LOGIN },
        { host: fleet.token.host, ca: fleet.tls.ca },
      ],
      onRequest: ({ method, url }: { method: string; url: URL }) =>
        requests.push(`${method} ${url.host}${url.pathname}`),
    };
    const inspector = createImageInspector({ ...options, cache });
    const workloads: WorkloadInput[] = [];
    for await (const w of collectKubernetesWorkloads(
      targetFor(sim, ADMIN_TOKEN),
      newReport(),
      AbortSignal.timeout(60_000),
    ))
      workloads.push(w);
    await inspector.inspect(workloads);
    const root = workloads.find((w) => w.workload.name === "root")!;
    const evaluation = evaluateWorkload(root);
    const failing = evaluation.containers[0]!.checks.find((c) => c.checkId === "run-as-non-root")!;
    expect(failing.status).toBe("fail");
    expect(evaluation.podSecurity?.restricted.violations).toContain("runAsNonRoot");
    expect(failing.remediation?.summary).toMatch(/runs as root \(its config sets no User\).*UID\/GID 65532/);
    const patch = parse(failing.remediation?.kubernetesPatch ?? "") as Record<string, unknown>;
    expect(JSON.stringify(patch)).toContain('"runAsUser":65532');

    const patched = applyStrategicMergePatch(root.object!, patch);
    const { input } = normalizeKubernetesWorkload(patched, { source: "patched", networkPolicies: { value: [] } });
    input!.containers[0]!.imageConfig = root.containers[0]!.imageConfig;
    const after = evaluateWorkload(input!);
    expect(after.containers[0]!.checks.find((c) => c.checkId === "run-as-non-root")?.status).toBe("pass");
    expect(after.podSecurity?.restricted.violations).not.toContain("runAsNonRoot");

    const uid = evaluateWorkload(workloads.find((w) => w.workload.name === "uid")!);
    const uidFix = parse(
      uid.containers[0]!.checks.find((c) => c.checkId === "run-as-non-root")!.remediation!.kubernetesPatch!,
    );
    expect(JSON.stringify(uidFix)).toContain('"securityContext":{"runAsNonRoot":true}');

    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => !r.includes("registry.unlisted.test"))).toBe(true);
    inspector.close();

    // The next poll: the same digests cost no request; only the tag without a running pod is looked up again.
    requests.length = 0;
    const nextPoll = createImageInspector({ ...options, cache });
    const again: WorkloadInput[] = [];
    for await (const w of collectKubernetesWorkloads(
      targetFor(sim, ADMIN_TOKEN),
      newReport(),
      AbortSignal.timeout(60_000),
    ))
      again.push(w);
    await nextPoll.inspect(again);
    nextPoll.close();
    const refused = (r: string) => r.includes("/private/env-secret/") || r.endsWith("/token");
    expect(requests.filter((r) => !refused(r))).toEqual([`HEAD ${fleet.plain.host}/v2/public/multi/manifests/1`]);
  });
});
