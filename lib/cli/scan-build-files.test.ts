import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CHECKS } from "@/lib/checks/registry";
import { run } from "./commands/scan";
import { scanOutputSchema } from "./output/schema";
import { runCommand } from "./testing/run-command";

// `rampart scan` on a directory holding a Compose file, a Dockerfile and the .env the Dockerfile copies.

const BUILD = path.join(import.meta.dirname, "../manifests/testdata/build");
const PLANTED = [
  "Compose-Planted-Secret-3141",
  "Dockerfile-Planted-Secret-2718",
  "Dockerfile-Env-Secret-1618",
  "Dotenv-Planted-Secret-1414",
];
const scan = (...argv: string[]) => runCommand(run, [...argv, BUILD]);
const fileLines = (name: string) => readFileSync(path.join(BUILD, name), "utf8").split("\n");

describe("rampart scan of Compose files and Dockerfiles", () => {
  it("finds the planted secrets and prints none of them in any format, on stdout or stderr", async () => {
    for (const planted of PLANTED.slice(0, 3))
      expect(fileLines("compose.yaml").join("\n") + fileLines("Dockerfile").join("\n")).toContain(planted);
    expect(fileLines(".env").join("\n")).toContain(PLANTED[3]);
    for (const format of ["table", "json", "sarif"]) {
      const { code, stdout, stderr } = await scan("--format", format);
      expect(code, format).toBe(1);
      for (const planted of PLANTED) expect(stdout + stderr, `${format} ${planted}`).not.toContain(planted);
    }
  });

  it("prints the contract's platform, kind and source for both kinds of file, every check for every container", async () => {
    const { stdout } = await scan("--format", "json");
    const output = scanOutputSchema.parse(JSON.parse(stdout));
    expect(output.results.map((r) => [r.platform, r.workload.kind, path.relative(BUILD, r.source)])).toEqual([
      ["docker", "ComposeService", "compose.yaml#api"],
      ["docker", "ComposeService", "compose.yaml#worker"],
      ["dockerfile", "Dockerfile", "Dockerfile"],
    ]);
    const dockerfile = output.results[2]?.containers[0]?.checks ?? [];
    expect(dockerfile.map((c) => c.id)).toEqual(CHECKS.map((c) => c.id));
    const judged = dockerfile.filter((c) => c.status !== "not-applicable").map((c) => `${c.id} ${c.status}`);
    expect(judged).toEqual([
      "run-as-non-root fail",
      "image-pinned-by-digest fail",
      "no-secrets-in-image fail",
      "image-tag-not-mutable pass",
    ]);
    const secrets = dockerfile.find((c) => c.id === "no-secrets-in-image");
    expect(secrets?.message).toBe("ARG at line 4: NPM_TOKEN has a literal value and a secret-like name (rule TOKEN)");
    expect(secrets?.remediation?.dockerfile).toEqual([
      "line 4: remove the ARG instruction",
      "line 14: ENV NODE_ENV=production",
      "line 16: remove the COPY instruction",
    ]);
    const worker = output.results[1]?.containers[0]?.checks.find((c) => c.id === "not-privileged");
    expect(worker?.remediation?.compose).toContain("privileged: false");
  });

  it("puts SARIF results at the offending line of each file", async () => {
    const { stdout } = await scan("--format", "sarif");
    const results = JSON.parse(stdout).runs[0].results as {
      ruleId: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
    }[];
    const lineOf = (uri: string, ruleId: string) => {
      const found = results.find(
        (r) => r.ruleId === ruleId && r.locations[0]?.physicalLocation.artifactLocation.uri.endsWith(uri),
      );
      return fileLines(uri)[(found?.locations[0]?.physicalLocation.region.startLine ?? 0) - 1]?.trim();
    };
    expect(lineOf("Dockerfile", "no-secrets-in-image")).toBe("ARG NPM_TOKEN=Dockerfile-Planted-Secret-2718");
    expect(lineOf("Dockerfile", "image-pinned-by-digest")).toBe("FROM ${BASE} AS build");
    expect(lineOf("Dockerfile", "run-as-non-root")).toBe("FROM node:22-alpine");
    expect(lineOf("compose.yaml", "not-privileged")).toBe("privileged: true");
    expect(lineOf("compose.yaml", "no-container-runtime-socket")).toBe("- /var/run/docker.sock:/var/run/docker.sock");
    expect(lineOf("compose.yaml", "secrets-from-secret-store")).toBe("- STRIPE_API_KEY=Compose-Planted-Secret-3141");
  });
});
