import { describe, expect, it } from "vitest";
import { fixFacts } from "@/lib/checks/define-check";
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
