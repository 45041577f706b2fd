import { describe, expect, it } from "vitest";
import { evaluateFacts, type CheckDefinition } from "@/lib/checks/define-check";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import { dropAllCapabilities } from "./drop-all-capabilities";
import { noPrivilegeEscalation } from "./no-privilege-escalation";
import { notPrivileged } from "./not-privileged";
import { seccompProfile } from "./seccomp-profile";

describe("no-privilege-escalation and privileged containers", () => {
  const docker = (check: CheckDefinition, SecurityOpt: string[] | null, Privileged = false) =>
    evaluateFacts(check, secureDockerFacts({ container: { HostConfig: { SecurityOpt, Privileged } } }));

  it.each([["no-new-privileges"], ["no-new-privileges:true"], ["no-new-privileges=true"], ["NO-NEW-PRIVILEGES"]])(
    "%s passes",
    (option) => {
      expect(docker(noPrivilegeEscalation, [option]).status).toBe("pass");
    },
  );

  it.each([["no-new-privileges:false"], ["no-new-privileges=false"], ["label=disable"]])("%s fails", (option) => {
    expect(docker(noPrivilegeEscalation, [option]).status).toBe("fail");
  });

  it("fails a privileged container with label=disable on every privilege check", () => {
    for (const check of [notPrivileged, noPrivilegeEscalation, seccompProfile, dropAllCapabilities]) {
      expect(docker(check, ["label=disable", "no-new-privileges"], true), check.id).toMatchObject({
        status: "fail",
        fieldPath: "HostConfig.Privileged",
      });
    }
  });

  it("fails Kubernetes CAP_SYS_ADMIN as well as SYS_ADMIN", () => {
    for (const cap of ["SYS_ADMIN", "CAP_SYS_ADMIN"]) {
      const facts = secureKubernetesFacts({
        container: { securityContext: { capabilities: { drop: ["ALL"], add: [cap] } } },
      });
      expect(evaluateFacts(noPrivilegeEscalation, facts).message).toBe(`capabilities.add has ${cap}`);
    }
  });
});
