import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DockerContainerFacts } from "@/lib/domain/facts";
import { lineOfField } from "@/lib/domain/facts";
import { evaluateWorkload } from "@/lib/evaluate";
import { composeLine, composeValue, isComposeDocument, parseComposeDocument } from "./compose";
import { readInputs } from "./read";

const BUILD = path.join(import.meta.dirname, "testdata/build");
const COMPOSE = path.join(BUILD, "compose.yaml");
const composeLines = readFileSync(COMPOSE, "utf8").split("\n");

function statusOf(result: Awaited<ReturnType<typeof readInputs>>, service: string, checkId: string) {
  const input = result.workloads.find((w) => w.workload.name === service);
  const evaluation = input && evaluateWorkload(input);
  return evaluation?.containers[0]?.checks.find((c) => c.checkId === checkId);
}

describe("Compose files in rampart scan", () => {
  let result: Awaited<ReturnType<typeof readInputs>>;
  beforeAll(async () => {
    result = await readInputs([COMPOSE]);
  });

  it("judges each service with the Docker rules as a ComposeService of its project, source file#service", () => {
    expect(result.errors).toEqual([]);
    expect(result.workloads.map((w) => [w.workload, w.source])).toEqual([
      [{ platform: "docker", kind: "ComposeService", namespace: "shop", name: "api" }, `${COMPOSE}#api`],
      [{ platform: "docker", kind: "ComposeService", namespace: "shop", name: "worker" }, `${COMPOSE}#worker`],
    ]);
  });

  it("reads keys from merged anchors, and every key CHECKS.md lists stands for its docker run flag", () => {
    const expected: [string, string, string][] = [
      ["api", "read-only-root-filesystem", "pass"],
      ["api", "drop-all-capabilities", "pass"],
      ["api", "no-privilege-escalation", "pass"],
      ["api", "resource-limits", "pass"],
      ["api", "run-as-non-root", "pass"],
      ["api", "no-host-ports", "pass"],
      ["api", "image-pinned-by-digest", "pass"],
      ["api", "secrets-from-secret-store", "pass"],
      ["worker", "not-privileged", "fail"],
      ["worker", "no-host-namespaces", "fail"],
      ["worker", "no-container-runtime-socket", "fail"],
      ["worker", "no-host-ports", "fail"],
      ["worker", "image-tag-not-mutable", "fail"],
      ["worker", "run-as-non-root", "fail"],
      ["worker", "resource-limits", "fail"],
      ["worker", "secrets-from-secret-store", "fail"],
    ];
    for (const [service, checkId, status] of expected)
      expect(statusOf(result, service, checkId)?.status, `${service} ${checkId}`).toBe(status);
  });

  it("blames the literal in the file, not a ${VAR} reference, and never shows the value", () => {
    const check = statusOf(result, "worker", "secrets-from-secret-store");
    expect(check?.message).toContain("STRIPE_API_KEY");
    expect(JSON.stringify(check)).not.toContain("Compose-Planted-Secret-3141");
    const worker = result.workloads.find((w) => w.workload.name === "worker")?.containers[0] as DockerContainerFacts;
    expect(worker.container.Config.Env).toContain("SMTP_PASSWORD");
  });

  it("points each result at the line of the Compose key that sets it", () => {
    const worker = result.workloads.find((w) => w.workload.name === "worker")?.containers[0];
    const line = (fieldPath: string) => composeLines[(lineOfField(worker!, fieldPath) ?? 0) - 1]?.trim();
    expect(line("HostConfig.Privileged")).toBe("privileged: true");
    expect(line("HostConfig.NetworkMode")).toBe("network_mode: host");
    expect(line("Mounts[0].Source")).toBe("- /var/run/docker.sock:/var/run/docker.sock");
    expect(line("Config.Env[1]")).toBe("- STRIPE_API_KEY=Compose-Planted-Secret-3141");
    expect(line('HostConfig.PortBindings["9090/tcp"][0].HostIp')).toBe("ports:");
    expect(line("Config.User")).toBe("worker:");
  });
});

describe("Compose documents", () => {
  it("are told by a services map of objects, not by a Kubernetes kind", () => {
    expect(isComposeDocument({ services: { web: { image: "x" }, db: null } })).toBe(true);
    expect(isComposeDocument({ services: { web: "x" } })).toBe(false);
    expect(isComposeDocument({ services: {} })).toBe(false);
    expect(isComposeDocument({ kind: "Thing", services: { web: {} } })).toBe(false);
  });

  it("keep comments and give key lines through the document API (for rampart fix)", () => {
    const compose = parseComposeDocument("# stack\nservices:\n  web:\n    image: nginx # pinned later\n");
    expect(composeLine(compose, ["services", "web", "image"])).toBe(4);
    compose.document.setIn(["services", "web", "read_only"], true);
    expect(String(compose.document)).toContain("image: nginx # pinned later\n    read_only: true");
  });

  it("refuse an alias bomb instead of expanding it", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(", ")}]`,
      );
    bomb.push("services:\n  web:\n    image: nginx\n    labels: *i");
    expect(composeValue(parseComposeDocument(bomb.join("\n")))).toBeInstanceOf(Error);
  });
});

describe("hostile Compose files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "rampart-compose-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function scanText(name: string, text: string) {
    const file = path.join(dir, name);
    await writeFile(file, text);
    return { file, result: await readInputs([file]) };
  }

  it("reports malformed YAML by line without quoting it", async () => {
    const { result } = await scanText("compose.yaml", 'services:\n  web:\n    image: "Unclosed-Secret-7777\n');
    expect(result.workloads).toEqual([]);
    expect(result.errors[0]?.message).toMatch(/invalid YAML/);
    expect(JSON.stringify(result.errors)).not.toContain("Unclosed-Secret-7777");
  });

  it("reports a key of the wrong type for that service and judges the others", async () => {
    const { file, result } = await scanText(
      "docker-compose.yml",
      "services:\n  bad:\n    privileged: [yes]\n    environment: {TOKEN: {nested: Nested-Secret-5555}}\n  good:\n    image: nginx:1.27\n",
    );
    expect(result.workloads.map((w) => w.workload.name)).toEqual(["good"]);
    expect(result.errors.map((e) => [e.source, e.field])).toEqual([
      [`${file}#bad`, "services.bad.privileged"],
      [`${file}#bad`, "services.bad.environment"],
    ]);
    expect(JSON.stringify(result.errors)).not.toContain("Nested-Secret-5555");
  });

  it("refuses an alias bomb in a Compose file", async () => {
    const levels = ["x0: &x0 [a, a, a, a, a, a, a, a, a, a]"];
    for (let i = 1; i < 8; i++)
      levels.push(
        `x${i}: &x${i} [${Array(10)
          .fill(`*x${i - 1}`)
          .join(", ")}]`,
      );
    const { result } = await scanText("bomb.yaml", `${levels.join("\n")}\nservices:\n  web:\n    labels: *x7\n`);
    expect(result.workloads).toEqual([]);
    expect(result.errors[0]?.message).toMatch(/aliases/);
  });

  it("judges a build-only service by the image Compose builds for it, <project>-<service>", async () => {
    const { result } = await scanText("compose.yaml", "name: Shop\nservices:\n  web:\n    build: .\n");
    expect(result.workloads[0]?.containers[0]?.image).toBe("shop-web");
    expect(statusOf(result, "web", "image-tag-not-mutable")?.message).toContain('"shop-web" has no tag');
  });

  it("reads a 10,000-service file", async () => {
    const services = Array.from(
      { length: 10_000 },
      (_, i) => `  s${i}:\n    image: app:${i}\n    privileged: ${i % 2 === 0}\n`,
    );
    const { result } = await scanText("compose.yml", `services:\n${services.join("")}`);
    expect(result.errors).toEqual([]);
    expect(result.workloads).toHaveLength(10_000);
    expect(statusOf(result, "s2", "not-privileged")?.status).toBe("fail");
    expect(statusOf(result, "s3", "not-privileged")?.status).toBe("pass");
  });
});
