import { chance, pick, weighted, type Random } from "./random";

/**
 * What a workload's owner asked for, platform-neutral: the Docker and Kubernetes generators both render it, so
 * a seed means the same security mix on either platform and tests can predict each check from it.
 */
export interface Posture {
  /** "" = the image's user; "0"/"root" = root; "1000:1000" = a numeric non-root user. */
  user: string;
  privileged: boolean;
  readOnlyRoot: boolean;
  capAdd: string[];
  dropAll: boolean;
  noNewPrivileges: boolean;
  seccompUnconfined: boolean;
  apparmorUnconfined: boolean;
  hostNetwork: boolean;
  hostPid: boolean;
  hostIpc: boolean;
  limits: { memoryBytes: number; nanoCpus: number; pids: number } | null;
  runtimeSocket: boolean;
  hostPathMount: boolean;
  /** A literal secret-looking value in the environment (fake, recognisable). */
  plaintextSecret: boolean;
  /** Secret read from a file or store instead (`*_FILE`). */
  secretFile: boolean;
  hostPort: boolean;
}

export type PostureName = "hardened" | "typical" | "careless" | "privileged" | "host-level";

const SECURE: Posture = {
  user: "1000:1000",
  privileged: false,
  readOnlyRoot: true,
  capAdd: [],
  dropAll: true,
  noNewPrivileges: true,
  seccompUnconfined: false,
  apparmorUnconfined: false,
  hostNetwork: false,
  hostPid: false,
  hostIpc: false,
  limits: { memoryBytes: 256 * 1024 * 1024, nanoCpus: 500_000_000, pids: 256 },
  runtimeSocket: false,
  hostPathMount: false,
  plaintextSecret: false,
  secretFile: false,
  hostPort: false,
};

const LIMITS = [
  { memoryBytes: 128 * 1024 * 1024, nanoCpus: 250_000_000, pids: 128 },
  { memoryBytes: 512 * 1024 * 1024, nanoCpus: 1_000_000_000, pids: 512 },
  { memoryBytes: 2 * 1024 * 1024 * 1024, nanoCpus: 2_000_000_000, pids: 1024 },
];

// Shares seen in real fleets: most containers run with defaults, a minority is hardened or dangerous.
const MIX: readonly (readonly [number, PostureName])[] = [
  [25, "hardened"],
  [45, "typical"],
  [18, "careless"],
  [6, "privileged"],
  [6, "host-level"],
];

function secrets(random: Random): Pick<Posture, "plaintextSecret" | "secretFile"> {
  const plaintextSecret = chance(random, 0.08);
  return { plaintextSecret, secretFile: !plaintextSecret && chance(random, 0.3) };
}

function build(name: PostureName, random: Random): Posture {
  const limits = chance(random, 0.6) ? pick(random, LIMITS) : null;
  switch (name) {
    case "hardened":
      return { ...SECURE, capAdd: chance(random, 0.2) ? ["NET_BIND_SERVICE"] : [], ...secrets(random) };
    case "typical":
      return {
        ...SECURE,
        user: chance(random, 0.4) ? "1000" : "",
        readOnlyRoot: chance(random, 0.15),
        dropAll: false,
        noNewPrivileges: chance(random, 0.2),
        limits,
        hostPort: chance(random, 0.1),
        ...secrets(random),
      };
    case "careless":
      return {
        ...SECURE,
        user: pick(random, ["", "root", "0"]),
        readOnlyRoot: false,
        dropAll: false,
        noNewPrivileges: false,
        capAdd: pick(random, [["NET_ADMIN"], ["SYS_PTRACE"], ["NET_ADMIN", "SYS_TIME"], []]),
        seccompUnconfined: chance(random, 0.3),
        apparmorUnconfined: chance(random, 0.2),
        limits,
        hostPort: chance(random, 0.3),
        hostPathMount: chance(random, 0.3),
        ...secrets(random),
      };
    case "privileged":
      return { ...build("careless", random), privileged: true, runtimeSocket: chance(random, 0.4) };
    case "host-level":
      return {
        ...build("careless", random),
        hostNetwork: chance(random, 0.7),
        hostPid: chance(random, 0.4),
        hostIpc: chance(random, 0.2),
        hostPathMount: true,
      };
  }
}

export function randomPosture(random: Random): { name: PostureName; posture: Posture } {
  const name = weighted(random, MIX);
  return { name, posture: build(name, random) };
}

/** One security-relevant change that always moves a check result, as a fix or a regression between two polls. */
export function mutatePosture(posture: Posture, random: Random): Posture {
  const change = Math.floor(random() * 3);
  if (change === 0) return { ...posture, readOnlyRoot: !posture.readOnlyRoot };
  if (change === 1) return { ...posture, user: posture.user === "1000:1000" ? "0" : "1000:1000" };
  return { ...posture, limits: posture.limits ? null : (LIMITS[0] ?? null) };
}
