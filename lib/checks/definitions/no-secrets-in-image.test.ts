import { describe, expect, it } from "vitest";
import { evaluateFacts } from "@/lib/checks/define-check";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import { noSecretsInImage, scannedForSecrets } from "./no-secrets-in-image";

describe("no-secrets-in-image", () => {
  it("is not evaluated without image inspect", () => {
    expect(evaluateFacts(noSecretsInImage, secureDockerFacts({ imageInspect: undefined })).status).toBe(
      "not-evaluated",
    );
  });
});

describe("no-secrets-in-image from scanner reports", () => {
  const planted = "PLANTED-layer-secret-55aa";
  const secret = { ruleId: "github-pat", severity: "CRITICAL", file: "app/.env", layer: `sha256:${"c".repeat(64)}` };

  it("fails a Kubernetes container whose matching report lists a layer secret, naming rule, file and layer", () => {
    const result = evaluateFacts(
      noSecretsInImage,
      secureKubernetesFacts({ secretReport: scannedForSecrets([secret]) }),
    );
    expect(result).toMatchObject({ status: "fail", fieldPath: "spec.template.spec.containers[0].image" });
    expect(result.message).toBe(
      `The Trivy report of 2026-01-01 (matched by image ID) lists a secret in the image: rule github-pat in app/.env (layer ${secret.layer})`,
    );
    expect(result.message).not.toContain(planted);
  });

  it("passes Kubernetes with a clean report and stays not-evaluated without one", () => {
    expect(evaluateFacts(noSecretsInImage, secureKubernetesFacts({ secretReport: scannedForSecrets([]) })).status).toBe(
      "pass",
    );
    expect(evaluateFacts(noSecretsInImage, secureKubernetesFacts()).status).toBe("not-evaluated");
  });

  it("fails Docker on a layer secret even when the image env and history are clean or not inspected", () => {
    const facts = secureDockerFacts({ secretReport: scannedForSecrets([secret]) });
    expect(evaluateFacts(noSecretsInImage, facts)).toMatchObject({ status: "fail", fieldPath: "Image" });
    const uninspected = secureDockerFacts({ imageInspect: undefined, secretReport: scannedForSecrets([secret]) });
    expect(evaluateFacts(noSecretsInImage, uninspected).status).toBe("fail");
  });
});
