import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createRegistryClient } from "./client";
import { RegistryError, type RegistryFailure } from "./errors";
import { parseRegistryReference } from "./reference";
import { digestOf } from "./testing/registries";

// Hostile registries, played by small servers: each bad answer gives a clear reason and nothing else breaks.

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const servers: http.Server[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const CONFIG = JSON.stringify({
  architecture: "amd64",
  os: "linux",
  config: { User: "", Env: ["PATH=/bin", "DB_PASSWORD=hostile-planted-value"] },
  history: [],
});
const CONFIG_DIGEST = digestOf(CONFIG);
const manifestFor = (config: string) =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: config, size: 1 },
    layers: [],
  });
const MANIFEST = manifestFor(CONFIG_DIGEST);
const MANIFEST_DIGEST = digestOf(MANIFEST);

function registryServing(
  blobs: Record<string, string>,
  extra?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean,
): Handler {
  return (req, res) => {
    if (extra?.(req, res)) return;
    const match = /^\/v2\/app\/(manifests|blobs)\/(.+)$/.exec(req.url ?? "");
    const key = match?.[2] === "1" ? MANIFEST_DIGEST : (match?.[2] ?? "");
    const body = blobs[key];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { "docker-content-digest": key, "content-type": "application/vnd.oci.image.manifest.v1+json" });
    res.end(req.method === "HEAD" ? undefined : body);
  };
}

async function failure(host: string, options: Parameters<typeof createRegistryClient>[0] = {}): Promise<RegistryError> {
  const client = createRegistryClient({
    registries: [{ host, insecure: true }],
    retries: 0,
    timeoutMs: 2_000,
    ...options,
  });
  const error = await client.inspectImage({ image: `${host}/app:1` }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RegistryError)) throw new Error(`expected a RegistryError, got ${String(error)}`);
  return error;
}

function expectFailure(error: RegistryError, kind: RegistryFailure, text: RegExp): void {
  expect(error.failure).toBe(kind);
  expect(error.message).toMatch(text);
}

describe("registry client with hostile registries", () => {
  it("reads a well-formed image and keeps no env value", async () => {
    const host = await serve(registryServing({ [MANIFEST_DIGEST]: MANIFEST, [CONFIG_DIGEST]: CONFIG }));
    const client = createRegistryClient({ registries: [{ host, insecure: true }] });
    const facts = await client.inspectImage({ image: `${host}/app:1` });
    expect(facts.envSecrets).toEqual([{ name: "DB_PASSWORD", rule: "PASSWORD", index: 1 }]);
    expect(JSON.stringify(facts)).not.toContain("hostile-planted-value");
  });

  it("caps the manifest size", async () => {
    const huge = manifestFor(CONFIG_DIGEST).replace("[]", JSON.stringify(Array(300_000).fill({ a: 1 })));
    const host = await serve(registryServing({ [MANIFEST_DIGEST]: huge }));
    expectFailure(await failure(host, { maxManifestBytes: 1_000_000 }), "too-large", /more than 1000000 bytes/);
  });

  it("says when a config blob is not JSON", async () => {
    const notJson = "\u0000\u0001 not json";
    const manifest = manifestFor(digestOf(notJson));
    const host = await serve(
      registryServing(
        { [MANIFEST_DIGEST]: manifest, [digestOf(manifest)]: manifest, [digestOf(notJson)]: notJson },
        (req, res) => {
          if (req.url !== "/v2/app/manifests/1") return false;
          res
            .writeHead(200, { "docker-content-digest": digestOf(manifest) })
            .end(req.method === "HEAD" ? undefined : manifest);
          return true;
        },
      ),
    );
    expectFailure(await failure(host), "not-json", /image config sha256:[0-9a-f]+ is not JSON/);
  });

  it("follows a blob redirect to storage on another host without the credentials, and refuses redirected manifests", async () => {
    const seenByStorage: (string | undefined)[] = [];
    const storage = await serve((req, res) => {
      seenByStorage.push(req.headers.authorization);
      res.writeHead(200).end(CONFIG);
    });
    const seenByRegistry: (string | undefined)[] = [];
    const host = await serve(
      registryServing({ [MANIFEST_DIGEST]: MANIFEST }, (req, res) => {
        seenByRegistry.push(req.headers.authorization);
        if (!req.headers.authorization)
          return (void res.writeHead(401, { "www-authenticate": 'Basic realm="r"' }).end(), true);
        if (!req.url?.includes("/blobs/")) return false;
        res.writeHead(307, { location: `http://localhost:${storage.split(":")[1]}/signed/config?sig=1` }).end();
        return true;
      }),
    );
    const login = { username: "u", password: "p" };
    const client = createRegistryClient({ registries: [{ host, insecure: true, login }], retries: 0 });
    const facts = await client.inspectImage({ image: `${host}/app:1` });
    expect(facts.configDigest).toBe(CONFIG_DIGEST);
    expect(seenByStorage).toEqual([undefined]);
    expect(seenByRegistry.filter(Boolean).length).toBeGreaterThan(0);

    const redirecting = await serve((req, res) =>
      res.writeHead(302, { location: `http://${storage}/elsewhere` }).end(),
    );
    expectFailure(await failure(redirecting), "redirect", /only blob downloads may be redirected/);
  });

  it("notices a tag that moved between the HEAD and the GET", async () => {
    let heads = 0;
    const other = manifestFor(digestOf("{}"));
    const host = await serve((req, res) => {
      if (req.method === "HEAD") heads++;
      res.writeHead(200, { "docker-content-digest": MANIFEST_DIGEST });
      res.end(req.method === "HEAD" ? undefined : other);
    });
    expectFailure(await failure(host), "tag-moved", /moved while it was read/);
    expect(heads).toBe(1);
  });

  it("gives up on a registry that answers too slowly, within the deadline", async () => {
    const host = await serve((req, res) => {
      res.writeHead(200, { "docker-content-digest": MANIFEST_DIGEST });
      res.write("{");
    });
    expectFailure(await failure(host, { timeoutMs: 300 }), "timeout", /did not answer within 300 ms/);
  });

  it("retries 429 and 5xx with backoff, and names the status when they persist", async () => {
    let calls = 0;
    const host = await serve((req, res) => {
      calls++;
      if (calls <= 2) return void res.writeHead(calls === 1 ? 429 : 503).end();
      registryServing({ [MANIFEST_DIGEST]: MANIFEST, [CONFIG_DIGEST]: CONFIG })(req, res);
    });
    const client = createRegistryClient({ registries: [{ host, insecure: true }], retries: 2, backoffMs: 10 });
    expect((await client.inspectImage({ image: `${host}/app:1` })).configDigest).toBe(CONFIG_DIGEST);
    const failing = await serve((req, res) => res.writeHead(502).end());
    expectFailure(
      await failure(failing, { retries: 1, backoffMs: 10 }),
      "server-error",
      /answered 502 .* after 2 attempts/,
    );
  });

  it("rejects content that does not match its digest", async () => {
    const host = await serve(
      registryServing({ [MANIFEST_DIGEST]: MANIFEST, [CONFIG_DIGEST]: CONFIG.replace("amd64", "arm64") }),
    );
    expectFailure(await failure(host), "digest-mismatch", /with content of digest/);
  });
});

describe("parseRegistryReference", () => {
  it("names Docker Hub images as the API does and refuses what it cannot address", () => {
    expect(parseRegistryReference("nginx")).toEqual({ host: "docker.io", repository: "library/nginx", tag: "latest" });
    expect(parseRegistryReference("ghcr.io/acme/api:2@sha256:" + "a".repeat(64))).toEqual({
      host: "ghcr.io",
      repository: "acme/api",
      tag: "2",
      digest: "sha256:" + "a".repeat(64),
    });
    expect(parseRegistryReference("localhost:5000/app")).toMatchObject({ host: "localhost:5000", repository: "app" });
    for (const bad of ["../../etc/passwd", "app:tag with space", "Host.io/App", "app@sha256:short", ""])
      expect(parseRegistryReference(bad)).toBeNull();
  });
});
