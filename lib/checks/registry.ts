import type { CheckDefinition } from "./define-check";
import { dropAllCapabilities } from "./definitions/drop-all-capabilities";
import { imagePinnedByDigest } from "./definitions/image-pinned-by-digest";
import { imageVulnerabilityScanned } from "./definitions/image-vulnerability-scanned";
import { dependenciesScanned } from "./definitions/dependencies-scanned";
import { networkIsolation } from "./definitions/network-isolation";
import { noHostNamespaces } from "./definitions/no-host-namespaces";
import { noPrivilegeEscalation } from "./definitions/no-privilege-escalation";
import { noSecretsInImage } from "./definitions/no-secrets-in-image";
import { notPrivileged } from "./definitions/not-privileged";
import { readOnlyRootFilesystem } from "./definitions/read-only-root-filesystem";
import { runAsNonRoot } from "./definitions/run-as-non-root";
import { seccompProfile } from "./definitions/seccomp-profile";
import { secretsFromSecretStore } from "./definitions/secrets-from-secret-store";
import { noAddedCapabilities } from "./definitions/no-added-capabilities";
import { noSensitiveHostMounts } from "./definitions/no-sensitive-host-mounts";
import { noContainerRuntimeSocket } from "./definitions/no-container-runtime-socket";
import { noHostPorts } from "./definitions/no-host-ports";
import { apparmorNotUnconfined } from "./definitions/apparmor-not-unconfined";
import { safeProcMount } from "./definitions/safe-proc-mount";
import { resourceLimits } from "./definitions/resource-limits";
import { imageTagNotMutable } from "./definitions/image-tag-not-mutable";
import { noServiceAccountToken } from "./definitions/no-service-account-token";

/** Every check, in CHECKS.md order: the seed checks, then the hardening table. */
export const CHECKS: readonly CheckDefinition[] = [
  runAsNonRoot,
  readOnlyRootFilesystem,
  dropAllCapabilities,
  seccompProfile,
  notPrivileged,
  noHostNamespaces,
  noPrivilegeEscalation,
  imagePinnedByDigest,
  imageVulnerabilityScanned,
  dependenciesScanned,
  noSecretsInImage,
  secretsFromSecretStore,
  networkIsolation,
  noAddedCapabilities,
  noSensitiveHostMounts,
  noContainerRuntimeSocket,
  noHostPorts,
  apparmorNotUnconfined,
  safeProcMount,
  resourceLimits,
  imageTagNotMutable,
  noServiceAccountToken,
];

export const CHECK_IDS: readonly string[] = CHECKS.map((check) => check.id);

const BY_ID = new Map(CHECKS.map((check) => [check.id, check]));

export function getCheck(id: string): CheckDefinition | undefined {
  return BY_ID.get(id);
}
