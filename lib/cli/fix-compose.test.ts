import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateWorkload } from "@/lib/evaluate";
import { readInputs } from "@/lib/manifests/read";
import { run } from "./commands/fix";
import { runCommand } from "./testing/run-command";

// `rampart fix` on Compose files: every fixable failure closed in the file (re-scanned), nothing that passed
// fails, the user's list entries kept, and no environment value printed.

const ROOT = path.resolve(import.meta.dirname, "../..");
const FIXTURE = path.join(import.meta.dirname, "testdata", "fix-compose", "compose.yaml");
const COMPOSE_FILES = [FIXTURE, "lib/manifests/testdata/build/compose.yaml", "deploy/compose/compose.yaml"];
const PLANTED = [
  "fix-compose-planted-password-7731",
  "fix-compose-planted-url-5512",
  "fix-compose-planted-db-9043",
  "Compose-Planted-Secret-3141",
];
/** What no edit of the file can close: the registry digest is not known offline. */
const BEYOND_A_FILE = new Set(["image-pinned-by-digest", "image-tag-not-mutable"]);
const fix = (...argv: string[]) => runCommand(run, argv);
const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function copyOf(file: string, name = "compose.yaml"): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "rampart-fix-compose-"));
  made.push(dir);
  await cp(path.resolve(ROOT, file), path.join(dir, name));
  return path.join(dir, name);
}

async function judge(file: string): Promise<Map<string, string>> {
  const read = await readInputs([file]);
  expect(read.errors).toEqual([]);
  const statuses = new Map<string, string>();
  for (const input of read.workloads)
    for (const container of evaluateWorkload(input).containers)
      for (const result of container.checks) statuses.set(`${container.name} ${result.checkId}`, result.status);
  return statuses;
}

describe("rampart fix --write on Compose files, then rampart scan", () => {
  const tally: Record<string, number> = {};
  afterAll(() => console.info(`Compose failures closed by fix --write: ${JSON.stringify(tally)}`));

  for (const file of COMPOSE_FILES) {
    it(`closes every fixable failure of ${path.basename(path.dirname(file))}/${path.basename(file)}`, async () => {
      const copy = await copyOf(file);
      const before = await judge(copy);
      const { code, stderr } = await fix("--write", copy);
      const after = await judge(copy);
      const failingBefore = [...before].filter(([, s]) => s === "fail").map(([key]) => key);
      // Seccomp on a file can only become not-evaluated: whether the daemon supports it is not in the file.
      const stillFailing = failingBefore.filter((key) => after.get(key) === "fail");
      const broken = [...before].filter(([key, s]) => s === "pass" && after.get(key) !== "pass");
      expect(broken).toEqual([]);
      expect(stillFailing.filter((key) => !BEYOND_A_FILE.has(key.split(" ")[1] as string))).toEqual([]);
      // Exactly what is left is listed, and the exit code says so.
      for (const key of stillFailing) expect(stderr).toContain(` ${key}:`);
      expect(code).toBe(stillFailing.length > 0 ? 1 : 0);
      tally[file] = failingBefore.length - stillFailing.length;
      const { stdout: again } = await fix("--diff", copy);
      expect(again, "a fixed file needs no more fixing").toBe("");
    });
  }
});

describe("rampart fix on a commented Compose file", () => {
  it("changes only the lines of the fix, in place, keeping the comment on the line", async () => {
    const { code, stdout } = await fix("--diff", "--check", "no-host-ports", FIXTURE);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `--- ${FIXTURE}`,
        `+++ ${FIXTURE}`,
        "@@ -16,7 +16,7 @@",
        '     image: "traefik:v3.1" # pinned by tag for now',
        '     command: ["--providers.docker=true", "--entrypoints.web.address=:80"]',
        "     ports:",
        '-      - "80:80"        # public',
        "+      - 127.0.0.1:80:80        # public",
        "       - 127.0.0.1:8080:8080 # dashboard, local only",
        "     volumes:",
        "       # The proxy discovers containers through the socket.",
        "",
      ].join("\n"),
    );
  });

  it("keeps the user's list entries, comments and anchors; takes out only what a fix names", async () => {
    const copy = await copyOf(FIXTURE);
    const original = await readFile(copy, "utf8");
    expect((await fix("--write", copy)).code).toBe(1);
    const fixed = await readFile(copy, "utf8");
    const lines = fixed.split("\n");
    // Every original line is still there but those a fix had to change.
    expect(original.split("\n").filter((line) => !lines.includes(line))).toEqual([
      '      - "80:80"        # public',
      "      - /var/run/docker.sock:/var/run/docker.sock:ro",
      "    cap_add: [NET_BIND_SERVICE, SYS_ADMIN]",
      "      - seccomp:unconfined",
      '      BLOG_DB_PASSWORD: "fix-compose-planted-password-7731"',
      "      BLOG_SMTP_URL: smtp://mailer:fix-compose-planted-url-5512@mail.example.com:587",
      "      - type: bind",
      "        source: /etc",
      "        target: /host-etc",
      "    cap_add:",
      "      - CHOWN # uploads are chowned on start",
      "      - NET_ADMIN",
      "      - POSTGRES_PASSWORD=fix-compose-planted-db-9043",
    ]);
    for (const kept of [
      "      - ./traefik:/etc/traefik:ro",
      "    cap_add: [NET_BIND_SERVICE]",
      "      - label:disable",
      "      - /etc:/host-etc:ro",
      "    mem_limit: 1g",
      "x-debug: &debug # shared by services we still debug in place",
      "  privileged: true",
    ])
      expect(lines).toContain(kept);
    for (const planted of PLANTED) expect(fixed).not.toContain(planted);
    // The anchor shared by `<<` is left alone: the service overrides what it merged in.
    expect(fixed).toMatch(/ {2}blog:\n {4}<<: \[\*logging, \*debug\]\n[\s\S]*? {4}privileged: false\n {4}pid: null\n/);
    expect(fixed).toContain("secrets:\n  blog-db-password:\n    file: ./secrets/blog-db-password\n");
  });

  it("never prints an environment value in a diff: removed, kept beside a change, or rewritten from an alias", async () => {
    const withAlias = (await readFile(FIXTURE, "utf8"))
      .replace(
        "x-logging: &logging",
        "x-env: &env\n  - SHARED_TOKEN=fix-compose-planted-alias-6620\nx-logging: &logging",
      )
      .replace("      - POSTGRES_USER=blog\n      - POSTGRES_PASSWORD=fix-compose-planted-db-9043\n", "")
      .replace("    environment:\n    volumes:\n      - dbdata", "    environment: *env\n    volumes:\n      - dbdata");
    const file = await copyOf(FIXTURE);
    await writeFile(file, withAlias);
    expect(withAlias).toContain("environment: *env");
    for (const argv of [
      ["--diff"],
      ["--diff", "--check", "secrets-from-secret-store"],
      ["--diff", "--check", "run-as-non-root"],
    ]) {
      const { stdout, stderr } = await fix(...argv, file);
      expect(stdout).toContain("@@");
      for (const planted of [...PLANTED, "fix-compose-planted-alias-6620"]) {
        expect(stdout).not.toContain(planted);
        expect(stderr).not.toContain(planted);
      }
    }
    expect((await fix("--diff", file)).stdout).toContain("+      - SHARED_TOKEN_FILE=<value not shown>\n");
    const { stdout } = await fix("--diff", FIXTURE);
    expect(stdout).toContain("-      - POSTGRES_PASSWORD=<value not shown>");
    expect(stdout).toContain("+      - POSTGRES_PASSWORD_FILE=<value not shown>");
  });
});

describe("rampart fix on hostile Compose input", () => {
  it("refuses an alias bomb with exit 2, naming the file, and writes nothing", async () => {
    const copy = await copyOf(path.join(import.meta.dirname, "testdata", "fix-compose", "bomb.yaml"), "compose.yaml");
    const original = await readFile(copy, "utf8");
    const { code, stdout, stderr } = await fix("--write", copy);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(copy);
    expect(await readFile(copy, "utf8")).toBe(original);
  });

  it("fixes one service and reports another that is not a map, by file and service", async () => {
    const copy = await copyOf(FIXTURE);
    await writeFile(
      copy,
      "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n  bad:\n    image: [1, 2]\n",
    );
    const { code, stderr } = await fix("--write", "--check", "not-privileged", copy);
    expect(code).toBe(2);
    expect(stderr).toMatch(/compose\.yaml.*bad/);
    expect(await readFile(copy, "utf8")).toContain("    privileged: false\n");
  });
});
