import { defineCheck, fail, pass } from "@/lib/checks/define-check";
import { containerPath } from "@/lib/domain/facts";
import { dockerRegistryDigest, parseImageReference, pinnedReference } from "@/lib/checks/support/images";
import { secureDockerFacts, secureDockerfileFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import { externalFroms, instructionAt, instructionPath, replaceFromImage } from "@/lib/checks/support/dockerfile";

function mutability(reference: string): string | null {
  const parsed = parseImageReference(reference);
  if (parsed.tag === "latest") return `"${reference}" uses the latest tag`;
  if (!parsed.tag && !parsed.digest) return `"${reference}" has no tag and no digest (implies latest)`;
  return null;
}

export const imageTagNotMutable = defineCheck({
  id: "image-tag-not-mutable",
  title: "Do not use the latest tag",
  severity: "low",
  category: "supply-chain",
  seed: false,
  rationale:
    "An image without a tag, or tagged latest, changes whenever someone pushes, so two replicas or two restarts may run different code. A version tag at least names a release; a digest pins it exactly.",
  threat: "An unreviewed image is pulled into production on the next restart, and rollbacks cannot tell what ran.",
  references: { cisDocker: ["5.28"], polaris: ["tagNotSpecified"], kubescape: ["C-0075"] },
  fixSummary: "Reference a released version, best pinned by digest (repository@sha256:…), instead of latest or no tag.",
  platforms: {
    kubernetes: {
      judged: "Fails when the container's image has no tag and no digest, or its tag is latest.",
      evaluate(facts) {
        const image = facts.container.image ?? "";
        const problem = mutability(image);
        const fieldPath = `${containerPath(facts)}.image`;
        return problem
          ? fail(`image ${problem}`, { fieldPath })
          : pass(`image "${image}" names a fixed version`, { fieldPath });
      },
      fix: (facts) => ({
        container: { image: pinnedReference(facts.container.image ?? facts.image, facts.imageDigest) },
      }),
      examples: {
        pass: [
          secureKubernetesFacts(),
          secureKubernetesFacts({ container: { image: "nginx:1.27" } }),
          secureKubernetesFacts({ container: { image: `nginx@sha256:${"0".repeat(64)}` } }),
        ],
        fail: [
          secureKubernetesFacts({ container: { image: "nginx" } }),
          secureKubernetesFacts({ container: { image: "localhost:5000/app:latest" } }),
        ],
      },
    },
    docker: {
      judged: "Fails when Config.Image has no tag and no digest, or its tag is latest.",
      evaluate(facts) {
        const image = facts.container.Config.Image ?? "";
        const problem = mutability(image);
        return problem
          ? fail(`Config.Image ${problem}`, { fieldPath: "Config.Image" })
          : pass(`Config.Image "${image}" names a fixed version`, { fieldPath: "Config.Image" });
      },
      fix: (facts) => ({
        compose: { image: pinnedReference(facts.container.Config.Image ?? facts.image, dockerRegistryDigest(facts)) },
      }),
      examples: {
        pass: [secureDockerFacts({ container: { Config: { Image: "registry.example.com:5000/web:2" } } })],
        fail: [
          secureDockerFacts({ container: { Config: { Image: "registry.example.com:5000/web" } } }),
          secureDockerFacts({ container: { Config: { Image: "web:latest" } } }),
        ],
      },
    },
    dockerfile: {
      judged:
        "Fails when a FROM that is not scratch or an earlier stage has no tag and no digest, or its tag is latest.",
      evaluate(facts) {
        const froms = externalFroms(facts);
        for (const from of froms) {
          const problem = mutability(from.image);
          if (problem)
            return fail(`FROM at line ${instructionAt(facts, from.index)?.line}: ${problem}`, {
              fieldPath: instructionPath(from.index),
            });
        }
        return pass(`Every FROM that pulls an image (${froms.length}) names a version`, {
          fieldPath: instructionPath(facts.dockerfile.stages[facts.stage]?.fromIndex ?? 0),
        });
      },
      fix: (facts) => ({
        edits: externalFroms(facts)
          .filter((from) => mutability(from.image) !== null)
          .map((from) => ({
            at: from.index,
            line: replaceFromImage(facts, from.index, pinnedReference(from.image, undefined)),
          })),
      }),
      examples: {
        pass: [secureDockerfileFacts(), secureDockerfileFacts(/node:22.11@sha256:[0-9a-f]+/, "node:22.11")],
        fail: [
          secureDockerfileFacts(/node:22.11@sha256:[0-9a-f]+/, "node:latest"),
          secureDockerfileFacts(/node:22.11@sha256:[0-9a-f]+/, "node"),
        ],
      },
    },
  },
});
