import { describe, expect, it } from "vitest";
import { evaluateFacts } from "@/lib/checks/define-check";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import { seccompProfile } from "./seccomp-profile";

describe("seccomp-profile", () => {
  const docker = (SecurityOpt: string[] | null) =>
    evaluateFacts(seccompProfile, secureDockerFacts({ container: { HostConfig: { SecurityOpt } } }));

  it.each(["seccomp:unconfined", "seccomp=unconfined", "SECCOMP=Unconfined"])("%s fails", (option) => {
    expect(docker([option])).toMatchObject({ status: "fail", fieldPath: "HostConfig.SecurityOpt" });
  });

  it("passes no option (Docker's default profile) and a custom profile", () => {
    expect(docker(null).status).toBe("pass");
    expect(docker(["seccomp=/etc/docker/seccomp.json"]).status).toBe("pass");
  });

  it("is not evaluated without the daemon's info", () => {
    expect(evaluateFacts(seccompProfile, secureDockerFacts({ info: undefined })).status).toBe("not-evaluated");
  });

  it("takes the pod-level profile when the container has none", () => {
    const facts = secureKubernetesFacts({ container: { securityContext: { seccompProfile: undefined } } });
    expect(evaluateFacts(seccompProfile, facts)).toMatchObject({
      status: "pass",
      fieldPath: "spec.template.spec.securityContext.seccompProfile.type",
    });
  });

  it("lets a container Unconfined override the pod's RuntimeDefault", () => {
    const facts = secureKubernetesFacts({ container: { securityContext: { seccompProfile: { type: "Unconfined" } } } });
    expect(evaluateFacts(seccompProfile, facts).message).toBe("seccompProfile.type is Unconfined at container level");
  });
});
