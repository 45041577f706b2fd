import { describe, expect, it } from "vitest";
import { localDockerConnection } from "./serve";
import { parseWebOptions } from "./web";

describe("localDockerConnection", () => {
  it("uses the default socket when DOCKER_HOST is unset", () => {
    expect(localDockerConnection({})).toMatchObject({
      name: "local-docker",
      url: "unix:///var/run/docker.sock",
      settings: {},
    });
  });

  it("takes TLS files from DOCKER_CERT_PATH for tcp://", () => {
    const connection = localDockerConnection({ DOCKER_HOST: "tcp://10.0.0.5:2376", DOCKER_CERT_PATH: "/certs" });
    expect(connection.settings).toEqual({
      tlsCaFile: "/certs/ca.pem",
      tlsCertFile: "/certs/cert.pem",
      tlsKeyFile: "/certs/key.pem",
    });
  });
});

describe("parseWebOptions", () => {
  it("prefers flags, then PORT and HOST, then 3000 on loopback", () => {
    const saved = { PORT: process.env.PORT, HOST: process.env.HOST };
    try {
      delete process.env.PORT;
      delete process.env.HOST;
      expect(parseWebOptions([])).toEqual({ port: 3000, host: "127.0.0.1" });
      process.env.PORT = "4000";
      process.env.HOST = "0.0.0.0";
      expect(parseWebOptions([])).toEqual({ port: 4000, host: "0.0.0.0" });
      expect(parseWebOptions(["--port", "5000", "--host", "::1"])).toEqual({ port: 5000, host: "::1" });
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it("rejects a port that is not a number and unknown flags", () => {
    expect(parseWebOptions(["--port", "http"])).toEqual({ error: "--port must be a number from 0 to 65535" });
    expect(parseWebOptions(["--verbose"])).toHaveProperty("error");
  });
});
