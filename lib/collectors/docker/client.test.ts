import { describe, expect, it } from "vitest";
import type { TargetConnection } from "@/lib/collectors/types";
import { createDockerClient, describeDockerError } from "./client";

function target(url: string, extra: Partial<TargetConnection> = {}): TargetConnection {
  return { name: "t", platform: "docker", url, settings: {}, credentials: {}, ...extra };
}

describe("createDockerClient", () => {
  it("accepts a unix socket without warnings", async () => {
    const client = await createDockerClient(target("unix:///var/run/docker.sock"));
    expect(client.warnings).toEqual([]);
    expect((client.docker.modem as unknown as { socketPath: string }).socketPath).toBe("/var/run/docker.sock");
  });

  it("refuses tcp:// without TLS unless insecure, and then warns", async () => {
    await expect(createDockerClient(target("tcp://10.0.0.5:2375"))).rejects.toThrow(/needs TLS client certificates/);
    const client = await createDockerClient(target("tcp://10.0.0.5:2375", { settings: { insecure: true } }));
    expect(client.warnings).toEqual([
      expect.stringContaining("tcp://10.0.0.5:2375 is polled over plain TCP without TLS"),
    ]);
  });

  it("uses https with PEM credentials and needs both certificate and key", async () => {
    const client = await createDockerClient(
      target("tcp://127.0.0.1:2376", { credentials: { tlsCert: "C", tlsKey: "K", tlsCa: "A" } }),
    );
    expect(client.docker.modem).toMatchObject({ protocol: "https", cert: "C", key: "K", ca: "A" });
    await expect(createDockerClient(target("tcp://127.0.0.1:2376", { credentials: { tlsCert: "C" } }))).rejects.toThrow(
      /needs both the certificate and its key/,
    );
  });

  it("refuses server paths from stored targets unopened, names a file the CLI user's cannot be read", async () => {
    const settings = { tlsCertFile: "/nonexistent/cert.pem", tlsKeyFile: "/etc/hostname" };
    const refusal =
      "Docker at tcp://127.0.0.1:2376: this target names TLS files on the Rampart server (tlsCertFile, tlsKeyFile), which Rampart no longer reads; add the target again with the CA, certificate and key uploaded as PEM";
    await expect(createDockerClient(target("tcp://127.0.0.1:2376", { settings }))).rejects.toThrow(refusal);
    await expect(
      createDockerClient(target("tcp://127.0.0.1:2376", { settings, trustLocalFiles: true })),
    ).rejects.toThrow("cannot read the TLS certificate file /nonexistent/cert.pem: ENOENT");
  });

  it("ignores the server's DOCKER_HOST and DOCKER_CERT_PATH: only the target says where and with which keys", async () => {
    const saved = { host: process.env.DOCKER_HOST, certPath: process.env.DOCKER_CERT_PATH };
    process.env.DOCKER_HOST = "tcp://10.9.9.9:2376";
    process.env.DOCKER_CERT_PATH = "/nonexistent/operator-certs";
    try {
      const unix = await createDockerClient(target("unix:///run/other.sock"));
      expect(unix.docker.modem).toMatchObject({ socketPath: "/run/other.sock", host: undefined });
      const tls = await createDockerClient(
        target("tcp://127.0.0.1:2376", { credentials: { tlsCert: "C", tlsKey: "K" } }),
      );
      expect(tls.docker.modem).toMatchObject({ host: "127.0.0.1", cert: "C", key: "K", ca: undefined });
      expect(process.env.DOCKER_HOST).toBe("tcp://10.9.9.9:2376");
    } finally {
      if (saved.host === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved.host;
      if (saved.certPath === undefined) delete process.env.DOCKER_CERT_PATH;
      else process.env.DOCKER_CERT_PATH = saved.certPath;
    }
  });

  it("rejects unknown schemes", async () => {
    await expect(createDockerClient(target("ssh://host"))).rejects.toThrow(/unsupported Docker address ssh:\/\/host/);
  });
});

describe("describeDockerError", () => {
  it("says what and where for connection and HTTP errors", () => {
    const enoent = Object.assign(new Error("connect ENOENT /x.sock"), { code: "ENOENT" });
    expect(describeDockerError(enoent, "unix:///x.sock", "GET /info").message).toBe(
      "cannot reach Docker at unix:///x.sock: connect ENOENT",
    );
    const http = { statusCode: 500, json: { message: "boom" } };
    expect(describeDockerError(http, "tcp://h:2376", "GET /info").message).toBe(
      "Docker at tcp://h:2376 answered 500 to GET /info: boom",
    );
  });
});
