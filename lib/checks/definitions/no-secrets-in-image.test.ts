import { describe, expect, it } from "vitest";
import { evaluateFacts } from "@/lib/checks/define-check";
import { secureDockerFacts } from "@/lib/checks/testing/baseline";
import { noSecretsInImage } from "./no-secrets-in-image";

describe("no-secrets-in-image", () => {
  it("is not evaluated without image inspect", () => {
    expect(evaluateFacts(noSecretsInImage, secureDockerFacts({ imageInspect: undefined })).status).toBe(
      "not-evaluated",
    );
  });
});
