import { describe, expect, it } from "vitest";
import { evaluateFacts, fixFacts } from "@/lib/checks/define-check";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import { noSecretsInImage } from "./no-secrets-in-image";
import { secretsFromSecretStore } from "./secrets-from-secret-store";

describe("secrets-from-secret-store", () => {
  it("passes DB_PASSWORD_FILE on both platforms", () => {
    const k8s = secureKubernetesFacts({ container: { env: [{ name: "DB_PASSWORD_FILE", value: "/run/secrets/db" }] } });
    const docker = secureDockerFacts({ container: { Config: { Env: ["DB_PASSWORD_FILE=/run/secrets/db"] } } });
    expect(evaluateFacts(secretsFromSecretStore, k8s).status).toBe("pass");
    expect(evaluateFacts(secretsFromSecretStore, docker).status).toBe("pass");
  });

  it("fails a JWT under an innocuous name and names the rule, not the value", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbg";
    const facts = secureKubernetesFacts({
      container: {
        env: [
          { name: "APP_MODE", value: "prod" },
          { name: "CONFIG_BLOB", value: jwt },
        ],
      },
    });
    const outcome = evaluateFacts(secretsFromSecretStore, facts);
    expect(outcome).toMatchObject({ status: "fail", fieldPath: "spec.template.spec.containers[0].env[1].value" });
    expect(outcome.message).toBe("CONFIG_BLOB has a literal value that looks like a credential (rule jwt)");
  });

  it("replaces literal values with secretKeyRef", () => {
    const facts = secureKubernetesFacts({ container: { env: [{ name: "DB_PASSWORD", value: "hunter2-value" }] } });
    expect(fixFacts(secretsFromSecretStore, facts)).toEqual({
      container: {
        env: [
          {
            name: "DB_PASSWORD",
            value: null,
            valueFrom: { secretKeyRef: { name: "web-secrets", key: "db-password" } },
          },
        ],
      },
    });
  });

  it("judges only the container's own Docker env, not the image's", () => {
    const facts = secureDockerFacts({
      imageInspect: { Config: { Env: ["API_KEY=from-image"] } },
      container: { Config: { Env: ["API_KEY=from-image", "MODE=1"] } },
    });
    expect(evaluateFacts(secretsFromSecretStore, facts).status).toBe("pass");
    expect(evaluateFacts(noSecretsInImage, facts)).toMatchObject({
      status: "fail",
      fieldPath: "ImageInspect.Config.Env[0]",
    });
  });
});

describe("secrets-from-secret-store without the image's inspect (offline docker inspect JSON)", () => {
  const env = ["PATH=/bin", "API_KEY=planted-secret-value-baked"];

  it("does not blame the container for a variable that may be baked into the image", () => {
    const facts = secureDockerFacts({ imageInspect: undefined, container: { Config: { Env: env } } });
    const outcome = evaluateFacts(secretsFromSecretStore, facts);
    expect(outcome.status).toBe("not-evaluated");
    expect(outcome.message).toMatch(/API_KEY .*may come from the image/);
    expect(outcome.message).not.toContain("planted-secret-value-baked");
  });

  it("still passes a clean env, and fails once the image's env shows the variable is the container's own", () => {
    const clean = secureDockerFacts({ imageInspect: undefined });
    expect(evaluateFacts(secretsFromSecretStore, clean).status).toBe("pass");
    const own = secureDockerFacts({
      imageInspect: { Config: { Env: ["PATH=/bin"] } },
      container: { Config: { Env: env } },
    });
    expect(evaluateFacts(secretsFromSecretStore, own)).toMatchObject({ status: "fail", fieldPath: "Config.Env[1]" });
  });
});
