import { describe, expect, it } from "vitest";
import { evaluateFacts, fixFacts } from "@/lib/checks/define-check";
import { BASELINE_DIGEST, secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import { imageTagNotMutable } from "./image-tag-not-mutable";
import { imagePinnedByDigest } from "./image-pinned-by-digest";

describe("image-pinned-by-digest", () => {
  it("pins to the running digest, or a placeholder when it is unknown", () => {
    const facts = secureKubernetesFacts({ container: { image: "ghcr.io/acme/api:latest" } });
    expect(fixFacts(imagePinnedByDigest, facts)).toEqual({
      container: { image: `ghcr.io/acme/api@${BASELINE_DIGEST}` },
    });
    const unknown = secureKubernetesFacts({
      imageDigest: undefined,
      imageConfig: undefined,
      container: { image: "localhost:5000/api:1.4" },
    });
    expect(fixFacts(imagePinnedByDigest, unknown)).toEqual({
      container: { image: "localhost:5000/api:1.4@sha256:<digest>" },
    });
    expect(evaluateFacts(imagePinnedByDigest, unknown).detail).toMatch(
      /registry was not read: the fix shows a placeholder/,
    );
  });

  it("pins to the registry's digest for the tag when the running digest is unknown, and says so", () => {
    const registryDigest = `sha256:${"5".repeat(64)}`;
    const facts = secureKubernetesFacts({
      imageDigest: undefined,
      imageConfig: { value: { digest: registryDigest, digestSource: "registry" } },
      container: { image: "localhost:5000/api:1.4" },
    });
    expect(fixFacts(imagePinnedByDigest, facts)).toEqual({
      container: { image: `localhost:5000/api:1.4@${registryDigest}` },
    });
    expect(evaluateFacts(imagePinnedByDigest, facts).detail).toBe(
      "The running digest is unknown: the fix pins the registry's digest for the tag, sha256:555555555555….",
    );
    const running = secureKubernetesFacts({ container: { image: "localhost:5000/api:1.4" } });
    expect(evaluateFacts(imagePinnedByDigest, running).detail).toMatch(
      /^The fix pins the running digest sha256:a1b2c3d4a1b2/,
    );
  });
});

describe("image-pinned-by-digest fixes never keep an invalid digest", () => {
  it.each(["nginx@sha256:abc", "nginx:1.27@sha256:", `nginx@sha256:${"A".repeat(64)}`])("%s", (image) => {
    const facts = secureKubernetesFacts({ imageDigest: undefined, imageConfig: undefined, container: { image } });
    const fixed = (fixFacts(imagePinnedByDigest, facts) as { container: { image: string } }).container.image;
    expect(fixed).toMatch(/@sha256:<digest>$/);
    const refixed = secureKubernetesFacts({
      imageDigest: undefined,
      imageConfig: undefined,
      container: { image: fixed },
    });
    expect(evaluateFacts(imagePinnedByDigest, refixed).status).toBe("fail");
  });
});

describe("image-pinned-by-digest on Docker: a pin never uses the local image ID", () => {
  const imageId = `sha256:${"9".repeat(64)}`;
  const repoDigest = `sha256:${"4".repeat(64)}`;
  const facts = (RepoDigests: string[] | undefined) =>
    secureDockerFacts({
      imageDigest: imageId,
      imageInspect: RepoDigests ? { Id: imageId, RepoDigests } : { Id: imageId },
      container: { Image: imageId, Config: { Image: "registry.example.com/shop/web:1.4" } },
    });

  it("shows the placeholder, and says why, when the engine knows only the image ID", () => {
    for (const known of [undefined, [], [`docker.io/library/nginx@${repoDigest}`]]) {
      expect(fixFacts(imagePinnedByDigest, facts(known))).toEqual({
        compose: { image: "registry.example.com/shop/web:1.4@sha256:<digest>" },
      });
      expect(JSON.stringify(fixFacts(imageTagNotMutable, facts(known)))).not.toContain(imageId);
      expect(evaluateFacts(imagePinnedByDigest, facts(known)).detail).toMatch(/image ID .* placeholder that fails/);
    }
  });

  it("pins the RepoDigests entry of the repository it was run by", () => {
    const pinned = facts([
      `docker.io/library/nginx@sha256:${"1".repeat(64)}`,
      `registry.example.com/shop/web@${repoDigest}`,
    ]);
    expect(fixFacts(imagePinnedByDigest, pinned)).toEqual({
      compose: { image: `registry.example.com/shop/web:1.4@${repoDigest}` },
    });
    expect(evaluateFacts(imagePinnedByDigest, pinned).detail).toBe(
      `The fix pins the registry digest ${repoDigest.slice(0, 19)}…`,
    );
  });
});
