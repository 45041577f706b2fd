import { describe, expect, it } from "vitest";
import { evaluateFacts, fixFacts } from "@/lib/checks/define-check";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import { dropAllCapabilities } from "./drop-all-capabilities";
import { noAddedCapabilities } from "./no-added-capabilities";

describe("drop-all-capabilities", () => {
  it("normalises Docker names: cap_sys_admin is SYS_ADMIN, all is ALL", () => {
    const facts = secureDockerFacts({ container: { HostConfig: { CapDrop: ["all"], CapAdd: ["cap_sys_admin"] } } });
    expect(evaluateFacts(dropAllCapabilities, facts)).toMatchObject({
      status: "fail",
      message: "HostConfig.CapAdd has cap_sys_admin",
    });
    expect(evaluateFacts(noAddedCapabilities, facts).status).toBe("fail");
  });

  it("treats unset CapDrop (null) as lacking ALL", () => {
    const outcome = evaluateFacts(
      dropAllCapabilities,
      secureDockerFacts({ container: { HostConfig: { CapDrop: null } } }),
    );
    expect(outcome).toMatchObject({ status: "fail", message: "HostConfig.CapDrop is null, without ALL" });
  });

  it("compares Kubernetes literals exactly", () => {
    const lower = secureKubernetesFacts({ container: { securityContext: { capabilities: { drop: ["all"] } } } });
    expect(evaluateFacts(dropAllCapabilities, lower).status).toBe("fail");
  });

  it("reduces added capabilities to NET_BIND_SERVICE and unsets privileged in the fix", () => {
    const facts = secureKubernetesFacts({
      container: {
        securityContext: { privileged: true, capabilities: { drop: [], add: ["NET_BIND_SERVICE", "NET_ADMIN"] } },
      },
    });
    expect(fixFacts(dropAllCapabilities, facts)).toEqual({
      container: { securityContext: { privileged: false, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } } },
    });
  });
});
