import { copyFile, mkdir, mkdtemp, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateFacts } from "@/lib/checks/define-check";
import { networkIsolation } from "@/lib/checks/definitions/network-isolation";
import type { ContainerFacts, InputError } from "@/lib/domain/facts";
import { MAX_FILE_BYTES, readInputs, readRegularFile, type ReadInputsResult } from "./read";

const MALFORMED = path.join(import.meta.dirname, "testdata/malformed");
const REALISTIC = path.join(import.meta.dirname, "testdata/realistic");

// file, document index (undefined: the file as a whole), field (undefined: no field), words of the message
const CASES: [string, number | undefined, string | undefined, string][] = [
  ["01-bad-indentation.yaml", 0, undefined, "invalid YAML"],
  ["02-tabs.yaml", 0, undefined, "Tabs are not allowed as indentation at line 4"],
  ["03-unclosed-quote.yaml", 0, undefined, "Missing closing"],
  ["04-invalid.json", 0, undefined, "invalid JSON"],
  [
    "05-privileged-string.yaml",
    0,
    "spec.template.spec.containers[0].securityContext.privileged",
    "expected boolean, got string",
  ],
  ["06-containers-null.yaml", 0, "spec.containers", "expected array, got null"],
  ["07-containers-not-list.yaml", 0, "spec.template.spec.containers", "expected array, got object"],
  ["08-container-without-name.yaml", 0, "spec.template.spec.containers[1].name", "required"],
  ["09-container-without-image.yaml", 0, "spec.template.spec.initContainers[0].image", "required"],
  ["10-run-as-user-string.yaml", 0, "spec.securityContext.runAsUser", "got string"],
  [
    "11-capabilities-add-string.yaml",
    0,
    "spec.template.spec.containers[0].securityContext.capabilities.add",
    "expected array, got string",
  ],
  ["12-env-as-map.yaml", 0, "spec.template.spec.containers[0].env", "expected array, got object"],
  ["13-host-network-string.yaml", 0, "spec.template.spec.hostNetwork", "expected boolean, got string"],
  ["14-kind-missing.yaml", 0, "kind", "required"],
  ["15-api-version-missing.yaml", 0, "apiVersion", "required"],
  ["16-metadata-missing-name.yaml", 0, "metadata.name", "required"],
  [
    "17-list-broken-item.yaml",
    0,
    "items[1].spec.template.spec.containers[0].ports[0].containerPort",
    "expected number, got string",
  ],
  ["18-binary.yaml", undefined, undefined, "binary"],
  ["19-empty.yaml", undefined, undefined, "empty"],
  ["20-scalar-document.yaml", 0, undefined, "expected an object, got string"],
  ["21-cronjob-without-job-template.yaml", 0, "spec.jobTemplate", "required"],
  ["22-docker-host-config-null.json", 1, "HostConfig", "expected object, got null"],
  [
    "23-secret-env-bad-document.yaml",
    0,
    "spec.template.spec.containers[0].env[1].value",
    "expected string, got object",
  ],
  ["24-secret-in-broken-yaml.yaml", 0, undefined, "Missing closing"],
  ["25-json-array-bad-element.json", 1, "spec.volumes[0].hostPath.path", "expected string, got number"],
  ["26-alias-bomb.yaml", 0, undefined, "aliases"],
  ["27-duplicate-keys.yaml", 0, undefined, "unique at line 9"],
  ["28-items-not-list.yaml", 0, "items", "expected array, got object"],
];

const SECRETS = [
  "Map-Env-Secret-5521",
  "Docker-Env-Secret-9034",
  "Bad-Doc-Secret-4417",
  "Nested-Env-Secret-8810",
  "Yaml-Broken-Secret-6620",
];

function errorsOf(result: ReadInputsResult, file: string): InputError[] {
  const full = path.join(MALFORMED, file);
  return result.errors.filter((e) => e.source === full || e.source.startsWith(`${full}#`));
}

describe("readInputs on the malformed corpus", () => {
  let result: ReadInputsResult;
  beforeAll(async () => {
    result = await readInputs([MALFORMED]);
  });

  it.each(CASES)("%s: an error naming document %s and field %s", (file, document, field, words) => {
    const errors = errorsOf(result, file);
    const error = field === undefined ? errors[0] : errors.find((e) => e.field === field);
    const sourceSuffix = document === undefined ? file : `${file}#${document}`;
    expect(error?.source).toBe(path.join(MALFORMED, sourceSuffix));
    expect(error?.document).toBe(document);
    expect(error?.field).toBe(field);
    expect(error?.message).not.toContain(field ?? "\u0000");
    expect(error?.message).toContain(words);
    expect(errors.every((e) => e.source === error?.source)).toBe(true);
  });

  it("covers every malformed file, and only the files meant to be valid have no error", () => {
    const files = readdirNames(MALFORMED);
    const withoutError = files.filter((f) => errorsOf(result, f).length === 0);
    expect(files).toEqual(expect.arrayContaining(CASES.map(([f]) => f)));
    expect(withoutError).toEqual(["29-non-workload-kinds.yaml"]);
  });

  it("never puts a secret value from the inputs into an error", () => {
    const serialized = JSON.stringify(result.errors);
    for (const secret of SECRETS) {
      expect(readFileSync(path.join(MALFORMED, fileHolding(secret)), "utf8")).toContain(secret);
      expect(serialized).not.toContain(secret);
    }
  });

  it("still reads the valid documents beside the broken ones", () => {
    const read = result.workloads.map((w) => `${path.basename(w.source)} ${w.workload.name}`);
    expect(read.sort()).toEqual([
      "01-bad-indentation.yaml#1 valid-neighbour",
      "05-privileged-string.yaml#1 valid-neighbour",
      "08-container-without-name.yaml#0 nameless",
      "09-container-without-image.yaml#0 imageless",
      "14-kind-missing.yaml#1 valid-neighbour",
      "17-list-broken-item.yaml#0 list-good",
      "20-scalar-document.yaml#1 valid-neighbour",
      "22-docker-host-config-null.json#0 healthy",
      "25-json-array-bad-element.json#0 array-good",
    ]);
  });

  it("judges the other containers of a pod whose container lacks a name or an image", () => {
    const containers = (name: string) =>
      result.workloads.find((w) => w.workload.name === name)?.containers.map((c) => `${c.name} ${c.image}`);
    expect(containers("nameless")).toEqual(["first app:1"]);
    expect(containers("imageless")).toEqual(["app app:1"]);
  });

  it("counts kinds it does not evaluate, a custom resource without spec included", () => {
    expect(result.skipped).toEqual({ CustomResourceDefinition: 1, Widget: 1 });
  });
});

function readdirNames(dir: string): string[] {
  return readdirSync(dir).sort();
}

function fileHolding(secret: string): string {
  const holder = CASES.map(([f]) => f).find((f) => readFileSync(path.join(MALFORMED, f)).includes(secret));
  if (!holder) throw new Error(`no test file holds ${secret.length} characters of that secret`);
  return holder;
}

describe("readInputs on realistic manifests", () => {
  let result: ReadInputsResult;
  beforeAll(async () => {
    result = await readInputs([REALISTIC]);
  });

  const byName = (name: string) => result.workloads.find((w) => w.workload.name === name);

  it("reads every workload without errors and skips the rest by kind", () => {
    expect(result.errors).toEqual([]);
    expect(result.workloads.map((w) => `${w.workload.kind}/${w.workload.name}`).sort()).toEqual([
      "ComposeService/web",
      "Container/cadvisor",
      "CronJob/nightly-backup",
      "DaemonSet/node-agent",
      "Deployment/checkout",
      "Deployment/notifier",
      "Deployment/storefront",
      "Job/schema-migrate-42",
      "Pod/netshoot-debug",
      "Pod/redis-cache-0",
      "ReplicationController/legacy-api",
      "StatefulSet/ledger-db",
    ]);
    expect(result.skipped).toEqual({
      ConfigMap: 1,
      Service: 3,
      HorizontalPodAutoscaler: 1,
      ServiceAccount: 1,
      NetworkPolicy: 1,
    });
    expect(result.documents).toBe(19);
  });

  it("lists workloads in the order of files and documents, Kubernetes and Docker alike", () => {
    const sources = result.workloads.map((w) => w.source);
    const key = (s: string) => [s.replace(/#\d+$/, ""), Number(s.split("#")[1])] as const;
    const sorted = sources.toSorted((a, b) => key(a)[0].localeCompare(key(b)[0]) || key(a)[1] - key(b)[1]);
    expect(sources).toEqual(sorted);
    const names = result.workloads.map((w) => w.workload.name);
    expect(names.slice(names.indexOf("netshoot-debug"), names.indexOf("ledger-db") + 1)).toEqual([
      "netshoot-debug",
      "web",
      "cadvisor",
      "ledger-db",
    ]);
  });

  it("names each object's file and document, and List items by the List's document", () => {
    expect(byName("notifier")?.source).toBe(path.join(REALISTIC, "app-with-config.yaml#1"));
    expect(byName("legacy-api")?.source).toBe(path.join(REALISTIC, "list.yaml#0"));
    expect(byName("cadvisor")?.source).toBe(path.join(REALISTIC, "docker-inspect-compose.json#2"));
  });

  it("reads the API's typed lists, whose items carry no kind, with the running digest from the status", () => {
    const redis = byName("redis-cache-0");
    expect(redis?.workload).toEqual({ platform: "kubernetes", kind: "Pod", namespace: "cache", name: "redis-cache-0" });
    expect(redis?.containers[0]?.imageDigest).toBe(
      "sha256:5ee2b9c3f1e7a0d4c6b8a2e4f6d8c0b2a4e6f8d0c2b4a6e8f0d2c4b6a8e0f2d4",
    );
    expect(Object.keys(redis?.object ?? {}).slice(0, 2)).toEqual(["kind", "apiVersion"]);
  });

  it("gives 1-based lines of objects and containers", () => {
    const lines = readFileSync(path.join(REALISTIC, "web-deployment.yaml"), "utf8").split("\n");
    const storefront = byName("storefront");
    expect(lines[(storefront?.line ?? 0) - 1]).toBe("apiVersion: apps/v1");
    expect(lines[(storefront?.containers[0]?.line ?? 0) - 1]).toBe("        - name: web");
    const list = readFileSync(path.join(REALISTIC, "list.yaml"), "utf8").split("\n");
    expect(list[(byName("legacy-api")?.containers[0]?.line ?? 0) - 1]).toBe("            - name: api");
    const json = readFileSync(path.join(REALISTIC, "docker-inspect-compose.json"), "utf8").split("\n");
    const cadvisor = byName("cadvisor")?.containers[0];
    expect(json[(cadvisor?.line ?? 0) - 1]).toBe("    {");
    expect(json[cadvisor?.line ?? 0]).toContain("c0ffee00");
  });

  it("gives workloads the NetworkPolicies of their namespace and the automount of their ServiceAccount", () => {
    const web = byName("storefront")?.containers[0];
    const db = byName("ledger-db")?.containers[0];
    const agent = byName("node-agent")?.containers[0];
    expect(web?.platform === "kubernetes" && web.networkPolicies).toMatchObject({
      value: [{ metadata: { name: "storefront-from-ingress" } }],
    });
    expect(agent?.platform === "kubernetes" && agent.networkPolicies).toEqual({ value: [] });
    expect(db?.platform === "kubernetes" && db.serviceAccountAutomount).toBe(false);
  });

  it("groups the Compose replicas and leaves image and daemon data out when reading files", () => {
    const web = byName("web");
    expect(web?.containers.map((c) => c.name)).toEqual(["shop-web-1", "shop-web-2"]);
    const [first] = web?.containers ?? [];
    expect(first?.platform === "docker" && [first.imageInspect, first.info, first.networks]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("readInputs on paths that cannot be read", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "rampart-read-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reports a missing path and still reads the others", async () => {
    const missing = path.join(dir, "nope.yaml");
    const result = await readInputs([missing, path.join(REALISTIC, "debug-pod.yaml")]);
    expect(result.errors).toEqual([{ source: missing, message: "cannot read: ENOENT" }]);
    expect(result.workloads.map((w) => w.workload.name)).toEqual(["netshoot-debug"]);
  });

  it("refuses a file over the size cap without reading it", async () => {
    const huge = path.join(dir, "huge.yaml");
    await writeFile(huge, "kind: Pod\n");
    await truncate(huge, MAX_FILE_BYTES + 1);
    const result = await readInputs([huge]);
    expect(result.errors).toEqual([{ source: huge, message: "file is larger than 20 MB" }]);
    expect(result.documents).toBe(0);
  });

  it("walks nested directories for manifests only, but reads a file named directly whatever its extension", async () => {
    const nested = path.join(dir, "tree", "a", "b");
    await mkdir(nested, { recursive: true });
    await copyFile(path.join(REALISTIC, "migrate-job.yaml"), path.join(nested, "job.yml"));
    await copyFile(path.join(REALISTIC, "debug-pod.yaml"), path.join(nested, "pod.txt"));
    const walked = await readInputs([path.join(dir, "tree")]);
    expect(walked.workloads.map((w) => w.workload.name)).toEqual(["schema-migrate-42"]);
    const named = await readInputs([path.join(nested, "pod.txt")]);
    expect(named.workloads.map((w) => w.source)).toEqual([`${path.join(nested, "pod.txt")}#0`]);
  });

  it("reads only regular files: a link to /dev/zero and a FIFO are refused, named or in a directory, without hanging", async () => {
    const tree = path.join(dir, "devices");
    await mkdir(tree);
    await copyFile(path.join(REALISTIC, "debug-pod.yaml"), path.join(tree, "pod.yaml"));
    await symlink("/dev/zero", path.join(tree, "zero.yaml"));
    execFileSync("mkfifo", [path.join(tree, "pipe.yaml")]);
    const before = process.memoryUsage().rss;
    const walked = await readInputs([tree]);
    expect(walked.errors).toEqual([{ source: path.join(tree, "zero.yaml"), message: "not a regular file" }]);
    expect(walked.workloads.map((w) => w.workload.name)).toEqual(["netshoot-debug"]);
    const named = await readInputs([path.join(tree, "zero.yaml"), path.join(tree, "pipe.yaml")]);
    expect(named.errors.map((e) => `${path.basename(e.source)} ${e.message}`)).toEqual([
      "zero.yaml not a regular file",
      "pipe.yaml not a regular file",
    ]);
    expect(process.memoryUsage().rss - before).toBeLessThan(MAX_FILE_BYTES);
  });

  it("applies the size cap while reading, whatever size the file reports (/proc files report 0)", async () => {
    expect(readFileSync("/proc/self/status").length).toBeGreaterThan(16);
    expect(await readRegularFile("/proc/self/status", 16)).toBe("too-large");
    expect(((await readRegularFile("/proc/self/status", 1 << 20)) as Buffer).toString()).toContain("Name:");
  });

  it("warns about two objects with one kind/namespace/name, naming both files; evidence names the policy's file", async () => {
    const tree = path.join(dir, "duplicates");
    await mkdir(tree);
    const policy = (app: string) =>
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: ${app}}}\n  policyTypes: [Ingress]\n`;
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec:\n  containers: [{name: web, image: web:1}]\n`;
    await writeFile(path.join(tree, "a-policy.yaml"), policy("other"));
    await writeFile(path.join(tree, "b-team.yaml"), `${policy("web")}---\n${pod}`);
    const result = await readInputs([tree]);
    const [a, b] = [path.join(tree, "a-policy.yaml#0"), path.join(tree, "b-team.yaml#0")];
    expect(result.warnings).toEqual([
      `NetworkPolicy/shop/deny is defined in both ${a} and ${b}: the later one is used, as kubectl apply leaves it`,
    ]);
    const web = result.workloads[0]?.containers[0];
    expect(web?.platform === "kubernetes" && web.networkPolicies).toMatchObject({ value: [{ source: b }] });
    const outcome = evaluateFacts(networkIsolation, web as ContainerFacts);
    expect(outcome).toMatchObject({ status: "pass" });
    expect(outcome.message).toContain(`deny (${b})`);
  });

  it("reports a directory entry it cannot read and reads the rest of the tree", async () => {
    const tree = path.join(dir, "links");
    await mkdir(tree);
    await copyFile(path.join(REALISTIC, "debug-pod.yaml"), path.join(tree, "pod.yaml"));
    await symlink(path.join(dir, "gone.yaml"), path.join(tree, "dangling.yaml"));
    const result = await readInputs([tree]);
    expect(result.errors).toEqual([{ source: path.join(tree, "dangling.yaml"), message: "cannot read: ENOENT" }]);
    expect(result.workloads.map((w) => w.workload.name)).toEqual(["netshoot-debug"]);
  });
});
