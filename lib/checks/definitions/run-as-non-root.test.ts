import { describe, expect, it } from "vitest";
import { evaluateFacts, fixFacts } from "@/lib/checks/define-check";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import { runAsNonRoot } from "./run-as-non-root";

describe("run-as-non-root", () => {
  const docker = (User: string) => evaluateFacts(runAsNonRoot, secureDockerFacts({ container: { Config: { User } } }));

  it.each(["0:0", "root:root", "root", "0", "", "  "])("Docker user %j fails on Config.User", (user) => {
    expect(docker(user)).toMatchObject({ status: "fail", fieldPath: "Config.User" });
  });

  it("passes a named Docker user with a note that its UID was not resolved", () => {
    const outcome = docker("appuser:appgroup");
    expect(outcome.status).toBe("pass");
    expect(outcome.detail).toMatch(/UID was not resolved/);
    expect(docker("1000").detail).toBeUndefined();
  });

  it("names the unset fields and the container securityContext", () => {
    const facts = secureKubernetesFacts({
      container: { securityContext: { runAsNonRoot: undefined, runAsUser: undefined } },
      pod: { spec: { securityContext: undefined } },
    });
    expect(evaluateFacts(runAsNonRoot, facts)).toMatchObject({
      status: "fail",
      message: "runAsNonRoot is not set and runAsUser is unset",
      fieldPath: "spec.template.spec.containers[0].securityContext",
    });
  });

  it("lets a container-level runAsNonRoot: false override the pod's true", () => {
    const facts = secureKubernetesFacts({
      container: { securityContext: { runAsNonRoot: false, runAsUser: undefined } },
    });
    expect(evaluateFacts(runAsNonRoot, facts)).toMatchObject({
      status: "fail",
      fieldPath: "spec.template.spec.containers[0].securityContext.runAsNonRoot",
    });
  });

  it("lets a container-level runAsNonRoot: true override the pod's false", () => {
    const facts = secureKubernetesFacts({
      container: { securityContext: { runAsUser: undefined } },
      pod: { spec: { securityContext: { runAsNonRoot: false } } },
    });
    expect(evaluateFacts(runAsNonRoot, facts).status).toBe("pass");
  });

  it("reads a pod-level runAsUser 0 and points at the pod securityContext", () => {
    const facts = secureKubernetesFacts({
      container: { securityContext: { runAsUser: undefined } },
      pod: { spec: { securityContext: { runAsUser: 0 } } },
    });
    expect(evaluateFacts(runAsNonRoot, facts)).toMatchObject({
      status: "fail",
      fieldPath: "spec.template.spec.securityContext.runAsUser",
    });
  });

  it("passes hostUsers: false whatever the user", () => {
    const facts = secureKubernetesFacts({
      container: { securityContext: { runAsNonRoot: undefined, runAsUser: 0 } },
      pod: { spec: { hostUsers: false, securityContext: undefined } },
    });
    expect(evaluateFacts(runAsNonRoot, facts)).toMatchObject({
      status: "pass",
      fieldPath: "spec.template.spec.hostUsers",
    });
  });

  it("uses the container's own list and index and the CronJob spec path", () => {
    const facts = secureKubernetesFacts({
      specPath: "spec.jobTemplate.spec.template.spec",
      list: "initContainers",
      index: 0,
      container: { name: "migrate", securityContext: { runAsUser: 0 } },
    });
    expect(evaluateFacts(runAsNonRoot, facts).fieldPath).toBe(
      "spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.runAsUser",
    );
  });

  it("fixes a root UID with a non-zero runAsUser", () => {
    const facts = secureKubernetesFacts({ container: { securityContext: { runAsUser: 0 } } });
    expect(fixFacts(runAsNonRoot, facts)).toEqual({
      container: { securityContext: { runAsNonRoot: true, runAsUser: 10001 } },
    });
  });

  describe("fix from the image's User read from its registry", () => {
    const unset = { securityContext: { runAsNonRoot: undefined, runAsUser: undefined } };
    const withUser = (user: string) =>
      secureKubernetesFacts({
        container: unset,
        pod: { spec: { securityContext: undefined } },
        imageConfig: { value: { user } },
      });

    it("sets runAsNonRoot alone for a numeric non-zero user", () => {
      for (const user of ["1000", "1000:1000"])
        expect(fixFacts(runAsNonRoot, withUser(user))).toEqual({
          container: { securityContext: { runAsNonRoot: true } },
        });
    });

    it("also sets runAsUser/runAsGroup 65532 with a note for root, an empty user or a name", () => {
      for (const [user, says] of [
        ["", /runs as root \(its config sets no User\)/],
        ["0:0", /runs as root \(User "0:0"\)/],
        ["app", /named user "app", which runAsNonRoot cannot verify/],
      ] as const) {
        const fix = fixFacts(runAsNonRoot, withUser(user)) as { container: unknown; note: string };
        expect(fix.container).toEqual({ securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 } });
        expect(fix.note).toMatch(says);
        expect(fix.note).toMatch(/files the image owns as root must be readable/);
      }
    });

    it("keeps runAsNonRoot alone when the image's user is unknown, and says why", () => {
      const facts = secureKubernetesFacts({
        container: unset,
        imageConfig: { unavailable: "Registry ghcr.io refused the configured credential (401)" },
      });
      expect(fixFacts(runAsNonRoot, facts)).toEqual({
        container: { securityContext: { runAsNonRoot: true } },
        note: "The image's user is unknown (Registry ghcr.io refused the configured credential (401)): if it runs as root, also set runAsUser and runAsGroup to 65532.",
      });
    });
  });
});
