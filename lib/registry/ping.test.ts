import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { pingRegistry } from "./ping";

// The admin page's Test: a GET /v2/ through the challenge flow, worded; small loopback registries play each case.

const servers: http.Server[] = [];

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const basicOf = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

function basicRegistry(): http.RequestListener {
  return (req, res) => {
    if (req.headers.authorization === basicOf("robot", "right"))
      return void res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
    res.writeHead(401, { "WWW-Authenticate": 'Basic realm="registry"' }).end();
  };
}

describe("pingRegistry", () => {
  it("signs in with basic auth after the challenge", async () => {
    const host = await serve(basicRegistry());
    const result = await pingRegistry({ host, insecure: true, login: { username: "robot", password: "right" } });
    expect(result).toEqual({
      ok: true,
      message: `${host} answered the registry API over plain HTTP, signed in as robot.`,
    });
  });

  it("says the login was refused, without the password", async () => {
    const host = await serve(basicRegistry());
    const result = await pingRegistry({ host, insecure: true, login: { username: "robot", password: "wrong-pw" } });
    expect(result.ok).toBe(false);
    expect(result.message).toBe(`Registry ${host} refused the configured credential (401)`);
  });

  it("says a credential is needed when none is stored", async () => {
    const host = await serve(basicRegistry());
    expect((await pingRegistry({ host, insecure: true })).message).toBe(
      `Registry ${host} needs a credential and none is configured for it`,
    );
  });

  it("asks a bearer token service without a repository scope", async () => {
    const asked: string[] = [];
    const host = await serve((req, res) => {
      asked.push(req.url ?? "");
      if (req.url?.startsWith("/token")) return void res.writeHead(200).end(JSON.stringify({ token: "anon" }));
      if (req.headers.authorization === "Bearer anon") return void res.writeHead(200).end("{}");
      res.writeHead(401, { "WWW-Authenticate": `Bearer realm="http://${req.headers.host}/token",service="reg"` }).end();
    });
    const result = await pingRegistry({ host, insecure: true });
    expect(result).toMatchObject({ ok: true, message: expect.stringContaining("signed in anonymously") });
    expect(asked).toEqual(["/v2/", "/token?service=reg", "/v2/"]);
  });

  it("words a host that is not a registry and one that is closed", async () => {
    const host = await serve((_req, res) => void res.writeHead(404).end());
    expect((await pingRegistry({ host, insecure: true })).message).toContain("does not look like a container registry");
    servers[0]?.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = await pingRegistry({ host, insecure: true });
    expect(closed).toEqual({ ok: false, message: `Registry ${host} could not be reached (ECONNREFUSED)` });
  });
});
