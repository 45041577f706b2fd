import { describe, expect, it } from "vitest";
import { evaluateFacts, fixFacts } from "@/lib/checks/define-check";
import { BASELINE_DIGEST, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import { imagePinnedByDigest } from "./image-pinned-by-digest";

describe("image-pinned-by-digest", () => {
  it("pins to the running digest, or a placeholder when it is unknown", () => {
    const facts = secureKubernetesFacts({ container: { image: "ghcr.io/acme/api:latest" } });
    expect(fixFacts(imagePinnedByDigest, facts)).toEqual({
      container: { image: `ghcr.io/acme/api@${BASELINE_DIGEST}` },
    });
    const unknown = secureKubernetesFacts({ imageDigest: undefined, container: { image: "localhost:5000/api:1.4" } });
    expect(fixFacts(imagePinnedByDigest, unknown)).toEqual({
      container: { image: "localhost:5000/api:1.4@sha256:<digest>" },
    });
  });
});

describe("image-pinned-by-digest fixes never keep an invalid digest", () => {
  it.each(["nginx@sha256:abc", "nginx:1.27@sha256:", `nginx@sha256:${"A".repeat(64)}`])("%s", (image) => {
    const facts = secureKubernetesFacts({ imageDigest: undefined, container: { image } });
    const fixed = (fixFacts(imagePinnedByDigest, facts) as { container: { image: string } }).container.image;
    expect(fixed).toMatch(/@sha256:<digest>$/);
    const refixed = secureKubernetesFacts({ imageDigest: undefined, container: { image: fixed } });
    expect(evaluateFacts(imagePinnedByDigest, refixed).status).toBe("fail");
  });
});
