import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLANTED } from "@/lib/collectors/docker/testing/fleet";
import { createRegistryClient, memoryCache, type RegistryClientOptions } from "./client";
import { RegistryError } from "./errors";
import { canRunRegistryFleet, IMAGES, LOGIN, startRegistryFleet, type RegistryFleet } from "./testing/images";

const enabled = canRunRegistryFleet();

async function failureOf(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RegistryError)) throw new Error(`expected a RegistryError, got ${String(error)}`);
  return error;
}

describe.runIf(enabled)("registry client against Debian's docker-registry", () => {
  let fleet: RegistryFleet;
  beforeAll(async () => {
    fleet = await startRegistryFleet();
  }, 300_000);
  afterAll(async () => fleet?.stop());

  const plainClient = (extra: RegistryClientOptions = {}) =>
    createRegistryClient({ registries: [{ host: fleet.plain.host, insecure: true }], retries: 0, ...extra });

  it("reads a root image's config from a plain-HTTP registry marked insecure, resolving its tag", async () => {
    const facts = await plainClient().inspectImage({ image: `${fleet.plain.host}/${IMAGES.root}` });
    expect(facts).toMatchObject({ digest: fleet.digests[IMAGES.root], digestSource: "registry", user: "" });
    expect(facts.platform).toBe("linux/amd64");
    expect(facts.envSecrets).toEqual([]);
  });

  it("refuses plain HTTP for a registry not marked insecure", async () => {
    const error = await failureOf(
      createRegistryClient({ retries: 0 }).inspectImage({ image: `${fleet.plain.host}/${IMAGES.root}` }),
    );
    expect(error.failure).toBe("unreachable");
    expect(error.message).toContain(fleet.plain.host);
  });

  it("finds a planted ENV secret and a build argument by name and rule, never keeping their values", async () => {
    const client = plainClient();
    const env = await client.inspectImage({ image: `${fleet.plain.host}/${IMAGES.envSecret}` });
    const arg = await client.inspectImage({ image: `${fleet.plain.host}/${IMAGES.argSecret}` });
    expect(env.envSecrets).toEqual([expect.objectContaining({ name: "API_TOKEN", rule: "TOKEN" })]);
    expect(arg.historySecrets).toEqual([
      expect.objectContaining({ name: "API_KEY", rule: "API_KEY", kind: "build-arg" }),
    ]);
    const text = JSON.stringify([env, arg]);
    expect(text).not.toContain(PLANTED.imageEnv);
    expect(text).not.toContain(PLANTED.buildArg);
  });

  it("follows a hand-written image index to the node's platform, linux/amd64 when unknown", async () => {
    const client = plainClient();
    const image = `${fleet.plain.host}/${IMAGES.multi}`;
    const amd64 = await client.inspectImage({ image });
    const arm64 = await client.inspectImage({ image, platform: "linux/arm64" });
    expect(amd64).toMatchObject({ digest: fleet.digests[IMAGES.multi], user: "1000:1000" });
    expect(amd64.platformDigest).toBe(fleet.digests["public/multi:amd64"]);
    expect(arm64).toMatchObject({ user: "", platformDigest: fleet.digests["public/multi:arm64"] });
    const error = await failureOf(client.inspectImage({ image, platform: "windows/amd64" }));
    expect(error.message).toContain("has no windows/amd64 image");
  });

  it("uses htpasswd basic auth behind TLS with the registry's CA; says which part is missing", async () => {
    const image = `${fleet.basic.host}/${IMAGES.uid}`;
    const access = { host: fleet.basic.host, ca: fleet.tls.ca };
    const noLogin = await failureOf(createRegistryClient({ registries: [access], retries: 0 }).inspectImage({ image }));
    expect(noLogin.failure).toBe("no-credential");
    const wrong = { ...access, login: { username: LOGIN.username, password: "wrong" } };
    expect(
      (await failureOf(createRegistryClient({ registries: [wrong], retries: 0 }).inspectImage({ image }))).failure,
    ).toBe("unauthorized");
    const noCa = { host: fleet.basic.host, login: LOGIN };
    const tls = await failureOf(createRegistryClient({ registries: [noCa], retries: 0 }).inspectImage({ image }));
    expect(tls.message).toMatch(/TLS verification/);
    const facts = await createRegistryClient({ registries: [{ ...access, login: LOGIN }] }).inspectImage({ image });
    expect(facts).toMatchObject({ user: "1000:1000", digest: fleet.digests[IMAGES.uid] });
  });

  it("gets anonymous bearer tokens for public repositories and sends the login only for private ones", async () => {
    const access = { host: fleet.token.host, ca: fleet.tls.ca };
    const anonymous = createRegistryClient({ registries: [access], retries: 0 });
    expect((await anonymous.inspectImage({ image: `${fleet.token.host}/${IMAGES.named}` })).user).toBe("app");
    expect(fleet.tokenService.requests.every((r) => !r.authorized)).toBe(true);
    const refused = await failureOf(anonymous.inspectImage({ image: `${fleet.token.host}/${IMAGES.envSecret}` }));
    expect(refused.failure).toBe("no-credential");
    const withLogin = createRegistryClient({ registries: [{ ...access, login: LOGIN }], retries: 0 });
    const facts = await withLogin.inspectImage({ image: `${fleet.token.host}/${IMAGES.envSecret}` });
    expect(facts.envSecrets.map((s) => s.name)).toEqual(["API_TOKEN"]);
    expect(fleet.tokenService.requests.at(-1)).toEqual({
      authorized: true,
      scope: "repository:private/env-secret:pull",
    });
  });

  it("answers from the shared cache: a known running digest costs no request on the next poll", async () => {
    const cache = memoryCache();
    const requests: string[] = [];
    const onRequest = ({ method, url }: { method: string; url: URL }) => requests.push(`${method} ${url.pathname}`);
    const image = `${fleet.plain.host}/${IMAGES.multi}`;
    const runningDigest = fleet.digests[IMAGES.multi];
    await plainClient({ cache, onRequest }).inspectImage({ image, runningDigest });
    expect(requests).toHaveLength(3);
    requests.length = 0;
    const again = await plainClient({ cache, onRequest }).inspectImage({ image, runningDigest });
    expect(requests).toEqual([]);
    expect(again.digestSource).toBe("running");
    await plainClient({ cache, onRequest }).inspectImage({ image });
    expect(requests).toEqual(["HEAD /v2/public/multi/manifests/1"]);
  });
});
