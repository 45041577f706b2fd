import { fail, notEvaluated, pass } from "@/lib/checks/define-check";
import { describeSecret } from "@/lib/checks/secrets";
import type { Available, ImageConfigFacts } from "@/lib/domain/facts";
import type { CheckOutcome } from "@/lib/domain/result";

const SOURCE: Record<ImageConfigFacts["digestSource"], string> = {
  running: "the running digest",
  reference: "the digest the reference names",
  registry: "the registry's digest for its tag",
};

/** `sha256:0123456789ab…` */
export function shortDigest(digest: string): string {
  return `${digest.slice(0, 19)}…`;
}

/** Which image the registry config is of, for evidence: its digest, how it was found, the platform read. */
export function describeImageConfig(config: ImageConfigFacts): string {
  const platform = config.platformDigest ? ` (${config.platform} image ${shortDigest(config.platformDigest)})` : "";
  return `Image config read from the registry for ${shortDigest(config.digest)}, ${SOURCE[config.digestSource]}${platform}.`;
}

/** `no-secrets-in-image` from a registry config: its env, then its history, named by variable and rule. */
export function judgeImageConfigSecrets(available: Available<ImageConfigFacts> | undefined): CheckOutcome {
  if (!available) return notEvaluated("The image config was not read: no image inspection ran for this container");
  if ("unavailable" in available) return notEvaluated(available.unavailable);
  const config = available.value;
  const detail = describeImageConfig(config);
  const inEnv = config.envSecrets[0];
  if (inEnv)
    return fail(`Image ${describeSecret({ ...inEnv, matched: "name" })}`, {
      fieldPath: `ImageConfig.config.Env[${inEnv.index}]`,
      detail,
    });
  const inHistory = config.historySecrets[0];
  if (inHistory) {
    const what = { "build-arg": "a build argument", arg: "an ARG default", env: "an ENV instruction" }[inHistory.kind];
    return fail(`Image history step ${inHistory.step} sets ${inHistory.name} with ${what} (rule ${inHistory.rule})`, {
      fieldPath: `ImageConfig.history[${inHistory.step}].created_by`,
      detail,
    });
  }
  return pass("Image config env and history have no secret-like variable with a value", {
    fieldPath: "ImageConfig.config.Env",
    detail,
  });
}

/** The UID/GID a non-root fix sets for an image that runs as root or by name (distroless's `nonroot`). */
export const IMAGE_FIX_UID = 65532;

export type ImageUser =
  { kind: "uid"; uid: number } | { kind: "root" | "name"; describe: string } | { kind: "unknown"; why: string };

/** The image's `User` as the kubelet sees it: only a numeric non-zero UID satisfies runAsNonRoot by itself. */
export function imageUser(available: Available<ImageConfigFacts> | undefined): ImageUser {
  if (!available) return { kind: "unknown", why: "its config was not read" };
  if ("unavailable" in available) return { kind: "unknown", why: available.unavailable };
  const name = (available.value.user.split(":")[0] ?? "").trim();
  if (name === "") return { kind: "root", describe: "root (its config sets no User)" };
  if (name === "root" || /^0+$/.test(name)) return { kind: "root", describe: `root (User "${available.value.user}")` };
  if (/^\d+$/.test(name)) return { kind: "uid", uid: Number(name) };
  return { kind: "name", describe: `the named user "${name}", which runAsNonRoot cannot verify` };
}
