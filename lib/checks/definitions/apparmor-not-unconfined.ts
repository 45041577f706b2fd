import { defineCheck, fail, pass } from "@/lib/checks/define-check";
import { podMetadataPath, podSecurityContextPath, securityContextPath } from "@/lib/checks/support/kubernetes";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";

const annotationKey = (container: string) => `container.apparmor.security.beta.kubernetes.io/${container}`;
const RUNTIME_DEFAULT = { type: "RuntimeDefault", localhostProfile: null };

export const apparmorNotUnconfined = defineCheck({
  id: "apparmor-not-unconfined",
  title: "Do not disable AppArmor",
  severity: "medium",
  category: "isolation",
  seed: false,
  rationale:
    "AppArmor's runtime default profile denies writes to sensitive kernel interfaces under /proc and /sys and blocks mount. Running unconfined removes that layer on hosts that have it, which Pod Security's baseline level forbids.",
  threat:
    "A compromised process uses /proc or /sys interfaces or mounts filesystems that the default profile would have denied.",
  references: {
    cisKubernetes: ["5.6.3"],
    nsaCisa: ["pod-security-enforcement"],
    cisDocker: ["5.2"],
    podSecurity: ["appArmorProfile"],
    kubescape: ["C-0055"],
  },
  fixSummary:
    "Use the runtime's default AppArmor profile (RuntimeDefault, docker-default) or a Localhost profile instead of unconfined.",
  platforms: {
    kubernetes: {
      judged:
        "Fails when appArmorProfile.type is Unconfined at pod or container level, or the container's AppArmor annotation is unconfined.",
      evaluate(facts) {
        if (facts.container.securityContext?.appArmorProfile?.type === "Unconfined") {
          return fail("appArmorProfile.type is Unconfined at container level", {
            fieldPath: `${securityContextPath(facts)}.appArmorProfile.type`,
          });
        }
        if (facts.pod.spec.securityContext?.appArmorProfile?.type === "Unconfined") {
          return fail("appArmorProfile.type is Unconfined at pod level", {
            fieldPath: `${podSecurityContextPath(facts)}.appArmorProfile.type`,
          });
        }
        const key = annotationKey(facts.container.name);
        if (facts.pod.metadata.annotations?.[key] === "unconfined")
          return fail(`Annotation ${key} is unconfined`, {
            fieldPath: `${podMetadataPath(facts.specPath)}.annotations["${key}"]`,
          });
        return pass("AppArmor is not disabled", { fieldPath: `${securityContextPath(facts)}.appArmorProfile` });
      },
      fix(facts) {
        const key = annotationKey(facts.container.name);
        const containerUnconfined = facts.container.securityContext?.appArmorProfile?.type === "Unconfined";
        const podUnconfined = facts.pod.spec.securityContext?.appArmorProfile?.type === "Unconfined";
        return {
          ...(containerUnconfined ? { container: { securityContext: { appArmorProfile: RUNTIME_DEFAULT } } } : {}),
          ...(podUnconfined ? { pod: { securityContext: { appArmorProfile: RUNTIME_DEFAULT } } } : {}),
          ...(facts.pod.metadata.annotations?.[key] === "unconfined"
            ? { podMetadata: { annotations: { [key]: null } } }
            : {}),
        };
      },
      examples: {
        pass: [
          secureKubernetesFacts(),
          secureKubernetesFacts({ container: { securityContext: { appArmorProfile: { type: "RuntimeDefault" } } } }),
        ],
        fail: [
          secureKubernetesFacts({ container: { securityContext: { appArmorProfile: { type: "Unconfined" } } } }),
          secureKubernetesFacts({ pod: { spec: { securityContext: { appArmorProfile: { type: "Unconfined" } } } } }),
          secureKubernetesFacts({ pod: { metadata: { annotations: { [annotationKey("web")]: "unconfined" } } } }),
        ],
      },
    },
    docker: {
      judged: "Fails when AppArmorProfile is unconfined; empty passes, as on hosts without AppArmor.",
      evaluate(facts) {
        const profile = facts.container.AppArmorProfile ?? "";
        if (profile === "unconfined") return fail("AppArmorProfile is unconfined", { fieldPath: "AppArmorProfile" });
        return pass(profile ? `AppArmorProfile is ${profile}` : "AppArmorProfile is empty (AppArmor not on the host)", {
          fieldPath: "AppArmorProfile",
        });
      },
      fix(facts) {
        const options = (facts.container.HostConfig.SecurityOpt ?? []).filter((o) =>
          /^apparmor[=:]unconfined$/i.test(o),
        );
        return { remove: options.map((o) => `--security-opt=${o}`) };
      },
      examples: {
        pass: [secureDockerFacts(), secureDockerFacts({ container: { AppArmorProfile: "" } })],
        fail: [
          secureDockerFacts({
            container: {
              AppArmorProfile: "unconfined",
              HostConfig: { SecurityOpt: ["no-new-privileges", "apparmor=unconfined"] },
            },
          }),
        ],
      },
    },
  },
});
