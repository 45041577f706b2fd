import type { Status } from "@/lib/domain/severity";
import { buildBaseImage, buildImage, pushForDigest, runContainer, type PrivateDockerd } from "@/e2e/support/dockerd";

// Planted secret values: no table, log or output may ever contain them.
export const PLANTED = {
  imageEnv: "planted-image-env-Zq81xK",
  buildArg: "planted-build-arg-Hd72pW",
  containerEnv: "planted-container-env-Mv55rT",
} as const;

export type ImageKey = "base" | "pinned" | "user" | "envSecret" | "argSecret";
export type FleetImages = Record<ImageKey, string>;

export interface FleetCase {
  name: string;
  image: ImageKey;
  /** `docker run` flags in `--flag=value` form, as remediation renders them. */
  flags: string[];
  expect: Record<string, Status>;
  labels?: Record<string, string>;
  /** Created but not started: this sandbox cannot start privileged containers; polled with includeStopped. */
  createOnly?: boolean;
}

/** Every Docker-side check that is not about resources passes with these flags. */
export const HARDENED = [
  "--user=1000:1000",
  "--read-only",
  "--cap-drop=ALL",
  "--security-opt=no-new-privileges:true",
  "--memory=64m",
  "--cpus=0.5",
  "--pids-limit=64",
];

export function fleetCases(socket: string): FleetCase[] {
  const compose = (service: string) => ({
    "com.docker.compose.project": "shop",
    "com.docker.compose.service": service,
  });
  return [
    {
      name: "hardened",
      image: "pinned",
      flags: HARDENED,
      expect: {
        "run-as-non-root": "pass",
        "read-only-root-filesystem": "pass",
        "drop-all-capabilities": "pass",
        "seccomp-profile": "pass",
        "not-privileged": "pass",
        "no-host-namespaces": "pass",
        "no-privilege-escalation": "pass",
        "image-pinned-by-digest": "pass",
        "no-secrets-in-image": "pass",
        "secrets-from-secret-store": "pass",
        "network-isolation": "pass",
        "resource-limits": "pass",
        "no-added-capabilities": "pass",
        "no-container-runtime-socket": "pass",
        "no-sensitive-host-mounts": "pass",
      },
    },
    {
      name: "defaults",
      image: "base",
      flags: [],
      expect: {
        "run-as-non-root": "fail",
        "read-only-root-filesystem": "fail",
        "drop-all-capabilities": "fail",
        "no-privilege-escalation": "fail",
        "image-pinned-by-digest": "fail",
        "resource-limits": "fail",
        "seccomp-profile": "pass",
        "not-privileged": "pass",
      },
    },
    {
      name: "privileged",
      image: "base",
      flags: ["--privileged"],
      createOnly: true,
      expect: {
        "not-privileged": "fail",
        "drop-all-capabilities": "fail",
        "seccomp-profile": "fail",
        "no-privilege-escalation": "fail",
        "safe-proc-mount": "fail",
      },
    },
    {
      name: "cap-add-sys-admin",
      image: "base",
      flags: ["--cap-drop=ALL", "--cap-add=SYS_ADMIN"],
      expect: { "drop-all-capabilities": "fail", "no-added-capabilities": "fail" },
    },
    {
      name: "cap-add-net-bind",
      image: "base",
      flags: ["--cap-drop=ALL", "--cap-add=NET_BIND_SERVICE"],
      expect: { "drop-all-capabilities": "pass", "no-added-capabilities": "pass" },
    },
    {
      name: "cap-drop-lowercase",
      image: "base",
      flags: ["--cap-drop=all"],
      expect: { "drop-all-capabilities": "pass" },
    },
    {
      name: "systempaths-unconfined",
      image: "base",
      flags: ["--security-opt=systempaths=unconfined"],
      expect: { "safe-proc-mount": "fail" },
    },
    { name: "user-root", image: "base", flags: ["--user=root"], expect: { "run-as-non-root": "fail" } },
    { name: "user-zero-group", image: "base", flags: ["--user=0:1000"], expect: { "run-as-non-root": "fail" } },
    { name: "user-uid", image: "base", flags: ["--user=1000"], expect: { "run-as-non-root": "pass" } },
    { name: "user-uid-gid-0", image: "base", flags: ["--user=1000:0"], expect: { "run-as-non-root": "pass" } },
    { name: "user-name", image: "base", flags: ["--user=app"], expect: { "run-as-non-root": "pass" } },
    { name: "user-from-image", image: "user", flags: [], expect: { "run-as-non-root": "pass" } },
    {
      name: "seccomp-unconfined",
      image: "base",
      flags: ["--security-opt=seccomp=unconfined"],
      expect: { "seccomp-profile": "fail" },
    },
    {
      name: "host-network",
      image: "base",
      flags: ["--network=host"],
      expect: { "no-host-namespaces": "fail", "network-isolation": "fail" },
    },
    { name: "host-pid", image: "base", flags: ["--pid=host"], expect: { "no-host-namespaces": "fail" } },
    { name: "host-ipc", image: "base", flags: ["--ipc=host"], expect: { "no-host-namespaces": "fail" } },
    { name: "host-uts", image: "base", flags: ["--uts=host"], expect: { "no-host-namespaces": "fail" } },
    { name: "host-userns", image: "base", flags: ["--userns=host"], expect: { "no-host-namespaces": "fail" } },
    {
      name: "nnp-bare",
      image: "base",
      flags: ["--security-opt=no-new-privileges"],
      expect: { "no-privilege-escalation": "pass" },
    },
    {
      name: "nnp-equals",
      image: "base",
      flags: ["--security-opt=no-new-privileges=true"],
      expect: { "no-privilege-escalation": "pass" },
    },
    {
      name: "nnp-false",
      image: "base",
      flags: ["--security-opt=no-new-privileges=false"],
      expect: { "no-privilege-escalation": "fail" },
    },
    {
      name: "env-secret",
      image: "base",
      flags: [`--env=DB_PASSWORD=${PLANTED.containerEnv}`],
      expect: { "secrets-from-secret-store": "fail" },
    },
    {
      name: "env-secret-file",
      image: "base",
      flags: ["--env=DB_PASSWORD_FILE=/run/secrets/db"],
      expect: { "secrets-from-secret-store": "pass" },
    },
    {
      name: "image-env-secret",
      image: "envSecret",
      flags: [],
      expect: { "no-secrets-in-image": "fail", "secrets-from-secret-store": "pass" },
    },
    { name: "image-build-arg", image: "argSecret", flags: [], expect: { "no-secrets-in-image": "fail" } },
    {
      name: "runtime-socket",
      image: "base",
      flags: [`--volume=${socket}:/var/run/docker.sock`],
      expect: { "no-container-runtime-socket": "fail" },
    },
    {
      name: "etc-rw",
      image: "base",
      flags: ["--volume=/etc:/host-etc"],
      expect: { "no-sensitive-host-mounts": "fail" },
    },
    {
      name: "etc-ro",
      image: "base",
      flags: ["--volume=/etc:/host-etc:ro"],
      expect: { "no-sensitive-host-mounts": "pass" },
    },
    {
      name: "shop-web-1",
      image: "base",
      flags: HARDENED,
      labels: compose("web"),
      expect: { "run-as-non-root": "pass" },
    },
    {
      name: "shop-web-2",
      image: "base",
      flags: HARDENED,
      labels: compose("web"),
      expect: { "run-as-non-root": "pass" },
    },
  ];
}

/** Builds the test images: base, pinned through the local registry, USER app, ENV secret, build-arg secret. */
export async function buildFleetImages(engine: PrivateDockerd): Promise<FleetImages> {
  const base = await buildBaseImage(engine);
  const user = await buildImage(engine, base, { tag: "rampart-test/user:1", lines: ["USER app"] });
  const envSecret = await buildImage(engine, base, {
    tag: "rampart-test/env-secret:1",
    lines: [`ENV API_TOKEN=${PLANTED.imageEnv}`],
  });
  const argSecret = await buildImage(engine, base, {
    tag: "rampart-test/arg-secret:1",
    lines: ["ARG API_KEY", 'RUN ["/bin/sh","-c","true"]'],
    buildArgs: { API_KEY: PLANTED.buildArg },
  });
  const pinned = await pushForDigest(engine, base, "rampart/base");
  return { base, pinned, user, envSecret, argSecret };
}

export function labelFlags(labels: Record<string, string> | undefined): string[] {
  return Object.entries(labels ?? {}).map(([key, value]) => `--label=${key}=${value}`);
}

export async function runCase(
  engine: PrivateDockerd,
  images: FleetImages,
  item: FleetCase,
  flags = item.flags,
): Promise<string> {
  const verb = item.createOnly ? "create" : "run";
  return runContainer(
    engine,
    item.name,
    [...flags, ...labelFlags(item.labels)],
    images[item.image],
    ["sleep", "3600"],
    verb,
  );
}

/** Starts every case, a few at a time, keeping the machine responsive. */
export async function runFleet(engine: PrivateDockerd, images: FleetImages, cases: FleetCase[]): Promise<void> {
  for (let i = 0; i < cases.length; i += 4) {
    await Promise.all(cases.slice(i, i + 4).map((item) => runCase(engine, images, item)));
  }
}
