import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { DockerContainerFacts } from "@/lib/domain/facts";
import {
  hardenRun,
  isRunSpec,
  rebuildRunFlags,
  renderComposeService,
  renderDockerRun,
  runSpecOf,
  SECRET_ARGUMENT,
  secretFreeArguments,
} from "./docker-run";
import { combineDockerFixes, type ContainerFix } from "./combined";

const HOSTILE = `it's "$(touch /tmp/pwned)" \`id\`\nline two; rm -rf /`;
const SECRET = "planted-value-Xk29";

function facts(): DockerContainerFacts {
  return {
    platform: "docker",
    workload: { platform: "docker", kind: "Container", namespace: "", name: "web" },
    name: "web",
    image: "nginx:1.27",
    source: "unix:///var/run/docker.sock",
    imageInspect: { Id: "sha256:1", RepoDigests: [`nginx@sha256:${"a".repeat(64)}`], Config: { Env: ["PATH=/bin"] } },
    container: {
      Id: "abc",
      Name: "/web",
      Image: "sha256:1",
      Config: {
        Image: "nginx:1.27",
        User: "root",
        Env: ["PATH=/bin", `DB_PASSWORD=${SECRET}`, `GREETING=${SECRET}`],
        Labels: { team: HOSTILE, "com.docker.compose.project": "shop" },
        Entrypoint: ["/docker-entrypoint.sh"],
        Cmd: ["nginx", "-g", "daemon off;"],
      },
      HostConfig: {
        Privileged: true,
        CapAdd: ["SYS_ADMIN"],
        NetworkMode: "bridge",
        PortBindings: {
          "80/tcp": [{ HostIp: "", HostPort: "8080" }],
          "443/tcp": [{ HostIp: "10.0.0.5", HostPort: "8443" }],
          // An address with a port Docker chooses: `IP::PORT` (`IP:PORT` would read as host port IP, container PORT).
          "9000/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }],
          "9001/tcp": [{ HostIp: "::1", HostPort: "" }],
          "53/udp": [{ HostIp: "", HostPort: "5353" }],
        },
        RestartPolicy: { Name: "on-failure", MaximumRetryCount: 3 },
      },
      Mounts: [
        { Type: "bind", Source: "/srv/www", Destination: "/usr/share/nginx/html", RW: false },
        {
          Type: "volume",
          Name: "cache",
          Source: "/var/lib/docker/volumes/cache/_data",
          Destination: "/cache",
          RW: true,
        },
      ],
    },
  };
}

/** The words a POSIX shell reads from the rendered command. */
function shellWords(command: string): string[] {
  const out = execFileSync("sh", ["-c", `set -- ${command.replace(/^docker run -d/, "")}; printf '%s\\0' "$@"`]);
  return out.toString().split("\0").slice(0, -1);
}

describe("the whole docker run command", () => {
  const run = rebuildRunFlags(facts());

  it("is rebuilt from the inspect: image by digest, entrypoint and command, mounts, ports at their address, restart, labels, env by name", () => {
    expect(run.image).toBe(`nginx@sha256:${"a".repeat(64)}`);
    expect(run.command).toEqual(["nginx", "-g", "daemon off;"]);
    expect(run.flags).toEqual([
      "--name=web",
      "--user=root",
      "--privileged",
      "--cap-add=SYS_ADMIN",
      "--network=bridge",
      "--publish=8080:80",
      "--publish=10.0.0.5:8443:443",
      "--publish=127.0.0.1::9000",
      "--publish=[::1]::9001",
      "--publish=5353:53/udp",
      "--volume=/srv/www:/usr/share/nginx/html:ro",
      "--volume=cache:/cache",
      "--restart=on-failure:3",
      `--label=team=${HOSTILE}`,
      "--env=DB_PASSWORD",
      "--env=GREETING",
      "--entrypoint=/docker-entrypoint.sh",
    ]);
  });

  it("takes out what the fixes remove, puts in what they add, and replaces one-value flags", () => {
    const hardened = hardenRun(run, [
      { remove: ["--privileged"], add: [] },
      { remove: ["--cap-add=CAP_SYS_ADMIN"], add: ["--cap-drop=ALL"] },
      { remove: [], add: ["--user=10001:10001", "--read-only", "--tmpfs=/tmp"] },
      { remove: ["--env=DB_PASSWORD"], add: ["--env=DB_PASSWORD_FILE=/run/secrets/db-password"] },
    ]);
    expect(hardened.flags).not.toContain("--privileged");
    expect(hardened.flags).not.toContain("--cap-add=SYS_ADMIN");
    expect(hardened.flags).not.toContain("--user=root");
    expect(hardened.flags).not.toContain("--env=DB_PASSWORD");
    expect(hardened.flags).toEqual(
      expect.arrayContaining(["--user=10001:10001", "--cap-drop=ALL", "--read-only", "--tmpfs=/tmp", "--env=GREETING"]),
    );
  });

  it("quotes every word so the shell reads back exactly the flags, hostile label included, and never a value", () => {
    const command = renderDockerRun(run);
    expect(command).not.toContain(SECRET);
    expect(shellWords(command)).toEqual([...run.flags, run.image, ...run.command]);
  });

  it("renders the same configuration as one Compose service", () => {
    const compose = renderComposeService("web", hardenRun(run, [{ remove: [], add: ["--network=web-net"] }]));
    expect(compose).not.toContain(SECRET);
    expect(parse(compose)).toEqual({
      services: {
        web: {
          image: run.image,
          user: "root",
          privileged: true,
          cap_add: ["SYS_ADMIN"],
          networks: ["web-net"],
          ports: ["8080:80", "10.0.0.5:8443:443", "127.0.0.1::9000", "[::1]::9001", "5353:53/udp"],
          volumes: ["/srv/www:/usr/share/nginx/html:ro", "cache:/cache"],
          restart: "on-failure:3",
          labels: { team: HOSTILE },
          environment: ["DB_PASSWORD", "GREETING"],
          entrypoint: ["/docker-entrypoint.sh"],
          command: ["nginx", "-g", "daemon off;"],
        },
      },
      networks: { "web-net": { external: true } },
    });
  });

  it("shows no argument that looks like a secret, in any of its forms, and keeps the others", () => {
    const words = [
      "--db-password",
      SECRET,
      `--api-token=${SECRET}`,
      `PASSWORD=${SECRET}`,
      `postgres://app:${SECRET}@db/app`,
      "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
      "--password-file",
      "/run/secrets/db",
      "--port",
      "8080",
      "--verbose",
    ];
    expect(secretFreeArguments(words)).toEqual([
      "--db-password",
      SECRET_ARGUMENT,
      `--api-token=${SECRET_ARGUMENT}`,
      `PASSWORD=${SECRET_ARGUMENT}`,
      SECRET_ARGUMENT,
      SECRET_ARGUMENT,
      "--password-file",
      "/run/secrets/db",
      "--port",
      "8080",
      "--verbose",
    ]);
    const withSecrets = facts();
    withSecrets.container.Config.Entrypoint = ["/bin/app", "--token", SECRET];
    withSecrets.container.Config.Cmd = [`--api-key=${SECRET}`, "serve"];
    const spec = runSpecOf(withSecrets);
    expect(JSON.stringify(spec)).not.toContain(SECRET);
    expect(spec.flags).toContain("--entrypoint=/bin/app");
    expect(spec.command).toEqual(["--token", SECRET_ARGUMENT, `--api-key=${SECRET_ARGUMENT}`, "serve"]);
    expect(isRunSpec(JSON.parse(JSON.stringify(spec)))).toBe(true);
    expect(isRunSpec({ ...spec, networks: undefined })).toBe(false);
    expect(isRunSpec(null)).toBe(false);
  });

  it("joins further networks with docker network connect, and lists them all in the Compose service", () => {
    const onTwo = facts();
    onTwo.container.HostConfig.NetworkMode = "front-net";
    onTwo.container.NetworkSettings = { Networks: { "front-net": {}, ["it's $(id)"]: {}, bridge: {} } };
    const spec = runSpecOf(onTwo);
    expect(spec.flags).toContain("--network=front-net");
    expect(spec.networks).toEqual(["it's $(id)"]);
    const command = renderDockerRun(spec);
    const connect = command.split("\n").at(-1) ?? "";
    expect(connect.startsWith("docker network connect ")).toBe(true);
    expect(shellWords(connect.replace(/^docker network connect/, ""))).toEqual(["it's $(id)", "web"]);
    expect(parse(renderComposeService("web", spec)).services.web.networks).toEqual(["front-net", "it's $(id)"]);
  });

  it("keeps a user network a fix's --network replaced, and drops the default bridge the fix removes", () => {
    const onBridge = facts();
    onBridge.container.NetworkSettings = { Networks: { bridge: {}, "back-net": {} } };
    const fix = { remove: ["--network=bridge"], add: ["--network=web-net"] };
    const hardened = hardenRun(runSpecOf(onBridge), [fix]);
    expect(hardened.flags.filter((flag) => flag.startsWith("--network"))).toEqual(["--network=web-net"]);
    expect(hardened.networks).toEqual(["back-net"]);
    const onUserNet = facts();
    onUserNet.container.HostConfig.NetworkMode = "front-net";
    onUserNet.container.NetworkSettings = { Networks: { "front-net": {} } };
    expect(hardenRun(runSpecOf(onUserNet), [{ remove: [], add: ["--network=web-net"] }]).networks).toEqual([
      "front-net",
    ]);
    const compose = parse(renderComposeService("web", hardened));
    expect(compose.services.web.networks).toEqual(["web-net", "back-net"]);
    expect(compose.services.web.network_mode).toBeUndefined();
  });

  it("is the same command whatever order the fixes come in (evaluated, or read back from stored findings)", () => {
    const fix = (checkId: string, add: string[], remove: string[] = []): ContainerFix => ({
      container: "web",
      checkId,
      remediation: { summary: checkId, dockerRun: { add, remove } },
    });
    const fixes = [
      fix("not-privileged", [], ["--privileged"]),
      fix("no-privilege-escalation", ["--security-opt=no-new-privileges:true"]),
      fix("run-as-non-root", ["--user=10001:10001"]),
      fix("read-only-root-filesystem", ["--read-only", "--tmpfs=/tmp"]),
    ];
    const runs = [{ container: "web", spec: runSpecOf(facts()) }];
    const forward = combineDockerFixes(runs, fixes);
    expect(forward?.closes).toHaveLength(4);
    expect(combineDockerFixes(runs, [...fixes].reverse())).toEqual(forward);
  });
});
