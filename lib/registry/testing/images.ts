import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { existsSync } from "node:fs";
import { buildBaseImage, buildImage, canRunDockerd, startDockerd, type PrivateDockerd } from "@/e2e/support/dockerd";
import { makeTlsFiles, type TlsFiles } from "@/e2e/support/tls-certs";
import { PLANTED } from "@/lib/collectors/docker/testing/fleet";
import { pushManifest, startTestRegistry, startTokenService, type TestRegistry, type TokenService } from "./registries";

/** The dockerd tests' tools plus htpasswd (apache2-utils) for the basic-auth registry. */
export function canRunRegistryFleet(): boolean {
  if (!canRunDockerd()) return false;
  if (existsSync("/usr/bin/htpasswd")) return true;
  const reason = "registry tests need: apt-get install -y apache2-utils";
  if (process.env.RAMPART_REQUIRE_ALL === "1") throw new Error(`RAMPART_REQUIRE_ALL=1 but ${reason}`);
  console.warn(`skipping: ${reason}`);
  return false;
}

export const LOGIN = { username: "rampart", password: "pull-only-Qx71" };

/** Images pushed by the private dockerd; the same storage is served by every registry below. */
export interface RegistryFleet {
  dir: string;
  tls: TlsFiles;
  /** Plain HTTP, no auth: Rampart reaches it only when marked insecure. */
  plain: TestRegistry;
  /** HTTPS (test CA) with htpasswd basic auth. */
  basic: TestRegistry;
  /** HTTPS (test CA) with bearer tokens: `public/*` anonymous, the rest with LOGIN. */
  token: TestRegistry;
  tokenService: TokenService;
  /** Repository:tag → digest pushed, e.g. `public/root:1`. */
  digests: Record<string, string>;
  engine: PrivateDockerd;
  stop(): Promise<void>;
}

export const IMAGES = {
  root: "public/root:1",
  uid: "public/uid:1",
  named: "public/named:1",
  envSecret: "private/env-secret:1",
  argSecret: "private/arg-secret:1",
  multi: "public/multi:1",
} as const;

async function push(engine: PrivateDockerd, local: string, remote: string): Promise<string> {
  await engine.docker(["tag", local, remote]);
  await engine.docker(["push", "-q", remote]);
  const digests = JSON.parse(await engine.docker(["image", "inspect", "--format", "{{json .RepoDigests}}", remote]));
  const name = remote.slice(0, remote.lastIndexOf(":"));
  const entry = (digests as string[]).find((d) => d.startsWith(`${name}@`));
  if (!entry) throw new Error(`no digest for ${remote}`);
  return entry.slice(entry.indexOf("@") + 1);
}

/** Builds the images, pushes them, and writes a two-platform index by hand (the classic builder makes none). */
export async function startRegistryFleet(): Promise<RegistryFleet> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "rampart-registry-"));
  const tls = await makeTlsFiles(dir);
  const storage = path.join(dir, "storage");
  const plain = await startTestRegistry({ dir, name: "plain", storage });
  const basic = await startTestRegistry({ dir, name: "basic", storage, tls, basic: LOGIN });
  const tokenService = await startTokenService(tls, LOGIN);
  const token = await startTestRegistry({
    dir,
    name: "token",
    storage,
    tls,
    token: { realm: tokenService.realm, caFile: tls.caFile },
  });
  const engine = await startDockerd();
  const base = await buildBaseImage(engine);
  const local = {
    root: base,
    uid: await buildImage(engine, base, { tag: "rampart-test/uid:1", lines: ["USER 1000:1000"] }),
    named: await buildImage(engine, base, { tag: "rampart-test/named:1", lines: ["USER app"] }),
    envSecret: await buildImage(engine, base, {
      tag: "rampart-test/env:1",
      lines: [`ENV API_TOKEN=${PLANTED.imageEnv}`],
    }),
    argSecret: await buildImage(engine, base, {
      tag: "rampart-test/arg:1",
      lines: ["ARG API_KEY", 'RUN ["/bin/sh","-c","true"]'],
      buildArgs: { API_KEY: PLANTED.buildArg },
    }),
  };
  const digests: Record<string, string> = {};
  for (const [key, image] of Object.entries(local)) {
    const ref = IMAGES[key as keyof typeof local];
    digests[ref] = await push(engine, image, `${plain.host}/${ref}`);
  }
  const amd64 = await push(engine, local.uid, `${plain.host}/public/multi:amd64`);
  const arm64 = await push(engine, local.root, `${plain.host}/public/multi:arm64`);
  const manifestType = "application/vnd.docker.distribution.manifest.v2+json";
  const entry = (digest: string, architecture: string) => ({
    mediaType: manifestType,
    digest,
    size: 0,
    platform: { os: "linux", architecture },
  });
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [entry(arm64, "arm64"), entry(amd64, "amd64")],
  });
  digests[IMAGES.multi] = await pushManifest(
    plain.host,
    "public/multi",
    "1",
    index,
    "application/vnd.oci.image.index.v1+json",
  );
  digests["public/multi:amd64"] = amd64;
  digests["public/multi:arm64"] = arm64;
  return {
    dir,
    tls,
    plain,
    basic,
    token,
    tokenService,
    digests,
    engine,
    async stop() {
      await engine.stop();
      await Promise.all([plain.stop(), basic.stop(), token.stop(), tokenService.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
