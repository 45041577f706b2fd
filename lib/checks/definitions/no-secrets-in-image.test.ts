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
    const unread = secureKubernetesFacts({ imageConfig: { unavailable: "No registry settings for ghcr.io" } });
    expect(evaluateFacts(noSecretsInImage, unread)).toEqual({
      status: "not-evaluated",
      message: "No registry settings for ghcr.io, and no scanner report lists the image's secrets",
    });
  });

  it("fails Docker on a layer secret even when the image env and history are clean or not inspected", () => {
    const facts = secureDockerFacts({ secretReport: scannedForSecrets([secret]) });
    expect(evaluateFacts(noSecretsInImage, facts)).toMatchObject({ status: "fail", fieldPath: "Image" });
    const uninspected = secureDockerFacts({ imageInspect: undefined, secretReport: scannedForSecrets([secret]) });
    expect(evaluateFacts(noSecretsInImage, uninspected).status).toBe("fail");
  });
});

describe("no-secrets-in-image from registry configs", () => {
  it("on Kubernetes is judged from the registry config, and not evaluated with the reason it could not be read", () => {
    const reason = "Image config not read from ghcr.io: Registry ghcr.io did not answer within 10000 ms";
    const missing = evaluateFacts(noSecretsInImage, secureKubernetesFacts({ imageConfig: { unavailable: reason } }));
    expect(missing).toEqual({
      status: "not-evaluated",
      message: `${reason}, and no scanner report lists the image's secrets`,
    });
    const env = secureKubernetesFacts({
      imageConfig: { value: { envSecrets: [{ name: "API_TOKEN", rule: "TOKEN", index: 3 }] } },
    });
    expect(evaluateFacts(noSecretsInImage, env)).toMatchObject({
      status: "fail",
      message: "Image API_TOKEN has a literal value and a secret-like name (rule TOKEN)",
      fieldPath: "ImageConfig.config.Env[3]",
    });
    expect(evaluateFacts(noSecretsInImage, env).detail).toMatch(/^Image config read from the registry for sha256:/);
  });

  it("on Docker reads a pruned image's config from its registry", () => {
    const pruned = secureDockerFacts({
      imageInspect: undefined,
      imageConfig: {
        value: {
          digest: `sha256:${"1".repeat(64)}`,
          digestSource: "reference",
          platform: "linux/amd64",
          configDigest: `sha256:${"2".repeat(64)}`,
          user: "",
          envSecrets: [],
          historySecrets: [{ name: "API_KEY", rule: "API_KEY", step: 2, kind: "build-arg" }],
        },
      },
    });
    expect(evaluateFacts(noSecretsInImage, pruned)).toMatchObject({
      status: "fail",
      fieldPath: "ImageConfig.history[2].created_by",
    });
  });
});
