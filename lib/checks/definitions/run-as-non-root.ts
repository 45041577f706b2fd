import { defineCheck, fail, pass } from "@/lib/checks/define-check";
import { IMAGE_FIX_UID, imageUser } from "@/lib/checks/support/image-config";
import { effective, securityContextPath } from "@/lib/checks/support/kubernetes";
import { secureDockerFacts, secureDockerfileFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import { effectiveUser, instructionAt, instructionPath } from "@/lib/checks/support/dockerfile";

const NON_ROOT_UID = 10001;

export const runAsNonRoot = defineCheck({
  id: "run-as-non-root",
  title: "Run as a non-root user",
  severity: "high",
  category: "identity",
  seed: true,
  rationale:
    "A process running as UID 0 inside a container is root on the host's kernel, limited only by namespaces and capabilities. Any escape or misconfigured mount then acts with full host privileges. Running as an unprivileged UID removes that head start.",
  threat: "A container breakout or writable host mount turns into root access on the node.",
  references: {
    cisKubernetes: ["5.2.7"],
    nsaCisa: ["non-root-containers"],
    cisDocker: ["4.1"],
    podSecurity: ["runAsNonRoot", "runAsUser"],
    polaris: ["runAsRootAllowed"],
    kubescape: ["C-0013"],
  },
  fixSummary: "Run the container as a non-root UID (runAsNonRoot: true, or docker run --user 10001).",
  platforms: {
    kubernetes: {
      judged:
        "Fails when the effective runAsUser is 0, or when neither runAsNonRoot: true nor a runAsUser above 0 is set; hostUsers: false passes.",
      evaluate(facts) {
        if (facts.pod.spec.hostUsers === false)
          return pass("hostUsers is false: root in the container is unprivileged on the node", {
            fieldPath: `${facts.specPath}.hostUsers`,
          });
        const user = effective(facts, "runAsUser");
        const nonRoot = effective(facts, "runAsNonRoot");
        if (user.value === 0) return fail(`runAsUser is 0 at ${user.level} level`, { fieldPath: user.path });
        if (nonRoot.value === true)
          return pass(`runAsNonRoot is true at ${nonRoot.level} level`, { fieldPath: nonRoot.path });
        if (user.value !== undefined)
          return pass(`runAsUser is ${user.value} at ${user.level} level`, { fieldPath: user.path });
        if (nonRoot.value === false)
          return fail(`runAsNonRoot is false at ${nonRoot.level} level and runAsUser is unset`, {
            fieldPath: nonRoot.path,
          });
        return fail("runAsNonRoot is not set and runAsUser is unset", { fieldPath: securityContextPath(facts) });
      },
      fix(facts) {
        const zero = effective(facts, "runAsUser").value === 0;
        const image = imageUser(facts.imageConfig);
        if (image.kind === "uid")
          return { container: { securityContext: { runAsNonRoot: true, ...(zero ? { runAsUser: image.uid } : {}) } } };
        if (image.kind === "unknown")
          return {
            container: { securityContext: { runAsNonRoot: true, ...(zero ? { runAsUser: NON_ROOT_UID } : {}) } },
            note: `The image's user is unknown (${image.why}): if it runs as root, also set runAsUser and runAsGroup to ${IMAGE_FIX_UID}.`,
          };
        return {
          container: { securityContext: { runAsNonRoot: true, runAsUser: IMAGE_FIX_UID, runAsGroup: IMAGE_FIX_UID } },
          note: `The image runs as ${image.describe}, so the patch also sets UID/GID ${IMAGE_FIX_UID} (a pod with runAsNonRoot alone would not start): files the image owns as root must be readable, and paths it writes writable, by that user.`,
        };
      },
      examples: {
        pass: [
          secureKubernetesFacts(),
          secureKubernetesFacts({
            container: { securityContext: { runAsNonRoot: undefined } },
            pod: { spec: { securityContext: { runAsNonRoot: undefined } } },
          }),
          secureKubernetesFacts({ container: { securityContext: { runAsUser: undefined } } }),
          secureKubernetesFacts({
            container: { securityContext: { runAsUser: 0 } },
            pod: { spec: { hostUsers: false } },
          }),
        ],
        fail: [
          secureKubernetesFacts({ container: { securityContext: { runAsUser: 0 } } }),
          secureKubernetesFacts({ container: { securityContext: { runAsNonRoot: false, runAsUser: undefined } } }),
          secureKubernetesFacts({
            container: { securityContext: { runAsNonRoot: undefined, runAsUser: undefined } },
            pod: { spec: { securityContext: undefined } },
          }),
          secureKubernetesFacts({
            container: { securityContext: { runAsNonRoot: undefined, runAsUser: undefined } },
            pod: { spec: { securityContext: { runAsUser: 0 } } },
          }),
        ],
      },
    },
    docker: {
      judged:
        "Fails when Config.User is empty, root, 0, root:* or 0:*; a named user passes with a note that its UID was not resolved.",
      evaluate(facts) {
        const user = (facts.container.Config.User ?? "").trim();
        const name = user.split(":")[0] ?? "";
        if (name === "") return fail("Config.User is empty: the container runs as root", { fieldPath: "Config.User" });
        if (name === "root" || /^0+$/.test(name))
          return fail(`Config.User is "${user}": the container runs as root`, { fieldPath: "Config.User" });
        if (/^\d+$/.test(name)) return pass(`Config.User is "${user}"`, { fieldPath: "Config.User" });
        return pass(`Config.User is "${user}", a named user`, {
          fieldPath: "Config.User",
          detail: "The user name's UID was not resolved against the image's /etc/passwd.",
        });
      },
      fix(facts) {
        const user = (facts.container.Config.User ?? "").trim();
        const fromRun = user !== "" && user !== (facts.imageInspect?.Config?.User ?? "");
        return {
          add: [`--user=${NON_ROOT_UID}:${NON_ROOT_UID}`],
          remove: fromRun ? [`--user=${user}`] : [],
          compose: { user: `${NON_ROOT_UID}:${NON_ROOT_UID}` },
          dockerfile: [
            `RUN addgroup -S -g ${NON_ROOT_UID} app && adduser -S -u ${NON_ROOT_UID} -G app app`,
            `USER ${NON_ROOT_UID}:${NON_ROOT_UID}`,
          ],
        };
      },
      examples: {
        pass: [
          secureDockerFacts(),
          secureDockerFacts({ container: { Config: { User: "app" } } }),
          secureDockerFacts({ container: { Config: { User: "1000:0" } } }),
        ],
        fail: ["", "root", "0", "0:0", "root:root", "root:1000"].map((User) =>
          secureDockerFacts({ container: { Config: { User } } }),
        ),
      },
    },
    dockerfile: {
      judged: "Fails when the final stage (or the stage it builds on) has no USER, or its last USER is root or 0.",
      evaluate(facts) {
        const found = effectiveUser(facts);
        const from = instructionAt(facts, facts.dockerfile.stages[facts.stage]?.fromIndex ?? 0);
        if (!found)
          return fail(`The final stage (FROM at line ${from?.line ?? 1}) sets no USER: the image runs as root`, {
            fieldPath: instructionPath(facts.dockerfile.stages[facts.stage]?.fromIndex ?? 0),
          });
        const line = instructionAt(facts, found.index)?.line;
        const name = found.user.split(":")[0] ?? "";
        const fieldPath = instructionPath(found.index);
        if (name === "root" || /^0+$/.test(name))
          return fail(`USER ${found.user} at line ${line}: the image runs as root`, { fieldPath });
        return pass(`USER ${found.user} at line ${line}`, { fieldPath });
      },
      fix(facts) {
        const found = effectiveUser(facts);
        const line = `USER ${NON_ROOT_UID}:${NON_ROOT_UID}`;
        const inFinal = found && facts.dockerfile.stages[facts.stage]?.body.includes(found.index);
        return { edits: [inFinal ? { at: found.index, line } : { line }] };
      },
      examples: {
        pass: [secureDockerfileFacts(), secureDockerfileFacts("USER 10001:10001", "USER app")],
        fail: [
          secureDockerfileFacts("USER 10001:10001\n"),
          secureDockerfileFacts("USER 10001:10001", "USER root"),
          secureDockerfileFacts("USER 10001:10001", "USER 0:0"),
          secureDockerfileFacts("USER 10001:10001", "USER app\nUSER root"),
        ],
      },
    },
  },
});
