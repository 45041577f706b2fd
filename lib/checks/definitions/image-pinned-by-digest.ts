import { defineCheck, fail, pass } from "@/lib/checks/define-check";
import { containerPath, type ContainerFacts } from "@/lib/domain/facts";
import { dockerPinEvidence, dockerRegistryDigest, hasDigest, pinnedReference } from "@/lib/checks/support/images";
import { secureDockerFacts, secureDockerfileFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import { externalFroms, instructionAt, instructionPath, replaceFromImage } from "@/lib/checks/support/dockerfile";
import { shortDigest } from "@/lib/checks/support/image-config";

/** The running digest, else the one the registry gave for the tag at the last poll. */
function digestToPin(facts: ContainerFacts): string | undefined {
  if (facts.imageDigest) return facts.imageDigest;
  return facts.imageConfig && "value" in facts.imageConfig ? facts.imageConfig.value.digest : undefined;
}

/** Which digest the fix pins, and where it came from. */
function digestEvidence(facts: ContainerFacts): string {
  if (facts.imageDigest) return `The fix pins the running digest ${shortDigest(facts.imageDigest)}.`;
  const digest = digestToPin(facts);
  if (digest)
    return `The running digest is unknown: the fix pins the registry's digest for the tag, ${shortDigest(digest)}.`;
  const why = facts.imageConfig && "unavailable" in facts.imageConfig ? ` (${facts.imageConfig.unavailable})` : "";
  return `The running digest is unknown and the registry was not read${why}: the fix shows a placeholder.`;
}

const dockerImage = (Image: string) => secureDockerFacts({ container: { Config: { Image } } });

export const imagePinnedByDigest = defineCheck({
  id: "image-pinned-by-digest",
  title: "Pin images by digest",
  severity: "medium",
  category: "supply-chain",
  seed: true,
  rationale:
    "A tag is a movable pointer: whoever can push to the registry decides what runs next time a node pulls. A sha256 digest names exact content, so every replica runs the image that was reviewed and scanned.",
  threat: "A compromised registry account or a careless push silently replaces the code that runs in production.",
  references: { cisDocker: ["5.28"], kubescape: ["C-0075"] },
  fixSummary: "Reference the image by its sha256 digest (repository@sha256:…), using the digest that runs today.",
  platforms: {
    kubernetes: {
      judged:
        "Fails when the container's image has no valid digest (@sha256: and 64 lower-case hex characters, or @sha512: and 128).",
      evaluate(facts) {
        const image = facts.container.image ?? "";
        const fieldPath = `${containerPath(facts)}.image`;
        if (hasDigest(image)) return pass(`image "${image}" is pinned by digest`, { fieldPath });
        return fail(`image "${image}" has no valid @sha256: digest`, { fieldPath, detail: digestEvidence(facts) });
      },
      fix: (facts) => ({
        container: { image: pinnedReference(facts.container.image ?? facts.image, digestToPin(facts)) },
      }),
      examples: {
        pass: [
          secureKubernetesFacts(),
          secureKubernetesFacts({ container: { image: `nginx@sha256:${"0".repeat(64)}` } }),
          secureKubernetesFacts({ container: { image: `nginx:1.27@sha512:${"ab".repeat(64)}` } }),
        ],
        fail: [
          secureKubernetesFacts({ container: { image: "nginx@sha256:<digest>" } }),
          secureKubernetesFacts({ container: { image: `nginx@sha256:${"0".repeat(63)}` } }),
          secureKubernetesFacts({ container: { image: `nginx@sha256:${"A".repeat(64)}` } }),
          secureKubernetesFacts({ container: { image: "nginx@sha256:" } }),
          secureKubernetesFacts({ container: { image: "nginx@sha256:abc" } }),
          secureKubernetesFacts({ container: { image: `nginx@sha512:${"ab".repeat(32)}` } }),
          secureKubernetesFacts({ container: { image: "nginx:1.27" } }),
          secureKubernetesFacts({ container: { image: "localhost:5000/app" } }),
        ],
      },
    },
    docker: {
      judged:
        "Fails when the reference the container was created from (Config.Image) has no valid digest (@sha256: and 64 lower-case hex characters, or @sha512: and 128).",
      evaluate(facts) {
        const image = facts.container.Config.Image ?? "";
        if (hasDigest(image)) return pass(`Config.Image "${image}" is pinned by digest`, { fieldPath: "Config.Image" });
        return fail(`Config.Image "${image}" has no valid @sha256: digest`, {
          fieldPath: "Config.Image",
          detail: dockerPinEvidence(facts),
        });
      },
      fix: (facts) => ({
        compose: { image: pinnedReference(facts.container.Config.Image ?? facts.image, dockerRegistryDigest(facts)) },
      }),
      examples: {
        pass: [secureDockerFacts(), dockerImage(`nginx:1.27@sha512:${"ab".repeat(64)}`)],
        fail: [
          dockerImage("registry.example.com/acme/web:1.4.2"),
          dockerImage("nginx@sha256:"),
          dockerImage(`nginx@sha256:${"0".repeat(63)}`),
          dockerImage(`nginx@sha256:${"A".repeat(64)}`),
          dockerImage("nginx@sha256:abc"),
          dockerImage("nginx@sha256:<digest>"),
        ],
      },
    },
    dockerfile: {
      judged:
        "Fails when a FROM that is not scratch or an earlier stage has no valid digest (@sha256: and 64 lower-case hex characters, or @sha512: and 128).",
      evaluate(facts) {
        const froms = externalFroms(facts);
        const loose = froms.find((from) => !hasDigest(from.image));
        if (loose)
          return fail(`FROM ${loose.image} at line ${instructionAt(facts, loose.index)?.line} has no valid digest`, {
            fieldPath: instructionPath(loose.index),
          });
        return pass(`Every FROM that pulls an image (${froms.length}) is pinned by digest`, {
          fieldPath: instructionPath(facts.dockerfile.stages[facts.stage]?.fromIndex ?? 0),
        });
      },
      fix: (facts) => ({
        edits: externalFroms(facts)
          .filter((from) => !hasDigest(from.image))
          .map((from) => ({
            at: from.index,
            line: replaceFromImage(facts, from.index, pinnedReference(from.image, undefined)),
          })),
      }),
      examples: {
        pass: [secureDockerfileFacts(), secureDockerfileFacts(/FROM gcr[^\n]*/, "FROM scratch")],
        fail: [
          secureDockerfileFacts(/node:22.11@sha256:[0-9a-f]+/, "node:22.11"),
          secureDockerfileFacts(/:nonroot@sha256:[0-9a-f]+/, ":nonroot@sha256:<digest>"),
          secureDockerfileFacts(/:nonroot@sha256:[0-9a-f]+/, ":nonroot@sha256:abc"),
        ],
      },
    },
  },
});
